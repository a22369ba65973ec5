import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { scimUsage, tenants } from "../db/schema";

// Reads are counted, not logged one by one: counters accumulate in memory and are flushed
// to scim_usage (and tenants.last_scim_request_at) at most every few seconds.
type Counter = { reads: number; writes: number; errors: number; lastAt: Date };
const pending = new Map<string, Counter>();
let timer: NodeJS.Timeout | undefined;
const FLUSH_MS = 5_000;

export function countScimRequest(tenantId: string, kind: "read" | "write", failed: boolean) {
  const counter = pending.get(tenantId) ?? { reads: 0, writes: 0, errors: 0, lastAt: new Date() };
  if (kind === "read") counter.reads++;
  else counter.writes++;
  if (failed) counter.errors++;
  counter.lastAt = new Date();
  pending.set(tenantId, counter);
  timer ??= setTimeout(() => {
    timer = undefined;
    void flushScimUsage().catch(() => {});
  }, FLUSH_MS);
  timer.unref?.();
}

export async function flushScimUsage() {
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
