"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { platformAction, tenantAction } from "@/lib/actions/action";
import { createTenant, createTenantSchema, deleteTenant, updateTenant, updateTenantSchema } from "@/lib/admin/tenants";

export const createTenantAction = platformAction(
  createTenantSchema,
  async (input, ctx) => {
    const tenant = await createTenant(input, ctx.actor);
    revalidatePath("/tenants");
    revalidatePath("/dashboard");
    redirect(`/tenants/${tenant.id}?created=1`);
  },
  { action: "tenant.created" },
);

export const updateTenantAction = tenantAction(
  updateTenantSchema,
  async (input, ctx) => {
    await updateTenant(input, ctx.actor);
    revalidatePath("/tenants", "layout");
    revalidatePath("/dashboard");
    return { message: "Tenant saved" };
  },
  { action: "tenant.updated" },
);

export const deleteTenantAction = platformAction(
  z.object({ tenantId: z.uuid() }),
  async (input, ctx) => {
    await deleteTenant(input.tenantId, ctx.actor);
    revalidatePath("/tenants");
    revalidatePath("/dashboard");
    redirect("/tenants?deleted=1");
  },
  { action: "tenant.deleted" },
);
