"use client";

import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { dateOf, longDay, number, shortDay, type ChartRow, type ChartSeries } from "./chart-format";

const axisTick = { fill: "var(--muted-foreground)", fontSize: 12 };

export function ChartDrawing({
  data,
  series,
  kind,
  stacked,
  height,
}: {
  data: ChartRow[];
  series: ChartSeries[];
  kind: "line" | "bar";
  stacked: boolean;
  height: number;
}) {
  const Chart = kind === "bar" ? BarChart : LineChart;
  return (
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
  );
}
