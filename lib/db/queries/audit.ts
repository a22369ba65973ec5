import "server-only";
import { getDb, type Db } from "../client";
import { auditEvents } from "../schema";

export type AuditInput = typeof auditEvents.$inferInsert;

const FORBIDDEN_DETAIL_KEYS = /secret|token|password|authorization|credential/i;

/** Strips anything secret-looking from audit details before it is stored. */
export function scrubDetails(details: Record<string, unknown> | undefined | null): Record<string, unknown> | null {
  if (!details) return null;
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (FORBIDDEN_DETAIL_KEYS.test(key)) continue;
    clean[key] = value && typeof value === "object" && !Array.isArray(value) ? scrubDetails(value as Record<string, unknown>) : value;
  }
  return clean;
}

export async function recordAudit(event: AuditInput, db?: Db) {
  const handle = db ?? (await getDb());
  await handle.insert(auditEvents).values({ ...event, details: scrubDetails(event.details) });
}
