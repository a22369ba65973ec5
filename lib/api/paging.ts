import { z } from "zod";
import { decodeCursor, isTimestampKey } from "../db/keyset";
import { isUuid } from "../uuid";
import { ApiProblem } from "./problem";

// The API's cursors are the console's (lib/db/keyset.ts: base64url JSON of a row's sort key),
// but where a console list starts over at a cursor it cannot read, the API says so: a
// tampered, truncated or another list's cursor is a 400, never a silent first page.

export const MAX_PAGE_SIZE = 200;

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50).meta({ description: `Rows per page, 1–${MAX_PAGE_SIZE}` }),
  after: z.string().min(1).max(512).optional().meta({ description: "The `nextCursor` of the previous page; opaque" }),
};

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      data: z.array(item),
      nextCursor: z.string().nullable().meta({ description: "Pass as `after` for the next page; null on the last page" }),
    })
    .meta({ id });

const badCursor = () => new ApiProblem("invalid-request", "The cursor is not one this list issued; start again without `after`", { errors: [{ name: "query.after", reason: "Invalid cursor" }] });

/** A (created_at, id) cursor, or null without one; a cursor of any other shape is a 400. */
export function createdCursor(after: string | undefined): readonly [string, string] | null {
  if (after === undefined) return null;
  const key = decodeCursor(after, ["string", "string"] as const);
  if (!key || !isTimestampKey(key[0]) || !isUuid(key[1])) throw badCursor();
  return key;
}

/** A user-id cursor (group members), or null; anything else is a 400. */
export function idCursor(after: string | undefined): string | null {
  if (after === undefined) return null;
  const key = decodeCursor(after, ["string"] as const);
  if (!key || !isUuid(key[0])) throw badCursor();
  return key[0];
}

/** A (created_at, serial id) cursor (webhook deliveries, newest first), or null; anything else is a 400. */
export function createdSerialCursor(after: string | undefined): readonly [string, number] | null {
  if (after === undefined) return null;
  const key = decodeCursor(after, ["string", "integer"] as const);
  if (!key || !isTimestampKey(key[0]) || key[1] < 1) throw badCursor();
  return key;
}
