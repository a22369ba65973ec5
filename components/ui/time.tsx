import * as React from "react";
import { LocalTime } from "./local-time";

/** A timestamp shown in the viewer's time zone with UTC on hover (rendered in UTC until the page is live). */
export function Time({ value, dateOnly, fallback = "—" }: { value: Date | string | null | undefined; dateOnly?: boolean; fallback?: string }) {
  if (!value) return <span className="text-muted-foreground">{fallback}</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  return <LocalTime iso={date.toISOString()} dateOnly={dateOnly} />;
}

export function relativeTime(value: Date | null | undefined, now = Date.now()): string {
  if (!value) return "never";
  const seconds = Math.round((value.getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["year", 31_536_000],
    ["month", 2_592_000],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  return rtf.format(seconds, "second");
}
