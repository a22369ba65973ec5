export type ChartSeries = {
  key: string;
  label: string;
  /** A design-system colour variable, e.g. "var(--primary)". */
  color: string;
};

export type ChartRow = { day: string } & Record<string, number | string | null>;

export const number = new Intl.NumberFormat("en");
export const shortDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
export const longDay = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
export const dateOf = (day: string) => new Date(`${day}T00:00:00Z`);

