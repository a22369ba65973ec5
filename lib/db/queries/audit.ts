import "server-only";
import { sql, type Placeholder } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { auditEvents } from "../schema";
import { redactAuditDetails } from "../../audit";
import { currentRequestId } from "../../request-id";

export type AuditInput = typeof auditEvents.$inferInsert;

/** Writes one audit row; written during a request, it carries that request's id unless the caller named one. */
export async function recordAudit(event: AuditInput, db?: Db) {
  await auditInsert(db ?? (await getDb()), [await auditRow(event)]);
}

/** The insert of audit rows made by auditRow, unrun: a statement may carry it as a WITH query. */
export function auditInsert(db: Db, rows: AuditInput[]) {
  return db.insert(auditEvents).values(rows).returning({ id: auditEvents.id });
}

/** The placeholders a prepared statement writes an audit row from; auditParams gives their values. */
const AUDIT_PARAMS = ["auditTenantId", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "targetLabel", "outcome", "requestId", "details"] as const;
export type AuditParam = (typeof AUDIT_PARAMS)[number];

export function auditPlaceholders() {
  return Object.fromEntries(AUDIT_PARAMS.map((name) => [name, sql.placeholder(name)])) as Record<AuditParam, Placeholder>;
}

/** An audit row (from auditRow) as the values of auditPlaceholders, details as JSON text. */
export function auditParams(row: AuditInput): Record<AuditParam, string | null> {
  return {
    auditTenantId: row.tenantId ?? null,
    actorType: row.actorType,
    actorId: row.actorId ?? null,
    actorLabel: row.actorLabel ?? null,
    action: row.action,
    targetType: row.targetType ?? null,
    targetId: row.targetId ?? null,
    targetLabel: row.targetLabel ?? null,
    outcome: row.outcome,
    requestId: row.requestId ?? null,
    details: JSON.stringify(row.details ?? null),
  };
}

/** The row recordAudit writes: the request id filled in, the details redacted. */
export async function auditRow(event: AuditInput): Promise<AuditInput> {
  const requestId = event.requestId ?? (await currentRequestId()) ?? null;
  return { ...event, requestId, details: redactAuditDetails(event.details) };
}
