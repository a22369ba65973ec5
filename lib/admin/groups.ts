import "server-only";
import { z } from "zod";
import type { Actor } from "../audit";
import { removeRoleMapping, setRoleMapping } from "../db/queries/role-mappings";
import { recordAdminEvent } from "./audit";
import { AdminError } from "./errors";

/** The console roles a group's members may get; platform roles are never granted by group. */
export const GROUP_ROLES = ["tenant_admin", "read_only"] as const;
export const groupRoleLabel = (role: (typeof GROUP_ROLES)[number]) => (role === "tenant_admin" ? "Tenant admin" : "Read-only");

export const groupRefSchema = z.object({ tenantId: z.uuid(), groupId: z.uuid() });
export const grantRoleSchema = groupRefSchema.extend({ role: z.enum(GROUP_ROLES, "Choose Tenant admin or Read-only") });

export async function grantRole(input: z.infer<typeof grantRoleSchema>, actor: Actor) {
  const group = await setRoleMapping(input.tenantId, input.groupId, input.role);
  if (!group) throw new AdminError("This group no longer exists.");
  await recordAdminEvent(actor, {
    tenantId: input.tenantId,
    action: "role_mapping.granted",
    targetType: "group",
    targetId: group.id,
    targetLabel: group.displayName,
    details: { role: input.role },
  });
  return group;
}

export async function removeRole(tenantId: string, groupId: string, actor: Actor) {
  if (!(await removeRoleMapping(tenantId, groupId))) throw new AdminError("This group has no console role.");
  await recordAdminEvent(actor, { tenantId, action: "role_mapping.removed", targetType: "group", targetId: groupId });
}
