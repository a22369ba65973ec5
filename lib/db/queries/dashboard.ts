import "server-only";
import { and, asc, sql, type SQL } from "drizzle-orm";
import { getDb } from "../client";
import { decodeCursor, page } from "../keyset";
import { tenantCountColumns } from "./tenant-counters";
import { auditEvents, identityProviders, provisioningTokens, tenantCounters, tenants } from "../schema";

/** Tokens expiring within this many days are flagged. */
export const EXPIRY_WARNING_DAYS = 7;

export type DashboardSummary = {
  tenants: number;
  users: number;
  groups: number;
  /** Tenants with at least one failed audit event in the last 24 hours. */
  tenantsWithErrors: number;
  /** Live (not revoked, not expired) tokens expiring within EXPIRY_WARNING_DAYS. */
  tokensExpiring: number;
  /** Identity providers whose last Test sign-in failed. */
  failingIdps: number;
};

function inScope(column: SQL, tenantIds: string[] | "all") {
  if (tenantIds === "all") return sql`true`;
  return tenantIds.length ? sql`${column} in ${tenantIds}` : sql`false`;
}

/**
 * The dashboard's figures over every tenant the viewer may see, in one statement: counts come
 * from tenant_counters (never a count over users or groups), the rest from indexed ranges.
 */
export async function getDashboardSummary(tenantIds: string[] | "all"): Promise<DashboardSummary> {
  const db = await getDb();
  const horizon = sql`now() + make_interval(days => ${EXPIRY_WARNING_DAYS})`;
  const [row] = await db
    .select({
      tenants: sql<number>`(select count(*)::int from ${tenants} where ${inScope(sql`${tenants}.id`, tenantIds)})`,
      users: sql<number>`(select greatest(coalesce(sum(c.users), 0), 0)::int from ${tenantCounters} c where ${inScope(sql`c.tenant_id`, tenantIds)})`,
      groups: sql<number>`(select greatest(coalesce(sum(c.groups), 0), 0)::int from ${tenantCounters} c where ${inScope(sql`c.tenant_id`, tenantIds)})`,
      tenantsWithErrors: sql<number>`(select count(distinct e.tenant_id)::int from ${auditEvents} e
        where e.outcome = 'failure' and e.created_at > now() - interval '24 hours' and e.tenant_id is not null and ${inScope(sql`e.tenant_id`, tenantIds)})`,
      tokensExpiring: sql<number>`(select count(*)::int from ${provisioningTokens} t
        where t.revoked_at is null and t.expires_at > now() and t.expires_at <= ${horizon} and ${inScope(sql`t.tenant_id`, tenantIds)})`,
      failingIdps: sql<number>`(select count(*)::int from ${identityProviders} i where i.last_test_ok = false and ${inScope(sql`i.tenant_id`, tenantIds)})`,
    })
    .from(sql`(select 1) as one`);
  return row;
}

export type AttentionReason = "errors" | "tokens_expiring" | "no_active_token" | "idp_test_failed" | "no_scim_traffic";

export type TenantNeedingAttention = {
  id: string;
  name: string;
  slug: string;
  userCount: number;
  groupCount: number;
  lastScimRequestAt: Date | null;
  errors24h: number;
  activeTokens: number;
  tokensExpiring: number;
  failingIdps: number;
  reasons: AttentionReason[];
};

/**
 * The viewer's tenants that need a look, by name, keyset-paged on (name, id): failures in the
 * last 24 h, live tokens expiring within EXPIRY_WARNING_DAYS or none live at all, an IdP whose
 * last Test sign-in failed, or live tokens but no SCIM request in 24 h. Each figure is a probe
 * of the tenant's own index range (audit_events_tenant_created_idx, provisioning_tokens_tenant_idx,
 * identity_providers_tenant_idx).
 */
export async function listTenantsNeedingAttention(tenantIds: string[] | "all", options: { after?: string; limit?: number } = {}) {
  const db = await getDb();
  const limit = Math.min(Math.max(options.limit ?? 25, 1), 100);
  const id = sql`${tenants}.id`;
  const live = sql`t.revoked_at is null and t.expires_at > now()`;
  const health = db
    .select({
      id: tenants.id,
      name: tenants.name,
      slug: tenants.slug,
      ...tenantCountColumns,
      lastScimRequestAt: tenants.lastScimRequestAt,
      errors24h: sql<number>`(select count(*)::int from ${auditEvents} e
        where e.tenant_id = ${id} and e.created_at > now() - interval '24 hours' and e.outcome = 'failure')`.as("errors_24h"),
      activeTokens: sql<number>`(select count(*)::int from ${provisioningTokens} t where t.tenant_id = ${id} and ${live})`.as("active_tokens"),
      tokensExpiring: sql<number>`(select count(*)::int from ${provisioningTokens} t
        where t.tenant_id = ${id} and ${live} and t.expires_at <= now() + make_interval(days => ${EXPIRY_WARNING_DAYS}))`.as("tokens_expiring"),
      failingIdps: sql<number>`(select count(*)::int from ${identityProviders} i where i.tenant_id = ${id} and i.last_test_ok = false)`.as("failing_idps"),
    })
    .from(tenants)
    .where(inScope(id, tenantIds))
    .as("health");
  const after = decodeCursor(options.after, ["string", "string"]);
  const stale = sql`(${health.lastScimRequestAt} is null or ${health.lastScimRequestAt} < now() - interval '24 hours')`;
  const rows = await db
    .select()
    .from(health)
    .where(
      and(
        sql`(${health.errors24h} > 0 or ${health.tokensExpiring} > 0 or ${health.activeTokens} = 0 or ${health.failingIdps} > 0 or (${health.activeTokens} > 0 and ${stale}))`,
        after ? sql`(${health.name}, ${health.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(health.name), asc(health.id))
    .limit(limit + 1);
  const dayAgo = Date.now() - 86_400_000;
  const { rows: pageRows, nextCursor } = page(rows, limit, (row) => [row.name, row.id]);
  return {
    rows: pageRows.map((row): TenantNeedingAttention => {
      const reasons: AttentionReason[] = [];
      if (row.errors24h > 0) reasons.push("errors");
      if (row.failingIdps > 0) reasons.push("idp_test_failed");
      if (row.activeTokens === 0) reasons.push("no_active_token");
      if (row.tokensExpiring > 0) reasons.push("tokens_expiring");
      if (row.activeTokens > 0 && (!row.lastScimRequestAt || row.lastScimRequestAt.getTime() < dayAgo)) reasons.push("no_scim_traffic");
      return { ...row, reasons };
    }),
    nextCursor,
  };
}

