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

/** The row recordAudit writes: the request id filled in, the details redacted. */
export async function auditRow(event: AuditInput): Promise<AuditInput> {
  const requestId = event.requestId ?? (await currentRequestId()) ?? null;
  return { ...event, requestId, details: redactAuditDetails(event.details) };
}
