"use server";

import { revalidatePath } from "next/cache";
import { tenantAction } from "@/lib/actions/action";
import { grantRole, grantRoleSchema, groupRefSchema, groupRoleLabel, removeRole } from "@/lib/admin/groups";

export const grantRoleAction = tenantAction(
  grantRoleSchema,
  async (input, ctx) => {
    const group = await grantRole(input, ctx.actor);
    revalidatePath("/groups", "layout");
    return { message: `${groupRoleLabel(input.role)} access granted to ${group.displayName}` };
  },
  { action: "role_mapping.granted" },
);

export const removeRoleAction = tenantAction(
  groupRefSchema,
  async (input, ctx) => {
    await removeRole(input.tenantId, input.groupId, ctx.actor);
    revalidatePath("/groups", "layout");
    return { message: "Console role removed" };
  },
  { action: "role_mapping.removed" },
);
