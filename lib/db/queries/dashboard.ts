import "server-only";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "../client";
import { tenantCountColumns } from "./tenant-counters";
import { auditEvents, identityProviders, provisioningTokens, tenants } from "../schema";

export type TenantHealth = {
  id: string;
  name: string;
  slug: string;
  userCount: number;
  groupCount: number;
  lastScimRequestAt: Date | null;
  errors24h: number;
  activeTokens: number;
  idps: { active: number; draft: number; inactive: number };
};

/**
 * One card per tenant: maintained counters from `tenant_counters`, plus three grouped queries over
 * indexed ranges (failures in the last 24 h, IdPs by status, live tokens) — never a count(*)
 * over users or groups.
 */
export async function getDashboard(tenantIds: string[] | "all", limit = 50): Promise<TenantHealth[]> {
  const db = await getDb();
  const rows = await db
    .select({
      id: tenants.id,
      name: tenants.name,
      slug: tenants.slug,
      ...tenantCountColumns,
      lastScimRequestAt: tenants.lastScimRequestAt,
    })
    .from(tenants)
    .where(tenantIds === "all" ? undefined : tenantIds.length ? sql`${tenants.id} in ${tenantIds}` : sql`false`)
    .orderBy(desc(tenants.createdAt))
    .limit(limit);
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [errors, idps, tokens] = await Promise.all([
    db
      .select({ tenantId: auditEvents.tenantId, count: sql<number>`count(*)::int` })
      .from(auditEvents)
      .where(
        and(
          sql`${auditEvents.tenantId} in ${ids}`,
          eq(auditEvents.outcome, "failure"),
          sql`${auditEvents.createdAt} > now() - interval '24 hours'`,
        ),
      )
      .groupBy(auditEvents.tenantId),
    db
      .select({ tenantId: identityProviders.tenantId, status: identityProviders.status, count: sql<number>`count(*)::int` })
      .from(identityProviders)
      .where(sql`${identityProviders.tenantId} in ${ids}`)
      .groupBy(identityProviders.tenantId, identityProviders.status),
    db
      .select({ tenantId: provisioningTokens.tenantId, count: sql<number>`count(*)::int` })
      .from(provisioningTokens)
      .where(and(sql`${provisioningTokens.tenantId} in ${ids}`, isNull(provisioningTokens.revokedAt), gt(provisioningTokens.expiresAt, sql`now()`)))
      .groupBy(provisioningTokens.tenantId),
  ]);
  return rows.map((tenant) => {
    const idpCounts = { active: 0, draft: 0, inactive: 0 };
    for (const row of idps) if (row.tenantId === tenant.id) idpCounts[row.status] = row.count;
    return {
      ...tenant,
      errors24h: errors.find((e) => e.tenantId === tenant.id)?.count ?? 0,
      activeTokens: tokens.find((t) => t.tenantId === tenant.id)?.count ?? 0,
      idps: idpCounts,
    };
  });
}
