"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError, tenantAction } from "@/lib/actions/action";
import { removeRoleMapping, setRoleMapping } from "@/lib/db/queries/role-mappings";

export const grantRoleAction = tenantAction(
  z.object({
    tenantId: z.uuid(),
    groupId: z.uuid(),
    role: z.enum(["tenant_admin", "read_only"], "Choose Tenant admin or Read-only"),
  }),
  async (input, ctx) => {
    const group = await setRoleMapping(input.tenantId, input.groupId, input.role);
    if (!group) throw new ActionError("This group no longer exists.");
    await ctx.audit({
      action: "role_mapping.granted",
      targetType: "group",
      targetId: group.id,
      targetLabel: group.displayName,
      details: { role: input.role },
    });
    revalidatePath("/groups", "layout");
    return { message: `${input.role === "tenant_admin" ? "Tenant admin" : "Read-only"} access granted to ${group.displayName}` };
  },
  { action: "role_mapping.granted" },
);

export const removeRoleAction = tenantAction(
  z.object({ tenantId: z.uuid(), groupId: z.uuid() }),
  async (input, ctx) => {
    const removed = await removeRoleMapping(input.tenantId, input.groupId);
    if (!removed) throw new ActionError("This group has no console role.");
    await ctx.audit({ action: "role_mapping.removed", targetType: "group", targetId: input.groupId });
    revalidatePath("/groups", "layout");
    return { message: "Console role removed" };
  },
  { action: "role_mapping.removed" },
);
