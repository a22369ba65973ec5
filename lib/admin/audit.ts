import "server-only";
import type { Actor } from "../audit";
import type { Db } from "../db/client";
import { recordAudit, type AuditInput } from "../db/queries/audit";

/** What an admin operation records: the event, with its actor and tenant said explicitly. */
export type AdminEvent = Omit<AuditInput, "actorType" | "actorId" | "actorLabel" | "outcome"> & { outcome?: "success" | "failure" };

/** One event shape from every door: the same action, target and details whoever the actor is. */
export function recordAdminEvent(actor: Actor, event: AdminEvent, tx?: Db) {
  return recordAudit({ ...event, ...actor, outcome: event.outcome ?? "success" }, tx);
}
