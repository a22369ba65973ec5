import "server-only";
import { sql, type Placeholder } from "drizzle-orm";
import type { Db } from "../client";
import { tenantCounters, tenants } from "../schema";

/**
 * Counter rows per tenant. A write adds to one row picked at random, so up to this many
 * parallel creates in one tenant hold different row locks; 16 leaves headroom over the 32
 * connections Entra and the benchmark use, at a 16-row sum per read.
 */
export const COUNTER_SHARDS = 16;

/**
 * Adds to a tenant's user/group counts in the caller's transaction (a rolled-back create
 * counts nothing). A shard may go below zero after deletes; only the sum means anything.
 */
export async function addToTenantCounts(db: Db, tenantId: string, delta: { users?: number; groups?: number }) {
  await counterUpsert(db, tenantId, delta);
}

/**
 * The upsert addToTenantCounts runs, unrun: a statement may carry it as a WITH query. A
 * prepared statement passes its tenant and shard as placeholders (randomShard() per execution).
 */
export function counterUpsert(db: Db, tenantId: string | Placeholder<string>, delta: { users?: number; groups?: number }, shard: number | Placeholder<string> = randomShard()) {
  const users = delta.users ?? 0;
  const groups = delta.groups ?? 0;
  return db
    .insert(tenantCounters)
    .values({ tenantId, shard, users, groups })
    .onConflictDoUpdate({
      target: [tenantCounters.tenantId, tenantCounters.shard],
      set: { users: sql`${tenantCounters.users} + ${users}`, groups: sql`${tenantCounters.groups} + ${groups}` },
    });
}

export const randomShard = () => Math.floor(Math.random() * COUNTER_SHARDS);

/** A tenant's exact count, as an expression correlated with `tenants.id`. */
export function tenantCount(column: "users" | "groups") {
  return sql<number>`(select greatest(coalesce(sum(c.${sql.identifier(column)}), 0), 0)::int from ${tenantCounters} c where c.tenant_id = ${tenants.id})`;
}

/** Columns for any select from `tenants`: the exact counts, summed from the tenant's counter rows (primary-key range). */
export const tenantCountColumns = {
  userCount: tenantCount("users").as("user_count"),
  groupCount: tenantCount("groups").as("group_count"),
};
