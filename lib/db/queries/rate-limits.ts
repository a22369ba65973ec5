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

export async function pruneWindows(before: Date) {
  const db = await getDb();
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, before));
}
