"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ActionError, isUniqueViolation, platformAction, tenantAction } from "@/lib/actions/action";
import { createTenant, deleteTenant, findTenantById, findTenantBySlug, updateTenant } from "@/lib/db/queries/tenants";
import { createProvisioningToken, deleteProvisioningToken, revokeProvisioningToken } from "@/lib/db/queries/tokens";
import { DOMAIN_TAKEN_CONSTRAINT, findDomainHolder } from "@/lib/db/queries/tenant-domains";
import { createTenantSchema, DOMAIN_TAKEN, tenantFieldsSchema, tenantSettingsSchema } from "./schemas";


const SLUG_TAKEN = { slug: "Another tenant already uses this slug" };

async function assertDomainsFree(domains: string[]) {
  for (const domain of domains) {
    if (await findDomainHolder(domain)) throw new ActionError(`${domain}: ${DOMAIN_TAKEN}`, { domains: `${domain}: ${DOMAIN_TAKEN}` });
  }
}

export const createTenantAction = platformAction(
  createTenantSchema,
  async (input, ctx) => {
    if (await findTenantBySlug(input.slug)) throw new ActionError("That slug is taken.", SLUG_TAKEN);
    await assertDomainsFree(input.domains);
    let tenant;
    try {
      // Claimed unverified: the tenant page shows each domain's DNS record, or a platform admin marks it verified.
      tenant = await createTenant({ name: input.name, slug: input.slug, domains: input.domains });
    } catch (error) {
      if (isUniqueViolation(error, DOMAIN_TAKEN_CONSTRAINT)) throw new ActionError(DOMAIN_TAKEN, { domains: DOMAIN_TAKEN });
      if (isUniqueViolation(error)) throw new ActionError("That slug is taken.", SLUG_TAKEN);
      throw error;
    }
    await ctx.audit({
      tenantId: tenant.id,
      action: "tenant.created",
      targetType: "tenant",
      targetId: tenant.id,
      targetLabel: tenant.name,
      details: { slug: tenant.slug, domains: input.domains },
    });
    revalidatePath("/tenants");
    revalidatePath("/dashboard");
    redirect(`/tenants/${tenant.id}?created=1`);
  },
  { action: "tenant.created" },
);

const updateTenantSchema = tenantFieldsSchema.extend(tenantSettingsSchema.shape).extend({ tenantId: z.uuid() });

export const updateTenantAction = tenantAction(
  updateTenantSchema,
  async (input, ctx) => {
    const current = await findTenantById(input.tenantId);
    if (!current) throw new ActionError("This tenant no longer exists.");
    const other = await findTenantBySlug(input.slug);
    if (other && other.id !== current.id) throw new ActionError("That slug is taken.", SLUG_TAKEN);
    const settings = {
      ...current.settings,
      userLinking: input.userLinking,
      defaultTokenDays: input.defaultTokenDays,
      jitProvisioning: input.jitProvisioning,
      ssoMatchBy: input.ssoMatchBy,
    };
    try {
      await updateTenant(input.tenantId, { name: input.name, slug: input.slug, settings });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ActionError("That slug is taken.", SLUG_TAKEN);
      throw error;
    }
    await ctx.audit({
      action: "tenant.updated",
      targetType: "tenant",
      targetId: current.id,
      targetLabel: input.name,
      details: { name: input.name, slug: input.slug, settings },
    });
    revalidatePath("/tenants", "layout");
    revalidatePath("/dashboard");
    return { message: "Tenant saved" };
  },
  { action: "tenant.updated" },
);

export const deleteTenantAction = platformAction(
  z.object({ tenantId: z.uuid() }),
  async (input, ctx) => {
    const tenant = await findTenantById(input.tenantId);
    if (!tenant) throw new ActionError("This tenant no longer exists.");
    await deleteTenant(tenant.id);
    // The tenant row is gone, so the event is kept at platform level.
    await ctx.audit({
      tenantId: null,
      action: "tenant.deleted",
      targetType: "tenant",
      targetId: tenant.id,
      targetLabel: tenant.name,
      details: { slug: tenant.slug, users: tenant.userCount, groups: tenant.groupCount },
    });
    revalidatePath("/tenants");
    revalidatePath("/dashboard");
    redirect("/tenants?deleted=1");
  },
  { action: "tenant.deleted" },
);

const MAX_TOKEN_DAYS = 730;

const generateTokenSchema = z.object({
  tenantId: z.uuid(),
  name: z.string().trim().min(1, "Give the token a name, e.g. “Entra provisioning”").max(100, "Keep the name under 100 characters"),
  expiresOn: z.iso.date("Pick an expiry date").refine((value) => {
    const end = endOfDayUtc(value).getTime();
    return end > Date.now() && end <= Date.now() + (MAX_TOKEN_DAYS + 1) * 86_400_000;
  }, "Pick a date between tomorrow and two years from today"),
});

function endOfDayUtc(isoDate: string) {
  return new Date(`${isoDate}T23:59:59.999Z`);
}

/** The one action whose answer carries a secret: the token, shown once in its dialog. */
export const generateTokenAction = tenantAction(
  generateTokenSchema,
  async (input, ctx) => {
    const { row, token } = await createProvisioningToken(input.tenantId, {
      name: input.name,
      expiresAt: endOfDayUtc(input.expiresOn),
      createdBy: ctx.viewer.email ?? ctx.viewer.userName,
    });
    await ctx.audit({
      action: "token.created",
      targetType: "provisioning_token",
      targetId: row.id,
      targetLabel: row.name,
      details: { expiresAt: row.expiresAt.toISOString(), last4: row.last4 },
    });
    revalidatePath(`/tenants/${input.tenantId}`);
    revalidatePath("/dashboard");
    return { data: { token, name: row.name, expiresAt: row.expiresAt.toISOString() }, message: "Provisioning token generated" };
  },
  { action: "token.created" },
);

const tokenRefSchema = z.object({ tenantId: z.uuid(), tokenId: z.uuid() });

export const revokeTokenAction = tenantAction(
  tokenRefSchema,
  async (input, ctx) => {
    const row = await revokeProvisioningToken(input.tenantId, input.tokenId);
    if (!row) throw new ActionError("This token no longer exists.");
    await ctx.audit({ action: "token.revoked", targetType: "provisioning_token", targetId: row.id, targetLabel: row.name });
    revalidatePath(`/tenants/${input.tenantId}`);
    revalidatePath("/dashboard");
    return { message: `Token “${row.name}” revoked` };
  },
  { action: "token.revoked" },
);

export const deleteTokenAction = tenantAction(
  tokenRefSchema,
  async (input, ctx) => {
    const deleted = await deleteProvisioningToken(input.tenantId, input.tokenId);
    if (!deleted) throw new ActionError("This token no longer exists.");
    await ctx.audit({ action: "token.deleted", targetType: "provisioning_token", targetId: input.tokenId });
    revalidatePath(`/tenants/${input.tenantId}`);
    revalidatePath("/dashboard");
    return { message: "Token deleted" };
  },
  { action: "token.deleted" },
);
