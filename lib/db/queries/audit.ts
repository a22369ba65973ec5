import "server-only";
import { getDb, type Db } from "../client";
import { auditEvents } from "../schema";
import { redactAuditDetails } from "../../audit";
import { currentRequestId } from "../../request-id";

export type AuditInput = typeof auditEvents.$inferInsert;

/** Writes one audit row; written during a request, it carries that request's id unless the caller named one. */
export async function recordAudit(event: AuditInput, db?: Db) {
  const handle = db ?? (await getDb());
  await handle.insert(auditEvents).values(await auditRow(event));
}

/** An audit row (from auditRow) as the values of a prepared statement's placeholders, details as JSON text. */
export function auditParams(row: AuditInput) {
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
