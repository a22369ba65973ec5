import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { scimUsage, tenants } from "../db/schema";
import { defer } from "../defer";

// Reads are counted, not logged one by one: counters accumulate in memory and are written to
// scim_usage (and tenants.last_scim_request_at) after the response, through defer(). Requests
// that arrive before a queued flush starts join it, so a busy instance writes once per burst.
type Counter = { reads: number; writes: number; errors: number; lastAt: Date };
const pending = new Map<string, Counter>();
let flushQueued = false;

export function countScimRequest(tenantId: string, kind: "read" | "write", failed: boolean) {
  const counter = pending.get(tenantId) ?? { reads: 0, writes: 0, errors: 0, lastAt: new Date() };
  if (kind === "read") counter.reads++;
  else counter.writes++;
  if (failed) counter.errors++;
  counter.lastAt = new Date();
  pending.set(tenantId, counter);
  if (flushQueued) return;
  flushQueued = true;
  defer("scim usage", flushScimUsage);
}

export async function flushScimUsage() {
  flushQueued = false;
  if (pending.size === 0) return;
  const batch = [...pending.entries()];
  pending.clear();
  const db = await getDb();
  for (const [tenantId, c] of batch) {
    const day = c.lastAt.toISOString().slice(0, 10);
    await db
      .insert(scimUsage)
      .values({ tenantId, day, reads: c.reads, writes: c.writes, errors: c.errors })
      .onConflictDoUpdate({
        target: [scimUsage.tenantId, scimUsage.day],
        set: {
          reads: sql`${scimUsage.reads} + ${c.reads}`,
          writes: sql`${scimUsage.writes} + ${c.writes}`,
          errors: sql`${scimUsage.errors} + ${c.errors}`,
        },
      })
      .catch(() => {}); // a deleted tenant's counters are dropped
    await db
      .update(tenants)
      .set({ lastScimRequestAt: c.lastAt })
      .where(sql`${tenants.id} = ${tenantId} and (${tenants.lastScimRequestAt} is null or ${tenants.lastScimRequestAt} < ${c.lastAt})`);
  }
}
