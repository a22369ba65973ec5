import type { PatchOperation } from "../scim/patch";
import { actors } from "../audit";
import type { ScimContext } from "./route";

/**
 * What SCIM writes to the audit log. Every event is the provisioning token's (`actors.scimToken`),
 * carries the request id, and keeps no attribute values: a PATCH keeps the op and path of each
 * operation only. Failed writes are audited by the route (lib/scim-server/route.ts) with the
 * same actor.
 */

/** A successful SCIM write: `scim.<user|group>.<verb>` on one resource. */
export function writeEvent(ctx: ScimContext, action: string, targetId: string, targetLabel: string, details: Record<string, unknown> | null) {
  const [, kind] = action.split(".");
  return {
    tenantId: ctx.tenantId,
    ...actors.scimToken(ctx.tokenId),
    action,
    targetType: kind,
    targetId,
    targetLabel,
    outcome: "success" as const,
    requestId: ctx.requestId,
    details,
  };
}

/** What an audit event keeps of a PATCH: the op and path of each operation, never values. */
export function summarizeOperations(operations: readonly PatchOperation[]) {
  return operations.slice(0, 50).map((o) => ({
    op: String(o.op).toLowerCase(),
    path: typeof o.path === "string" ? o.path.slice(0, 200) : null,
    ...(o.path ? {} : { keys: o.value && typeof o.value === "object" ? Object.keys(o.value).slice(0, 20) : [] }),
  }));
}
