import "server-only";
import { and, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "../client";
import { auditEvents, tenants } from "../schema";
import { escapeLike } from "./tenants";

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

function encode(key: [string, number]) {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

function decode(cursor: string | undefined): [string, number] | null {
  if (!cursor) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return Array.isArray(value) && typeof value[0] === "string" && Number.isSafeInteger(value[1]) ? [value[0], value[1]] : null;
  } catch {
    return null;
  }
}

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
  const after = decode(filters.after);
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
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page.map(({ cursorKey: _key, ...row }) => row),
    nextCursor: rows.length > limit && last ? encode([last.cursorKey, last.id]) : null,
  };
}

export type ActivityRow = Awaited<ReturnType<typeof listAuditEvents>>["rows"][number];
