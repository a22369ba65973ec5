import "server-only";
import { getDb, type Db } from "../client";
import { auditEvents } from "../schema";
import { redactAuditDetails } from "../../audit";

export type AuditInput = typeof auditEvents.$inferInsert;

export async function recordAudit(event: AuditInput, db?: Db) {
  const handle = db ?? (await getDb());
  await handle.insert(auditEvents).values({ ...event, details: redactAuditDetails(event.details) });
}
