import { and, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rateLimits } from "@/lib/db/schema";

/** A rate-limit window's count as the database holds it: what every instance shares. */
export async function sharedCount(db: Db, key: string, windowStart: number) {
  const [row] = await db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, new Date(windowStart))));
  return row?.count ?? 0;
}
