import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb } from "../client";
import { auditEvents, scimUsage, usageDays } from "../schema";

/** How many UTC days the console's charts cover, today included. */
export const CHART_DAYS = 30;

export type UsageDay = {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  requests: number;
  reads: number;
  writes: number;
  errors: number;
  rateLimited: number;
  signIns: number;
  signInFailures: number;
  /** Users and groups as last seen on or before this day (carried forward); null before anything was counted. */
  users: number | null;
  groups: number | null;
};

export type ActivityDay = { day: string; success: number; failure: number };

/** node-postgres, Neon and PGlite answer `{ rows }`; some drivers a bare array. */
function resultRows<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** The `days` UTC days ending with `today`, oldest first. */
export function chartDays(days = CHART_DAYS, today = new Date()): string[] {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: days }, (_, i) => utcDay(new Date(end - (days - 1 - i) * 86_400_000)));
}

function inScope(column: SQL | typeof scimUsage.tenantId | typeof auditEvents.tenantId, tenantIds: string[] | "all") {
  if (tenantIds === "all") return sql`true`;
  return tenantIds.length ? sql`${column} in ${tenantIds}` : sql`false`;
}

/** One tenant's usage per day over the chart window. */
export function getTenantUsage(tenantId: string, days = CHART_DAYS, today = new Date()) {
  return getOverallUsage([tenantId], days, today);
}

/**
 * Usage per day summed over the given tenants (the viewer's scope). Traffic is a sum over the
 * window's rows (scim_usage_day_idx), or for every tenant usage_days' row a day (which keeps a
 * deleted tenant's past traffic: those requests happened); users and groups are each tenant's last seen count carried
 * forward and then summed, computed as a running sum of per-tenant changes so the database returns
 * one row per day whatever the number of tenants.
 */
export async function getOverallUsage(tenantIds: string[] | "all", days = CHART_DAYS, today = new Date()): Promise<UsageDay[]> {
  const window = chartDays(days, today);
  const first = window[0];
  const last = window[window.length - 1];
  const db = await getDb();
  const scope = inScope(scimUsage.tenantId, tenantIds);
  const [traffic, changes] = await Promise.all([
    tenantIds === "all" ? overallTraffic(db, first, last) : db
      .select({
        day: scimUsage.day,
        reads: sql<number>`sum(${scimUsage.reads})::int`,
        writes: sql<number>`sum(${scimUsage.writes})::int`,
        errors: sql<number>`sum(${scimUsage.errors})::int`,
        rateLimited: sql<number>`sum(${scimUsage.rateLimited})::int`,
        signIns: sql<number>`sum(${scimUsage.signIns})::int`,
        signInFailures: sql<number>`sum(${scimUsage.signInFailures})::int`,
      })
      .from(scimUsage)
      .where(sql`${scimUsage.day} >= ${first} and ${scimUsage.day} <= ${last} and ${scope}`)
      .groupBy(scimUsage.day),
    tenantIds === "all" ? overallChanges(db, first, last) : db.execute(sql`
      with seen as (
        select tenant_id, day, users, coalesce(groups, 0) as groups
          from ${scimUsage}
          where day >= ${first} and day <= ${last} and users is not null and ${scope}
        union all
        (select distinct on (tenant_id) tenant_id, '' as day, users, coalesce(groups, 0) as groups
          from ${scimUsage}
          where day < ${first} and users is not null and ${scope}
          order by tenant_id, scim_usage.day desc)
      ), changes as (
        select day,
               users - coalesce(lag(users) over (partition by tenant_id order by day), 0) as users,
               groups - coalesce(lag(groups) over (partition by tenant_id order by day), 0) as groups
          from seen
      )
      select day, sum(users)::int as users, sum(groups)::int as groups from changes group by day order by day`),
  ]);
  const byDay = new Map(traffic.map((row) => [row.day, row]));
  const changeByDay = new Map(resultRows<{ day: string; users: number; groups: number }>(changes).map((row) => [row.day, row]));
  let users: number | null = null;
  let groups: number | null = null;
  const before = changeByDay.get("");
  if (before) [users, groups] = [Number(before.users), Number(before.groups)];
  return window.map((day) => {
    const change = changeByDay.get(day);
    if (change) [users, groups] = [(users ?? 0) + Number(change.users), (groups ?? 0) + Number(change.groups)];
    const row = byDay.get(day);
    const reads = row?.reads ?? 0;
    const writes = row?.writes ?? 0;
    return {
      day,
      requests: reads + writes,
      reads,
      writes,
      errors: row?.errors ?? 0,
      rateLimited: row?.rateLimited ?? 0,
      signIns: row?.signIns ?? 0,
      signInFailures: row?.signInFailures ?? 0,
      users,
      groups,
    };
  });
}

/** Every tenant's traffic per day (usage_days, a row a day however many tenants there are). */
function overallTraffic(db: Awaited<ReturnType<typeof getDb>>, first: string, last: string) {
  return db
    .select({
      day: usageDays.day,
      reads: usageDays.reads,
      writes: usageDays.writes,
      errors: usageDays.errors,
      rateLimited: usageDays.rateLimited,
      signIns: usageDays.signIns,
      signInFailures: usageDays.signInFailures,
    })
    .from(usageDays)
    .where(sql`${usageDays.day} >= ${first} and ${usageDays.day} <= ${last}`);
}

/**
 * Every tenant's users and groups as changes per day (usage_days, a row a day however many
 * tenants there are): the days before the window are summed into the "" row, as the per-tenant
 * query answers them.
 */
async function overallChanges(db: Awaited<ReturnType<typeof getDb>>, first: string, last: string) {
  return db.execute(sql`
    select day, sum(users_change)::int as users, sum(groups_change)::int as groups from (
      select case when day < ${first} then '' else day end as day, users_change, groups_change
      from ${usageDays} where day <= ${last}
    ) as days group by day`);
}

/**
 * Audit events per UTC day by outcome over the chart window, for the given tenants: a range
 * over audit_events_tenant_created_idx (a tenant list) or audit_events_created_idx (all).
 */
export async function getActivityByDay(tenantIds: string[] | "all", days = CHART_DAYS, today = new Date()): Promise<ActivityDay[]> {
  const window = chartDays(days, today);
  const db = await getDb();
  const dayOf = sql<string>`to_char(${auditEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  const rows = await db
    .select({ day: dayOf, outcome: auditEvents.outcome, count: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(sql`${auditEvents.createdAt} >= ${`${window[0]}T00:00:00Z`}::timestamptz and ${inScope(auditEvents.tenantId, tenantIds)}`)
    .groupBy(dayOf, auditEvents.outcome);
  return window.map((day) => ({
    day,
    success: rows.find((r) => r.day === day && r.outcome === "success")?.count ?? 0,
    failure: rows.find((r) => r.day === day && r.outcome === "failure")?.count ?? 0,
  }));
}
