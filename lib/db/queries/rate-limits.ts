import "server-only";
import { lt, sql } from "drizzle-orm";
import { getDb } from "../client";
import { rateLimits } from "../schema";

/** Adds `increment` to a window's shared counter and returns the new total (all instances). */
export async function addToWindow(key: string, windowStart: Date, increment: number): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: increment })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + ${increment}` } })
    .returning({ count: rateLimits.count });
  return row?.count ?? increment;
}

/**
 * Takes `slots` of a window's `limit` in one statement, all or none: the row is locked while
 * its count is checked and raised, so instances reserving at once never take more than
 * `limit` between them. Returns the window's new count, or null when `slots` no longer fit.
 */
export async function reserveInWindow(key: string, windowStart: Date, slots: number, limit: number): Promise<number | null> {
  if (slots < 1 || slots > limit) return null;
  const db = await getDb();
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: slots })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + ${slots}` },
      setWhere: sql`${rateLimits.count} + ${slots} <= ${limit}`,
    })
    .returning({ count: rateLimits.count });
  return row?.count ?? null;
}

export async function pruneWindows(before: Date) {
  const db = await getDb();
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, before));
}
