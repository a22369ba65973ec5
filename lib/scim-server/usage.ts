import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { scimUsage, tenantCounters, tenants } from "../db/schema";
import { defer } from "../defer";

// Requests and sign-ins are counted, not logged one by one: counters accumulate in memory and
// are written to scim_usage (with the day's user/group counts, and tenants.last_scim_request_at
// when SCIM was seen) after the response, through defer(). Whatever arrives before a queued
// flush starts joins it, so a busy instance writes once per burst.
type Counter = { reads: number; writes: number; errors: number; rateLimited: number; signIns: number; signInFailures: number; lastScimAt?: Date; lastAt: Date };
const pending = new Map<string, Counter>();
let flushQueued = false;

function counterOf(tenantId: string) {
  let counter = pending.get(tenantId);
  if (!counter) {
    counter = { reads: 0, writes: 0, errors: 0, rateLimited: 0, signIns: 0, signInFailures: 0, lastAt: new Date() };
    pending.set(tenantId, counter);
  }
  counter.lastAt = new Date();
  if (!flushQueued) {
    flushQueued = true;
    defer("scim usage", flushScimUsage);
  }
  return counter;
}

/** One SCIM request answered; a 429 counts as an error and as rate limited. */
export function countScimRequest(tenantId: string, kind: "read" | "write", failed: boolean, rateLimited = false) {
  const counter = counterOf(tenantId);
  if (kind === "read") counter.reads++;
  else counter.writes++;
  if (failed || rateLimited) counter.errors++;
  if (rateLimited) counter.rateLimited++;
  counter.lastScimAt = counter.lastAt;
}

/** One SSO or password sign-in into a tenant, successful or refused. */
export function countSignIn(tenantId: string, ok: boolean) {
  const counter = counterOf(tenantId);
  if (ok) counter.signIns++;
  else counter.signInFailures++;
}

export async function flushScimUsage() {
  flushQueued = false;
  if (pending.size === 0) return;
  const batch = [...pending.entries()];
  pending.clear();
  const db = await getDb();
  for (const [tenantId, c] of batch) {
    const day = c.lastAt.toISOString().slice(0, 10);
    // The tenant's counts now, summed from its counter rows (a subselect of tenantCount's
    // correlated form would name an outer "id" that an INSERT's VALUES cannot see).
    const count = (column: "users" | "groups") =>
      sql`(select greatest(coalesce(sum(c.${sql.identifier(column)}), 0), 0)::int from ${tenantCounters} c where c.tenant_id = ${tenantId})`;
    await db
      .insert(scimUsage)
      .values({
        tenantId,
        day,
        reads: c.reads,
        writes: c.writes,
        errors: c.errors,
        rateLimited: c.rateLimited,
        signIns: c.signIns,
        signInFailures: c.signInFailures,
        users: count("users"),
        groups: count("groups"),
      })
      .onConflictDoUpdate({
        target: [scimUsage.tenantId, scimUsage.day],
        set: {
          reads: sql`${scimUsage.reads} + ${c.reads}`,
          writes: sql`${scimUsage.writes} + ${c.writes}`,
          errors: sql`${scimUsage.errors} + ${c.errors}`,
          rateLimited: sql`${scimUsage.rateLimited} + ${c.rateLimited}`,
          signIns: sql`${scimUsage.signIns} + ${c.signIns}`,
          signInFailures: sql`${scimUsage.signInFailures} + ${c.signInFailures}`,
          users: sql`excluded.users`,
          groups: sql`excluded.groups`,
        },
      })
      .catch(() => {}); // a deleted tenant's counters are dropped
    if (!c.lastScimAt) continue;
    await db
      .update(tenants)
      .set({ lastScimRequestAt: c.lastScimAt })
      .where(sql`${tenants.id} = ${tenantId} and (${tenants.lastScimRequestAt} is null or ${tenants.lastScimRequestAt} < ${c.lastScimAt})`);
  }
}
