import { recordAudit, type AuditInput } from "../lib/db/queries/audit";

/** Every write made through the CLI is audited as the system actor "cli". */
export function auditCli(event: Omit<AuditInput, "actorType" | "actorLabel" | "outcome">) {
  return recordAudit({ ...event, actorType: "system", actorLabel: "cli", outcome: "success" });
}
