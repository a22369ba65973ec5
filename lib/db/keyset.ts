/**
 * Keyset paging for the console's lists (users, groups, members, activity). A list fetches
 * `limit + 1` rows ordered along an index; the extra row only says that another page follows.
 * A cursor is the sort key of a page's edge row, base64url JSON, opaque to the browser.
 *
 * Rules:
 * - a cursor that does not decode to the list's key shape (tampered, truncated, another
 *   list's) is no cursor: the list starts at its first page, it never fails;
 * - the last page has no next cursor.
 */

type KeyField = "string" | "integer";
type KeyOf<S extends readonly KeyField[]> = { -readonly [I in keyof S]: S[I] extends "integer" ? number : string };

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** The key a cursor carries, when it has exactly the `shape` given; else null (first page). */
export function decodeCursor<const S extends readonly KeyField[]>(cursor: string | undefined, shape: S): KeyOf<S> | null {
  if (!cursor) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== shape.length) return null;
  const fits = shape.every((field, i) => (field === "integer" ? Number.isSafeInteger(value[i]) : typeof value[i] === "string"));
  return fits ? (value as KeyOf<S>) : null;
}

/** One page of rows fetched with `limit + 1`, and the cursor of the page after it (null on the last page). */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => readonly (string | number)[]) {
  const more = rows.length > limit;
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return { rows: pageRows, more, nextCursor: more && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

// What `timestamptz::text` prints (DateStyle ISO). A created-at cursor is checked against it, so a
// tampered one starts the list over instead of failing its ::timestamptz cast.
const TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

export function isTimestampKey(value: string) {
  const m = TIMESTAMP_TEXT.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}
