"use client";

import { useId, useState } from "react";
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Table2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

export type ChartSeries = {
  key: string;
  label: string;
  /** A design-system colour variable, e.g. "var(--primary)". */
  color: string;
};

export type ChartRow = { day: string } & Record<string, number | string | null>;

const number = new Intl.NumberFormat("en");
const shortDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const longDay = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const dateOf = (day: string) => new Date(`${day}T00:00:00Z`);

const axisTick = { fill: "var(--muted-foreground)", fontSize: 12 };

function ChartTable({ data, series, caption }: { data: ChartRow[]; series: ChartSeries[]; caption: string }) {
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="border-b">
          <th scope="col" className="py-2 pr-4 text-left font-medium text-muted-foreground">
            Day (UTC)
          </th>
          {series.map((s) => (
            <th key={s.key} scope="col" className="py-2 pl-4 text-right font-medium text-muted-foreground">
              {s.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.map((row) => (
          <tr key={row.day} className="border-b last:border-0">
            <th scope="row" className="whitespace-nowrap py-1.5 pr-4 text-left font-normal">
              <time dateTime={row.day}>{longDay.format(dateOf(row.day))}</time>
            </th>
            {series.map((s) => {
              const value = row[s.key];
              return (
                <td key={s.key} className="py-1.5 pl-4 text-right tabular-nums">
                  {typeof value === "number" ? number.format(value) : "—"}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A daily chart with its data as a table. The drawing is decorative for assistive technology
 * (aria-hidden, no keyboard layer): screen readers always get the table, which sighted users
 * open with "Show as table".
 */
export function TimeSeriesChart({
  title,
  description,
  data,
  series,
  kind = "line",
  stacked = false,
  height = 220,
}: {
  title: string;
  description: string;
  data: ChartRow[];
  series: ChartSeries[];
  kind?: "line" | "bar";
  stacked?: boolean;
  height?: number;
}) {
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  const titleId = `${id}-title`;
  const descriptionId = `${id}-description`;
  const tableId = `${id}-table`;
  const Chart = kind === "bar" ? BarChart : LineChart;

  return (
    <figure aria-labelledby={titleId} aria-describedby={descriptionId} className="grid gap-3 rounded-xl border bg-card p-4 text-card-foreground shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 id={titleId} className="text-sm font-semibold">
            {title}
          </h3>
          <p id={descriptionId} className="text-xs text-muted-foreground">
            {description}
          </p>
        </div>
        <Button type="button" variant="ghost" size="sm" aria-expanded={showTable} aria-controls={tableId} onClick={() => setShowTable((v) => !v)}>
          <Table2 aria-hidden />
          {showTable ? "Show as chart" : "Show as table"}
        </Button>
      </div>
      <ul aria-hidden className={cn("flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground", showTable && "hidden")}>
        {series.map((s) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <span className="inline-block size-2.5 rounded-sm" style={{ background: s.color }} />
            {s.label}
          </li>
        ))}
      </ul>
      <div aria-hidden data-chart={title} className={cn("w-full", showTable && "hidden")} style={{ height }}>
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height }}>
          <Chart data={data} accessibilityLayer={false} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis
              dataKey="day"
              tickFormatter={(day: string) => shortDay.format(dateOf(day))}
              tick={axisTick}
              tickLine={false}
              axisLine={{ stroke: "var(--border)" }}
              minTickGap={24}
            />
            <YAxis allowDecimals={false} tick={axisTick} tickLine={false} axisLine={false} width={44} tickFormatter={(v: number) => number.format(v)} />
            <Tooltip
              cursor={{ fill: "var(--muted)", stroke: "var(--border)" }}
              labelFormatter={(day) => longDay.format(dateOf(String(day)))}
              formatter={(value) => (typeof value === "number" ? number.format(value) : String(value ?? "—"))}
              contentStyle={{
                background: "var(--popover)",
                border: "1px solid var(--border)",
                borderRadius: 8,
                color: "var(--popover-foreground)",
                fontSize: 12,
              }}
              labelStyle={{ color: "var(--popover-foreground)", fontWeight: 600 }}
            />
            {series.map((s) =>
              kind === "bar" ? (
                <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} stackId={stacked ? "stack" : undefined} isAnimationActive={false} maxBarSize={24} />
              ) : (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  stroke={s.color}
                  strokeWidth={2}
                  // A series with one or two values (a directory first counted today) is only visible as dots.
                  dot={data.filter((row) => typeof row[s.key] === "number").length <= 2 ? { r: 3, fill: s.color, strokeWidth: 0 } : false}
                  type="monotone"
                  connectNulls
                  isAnimationActive={false}
                />
              ),
            )}
          </Chart>
        </ResponsiveContainer>
      </div>
      <div
        id={tableId}
        role={showTable ? "region" : undefined}
        aria-label={showTable ? `${title} (table)` : undefined}
        tabIndex={showTable ? 0 : undefined}
        className={showTable ? "max-h-80 overflow-auto rounded-md focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring" : "sr-only"}
      >
        <ChartTable data={data} series={series} caption={`${title}: ${description}`} />
      </div>
    </figure>
  );
}
