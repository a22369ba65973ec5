import { actors } from "../lib/audit";
import { recordAudit, type AuditInput } from "../lib/db/queries/audit";

/** CLI writes outside the admin operations (migrations) are audited as the system actor "cli". */
export function auditCli(event: Omit<AuditInput, "actorType" | "actorId" | "actorLabel" | "outcome">) {
  return recordAudit({ ...event, ...actors.cli(), outcome: "success" });
}
