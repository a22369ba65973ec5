import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { groupMemberCounters, groups } from "../schema";

/**
 * Counter rows per group. A member change adds to the row of its database connection, so up
 * to this many pooled connections change one group's members without waiting on each other;
 * 16 covers the default pool (10) with headroom, at a 16-row sum per read.
 */
export const GROUP_COUNTER_SHARDS = 16;

/**
 * The upsert a member statement carries as a WITH query: `members` members more (or fewer)
 * and one change more for the group, on this connection's counter row. Runs only when
 * `when` (a boolean SQL expression of the statement) holds.
 */
export function groupCounterUpsert(name: string, tenantId: string, groupId: SQL, members: SQL, when: SQL = sql`true`) {
  return sql`, ${sql.identifier(name)} as (
      insert into ${groupMemberCounters} (group_id, shard, tenant_id, members, changes, updated_at)
      select ${groupId}, pg_backend_pid() % ${GROUP_COUNTER_SHARDS}, ${tenantId}::uuid, ${members}, 1, now() where ${when}
      on conflict (group_id, shard) do update set
        members = ${groupMemberCounters}.members + excluded.members,
        changes = ${groupMemberCounters}.changes + 1,
        updated_at = excluded.updated_at
      returning group_id as id
    )`;
}

/**
 * One member fewer in each group of `groupIds` (a subquery of group ids), for a user who is
 * about to be deleted: a statement of its own, in the deleting transaction.
 */
export function groupCountersLosingMember(tenantId: string, groupIds: SQL) {
  return sql`insert into ${groupMemberCounters} (group_id, shard, tenant_id, members, changes, updated_at)
    select g.id, pg_backend_pid() % ${GROUP_COUNTER_SHARDS}, ${tenantId}::uuid, -1, 1, now()
    from ${groups} g where g.tenant_id = ${tenantId} and g.id in (${groupIds})
    on conflict (group_id, shard) do update set
      members = ${groupMemberCounters}.members - 1,
      changes = ${groupMemberCounters}.changes + 1,
      updated_at = excluded.updated_at`;
}

const sumOf = (column: "members" | "changes") =>
  sql.raw(`coalesce((select sum(c.${column}) from group_member_counters c where c.group_id = "groups"."id"), 0)`);

/** A group's member count: its column plus its counter rows (a primary-key range of ≤ 16 rows). */
export const groupMemberCount = sql<number>`greatest(${groups.memberCount} + ${sumOf("members")}, 0)::int`;

/** A group's ETag version: its own writes plus every member change. */
export const groupVersion = sql<number>`(${groups.version} + ${sumOf("changes")})::int`;

/** When the group or its members last changed. */
export const groupUpdatedAt = sql<Date>`greatest(${groups.updatedAt}, (select max(c.updated_at) from group_member_counters c where c.group_id = "groups"."id"))`.mapWith(
  groups.updatedAt,
);
