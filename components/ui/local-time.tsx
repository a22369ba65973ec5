"use client";

import { useHydrated } from "./use-hydrated";

const parts = { day: "numeric", month: "short", year: "numeric" } as const;
const clock = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" } as const;
const utc = {
  dateTime: new Intl.DateTimeFormat("en-GB", { ...parts, ...clock, timeZone: "UTC" }),
  dateOnly: new Intl.DateTimeFormat("en-GB", { ...parts, timeZone: "UTC" }),
};
let local: typeof utc | undefined;
const localFormats = () => (local ??= { dateTime: new Intl.DateTimeFormat("en-GB", { ...parts, ...clock }), dateOnly: new Intl.DateTimeFormat("en-GB", parts) });

/**
 * A timestamp in the viewer's time zone, UTC on hover. The server (and hydration) render UTC, the
 * one zone both sides agree on; the browser's own zone replaces it once the page is live.
 */
export function LocalTime({ iso, dateOnly = false }: { iso: string; dateOnly?: boolean }) {
  const hydrated = useHydrated();
  const formats = hydrated ? localFormats() : utc;
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={`${iso.replace("T", " ").slice(0, 19)} UTC`}>
      {(dateOnly ? formats.dateOnly : formats.dateTime).format(date)}
    </time>
  );
}
