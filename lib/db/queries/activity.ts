import "server-only";
import { and, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "../client";
import { auditEvents, tenants } from "../schema";
import { escapeLike } from "../like";
import { decodeCursor, page } from "../keyset";

export type ActivityFilters = {
  tenantId?: string;
  /** Prefix match: "scim.user" finds scim.user.created, scim.user.updated… */
  action?: string;
  outcome?: "success" | "failure";
  actor?: string;
  from?: Date;
  to?: Date;
  after?: string;
  limit?: number;
};

/**
 * Audit events within the viewer's tenants, newest first, keyset-paged on (created_at, id)
 * so it walks audit_events_tenant_created_idx / audit_events_created_idx and never counts.
 */
export async function listAuditEvents(tenantIds: string[] | "all", filters: ActivityFilters = {}) {
  const db = await getDb();
  const limit = Math.min(filters.limit ?? 50, 200);
  const where: (SQL | undefined)[] = [];
  if (tenantIds !== "all") where.push(tenantIds.length ? sql`${auditEvents.tenantId} in ${tenantIds}` : sql`false`);
  if (filters.tenantId) where.push(eq(auditEvents.tenantId, filters.tenantId));
  if (filters.action?.trim()) where.push(sql`${auditEvents.action} like ${`${escapeLike(filters.action.trim())}%`}`);
  if (filters.outcome) where.push(eq(auditEvents.outcome, filters.outcome));
  if (filters.actor?.trim()) {
    const pattern = `%${escapeLike(filters.actor.trim())}%`;
    where.push(or(ilike(auditEvents.actorLabel, pattern), eq(auditEvents.actorId, filters.actor.trim())));
  }
  if (filters.from) where.push(sql`${auditEvents.createdAt} >= ${filters.from.toISOString()}::timestamptz`);
  if (filters.to) where.push(sql`${auditEvents.createdAt} < ${filters.to.toISOString()}::timestamptz`);
  const after = decodeCursor(filters.after, ["string", "integer"]);
  if (after) where.push(sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${after[0]}::timestamptz, ${after[1]})`);
  const rows = await db
    .select({
      id: auditEvents.id,
      tenantId: auditEvents.tenantId,
      tenantName: tenants.name,
      actorType: auditEvents.actorType,
      actorId: auditEvents.actorId,
      actorLabel: auditEvents.actorLabel,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      targetLabel: auditEvents.targetLabel,
      outcome: auditEvents.outcome,
      statusCode: auditEvents.statusCode,
      requestId: auditEvents.requestId,
      details: auditEvents.details,
      createdAt: auditEvents.createdAt,
      cursorKey: sql<string>`${auditEvents.createdAt}::text`,
    })
    .from(auditEvents)
    .leftJoin(tenants, eq(tenants.id, auditEvents.tenantId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit + 1);
  const { rows: pageRows, nextCursor } = page(rows, limit, (row) => [row.cursorKey, row.id]);
  return { rows: pageRows.map(({ cursorKey: _key, ...row }) => row), nextCursor };
}

export type ActivityRow = Awaited<ReturnType<typeof listAuditEvents>>["rows"][number];
