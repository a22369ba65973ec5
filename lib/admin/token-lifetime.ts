/**
 * How long a SCIM provisioning token may live, from the console and the CLI alike: until the
 * end of a UTC day at most two years ahead. Pure, so the token dialog can show the same limit.
 */
export const MAX_TOKEN_DAYS = 730;

const DAY_MS = 86_400_000;

export function endOfDayUtc(isoDate: string): Date {
  return new Date(`${isoDate}T23:59:59.999Z`);
}

/** The last moment a token created at `now` may expire: the end of the UTC day MAX_TOKEN_DAYS ahead. */
export function latestTokenExpiry(now = new Date()): Date {
  return endOfDayUtc(new Date(now.getTime() + MAX_TOKEN_DAYS * DAY_MS).toISOString().slice(0, 10));
}

export function isAllowedTokenExpiry(expiresAt: Date, now = new Date()): boolean {
  return expiresAt.getTime() > now.getTime() && expiresAt.getTime() <= latestTokenExpiry(now).getTime();
}

export function expiryInDays(days: number, now = new Date()): Date {
  return new Date(now.getTime() + days * DAY_MS);
}

/** The UTC calendar date `days` from `now`, as the `YYYY-MM-DD` a date input holds. */
export function isoDateFromToday(days: number, now = new Date()): string {
  const date = new Date(now.getTime());
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
