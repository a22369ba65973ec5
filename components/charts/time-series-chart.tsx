"use client";

import { useId, useState } from "react";
import dynamic from "next/dynamic";
import { Table2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { dateOf, longDay, number, type ChartRow, type ChartSeries } from "./chart-format";

export type { ChartRow, ChartSeries } from "./chart-format";

// The SVG is drawn in the browser only (server-rendering the dashboard's three charts took about
// 6 ms and 36 kB a render); the drawing is aria-hidden, the table below carries the data.
const ChartDrawing = dynamic(() => import("./chart-drawing").then((m) => m.ChartDrawing), {
  ssr: false,
  loading: () => <div data-chart-loading className="size-full animate-pulse rounded-md bg-muted/60" />,
});

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
        <ChartDrawing data={data} series={series} kind={kind} stacked={stacked} height={height} />
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
