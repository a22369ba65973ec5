import "server-only";
import { z } from "zod";
import type { Actor } from "../audit";
import { isUniqueViolation } from "../db/errors";
import { DOMAIN_TAKEN_CONSTRAINT, findDomainHolder, type DomainVerifier } from "../db/queries/tenant-domains";
import { createTenant as insertTenant, deleteTenant as removeTenant, findTenantById, findTenantBySlug, updateTenant as writeTenant } from "../db/queries/tenants";
import { formBoolean, formList } from "../forms";
import { recordAdminEvent } from "./audit";
import { AdminError } from "./errors";
import { MAX_TOKEN_DAYS } from "./token-lifetime";

/** A tenant's slug and email domains, the same from the console and the CLI. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
export const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const MAX_DOMAINS_PER_TENANT = 50;

export const DOMAIN_TAKEN = "Another tenant has already claimed this domain. If your organisation owns it, ask a platform admin to release it.";

export const tenantFieldsSchema = z.object({
  name: z.string().trim().min(1, "Enter the organisation's name").max(100, "Keep the name under 100 characters"),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(SLUG_PATTERN, "Use 1–48 lower-case letters, digits or dashes, starting and ending with a letter or digit"),
});

export const tenantDomainsSchema = formList.pipe(
  z
    .array(z.string().regex(DOMAIN_PATTERN, "Enter email domains like example.com, separated by commas"))
    .max(MAX_DOMAINS_PER_TENANT, `At most ${MAX_DOMAINS_PER_TENANT} domains`)
    .transform((list) => [...new Set(list)]),
);

export const createTenantSchema = tenantFieldsSchema.extend({ domains: tenantDomainsSchema });

export const tenantSettingsSchema = z.object({
  userLinking: z.enum(["conflict", "link"], "Choose what happens when a user already exists"),
  defaultTokenDays: z.coerce
    .number("Enter a number of days")
    .int("Enter a whole number of days")
    .min(1, "At least 1 day")
    .max(MAX_TOKEN_DAYS, `At most ${MAX_TOKEN_DAYS} days (2 years)`),
  jitProvisioning: formBoolean,
  ssoMatchBy: z.enum(["automatic", "objectId", "userName"], "Choose how signed-in users are matched").default("automatic"),
});

export const updateTenantSchema = tenantFieldsSchema.extend(tenantSettingsSchema.shape).extend({ tenantId: z.uuid() });

export const domainClaimSchema = z.object({
  tenantId: z.uuid(),
  domain: z.string().trim().toLowerCase().regex(DOMAIN_PATTERN, "Enter an email domain like example.com"),
});

export const domainRefSchema = z.object({ tenantId: z.uuid(), domainId: z.uuid() });

const slugTaken = (slug: string) => new AdminError(`A tenant with slug "${slug}" already exists.`, { slug: "Another tenant already uses this slug" });
const GONE = "This tenant no longer exists.";

async function assertDomainsFree(domains: string[]) {
  for (const domain of domains) {
    if (await findDomainHolder(domain)) throw new AdminError(`${domain}: ${DOMAIN_TAKEN}`, { domains: `${domain}: ${DOMAIN_TAKEN}` });
  }
}

/**
 * A tenant and its email domains. Console-claimed domains start unverified (the tenant page
 * shows each one's DNS record); the platform operator at the CLI vouches for them (`manual`).
 */
export async function createTenant(input: z.infer<typeof createTenantSchema>, actor: Actor, options: { domainsVerifiedBy?: DomainVerifier } = {}) {
  if (await findTenantBySlug(input.slug)) throw slugTaken(input.slug);
  await assertDomainsFree(input.domains);
  let tenant;
  try {
    tenant = await insertTenant({ name: input.name, slug: input.slug, domains: input.domains, domainsVerifiedBy: options.domainsVerifiedBy });
  } catch (error) {
    if (isUniqueViolation(error, DOMAIN_TAKEN_CONSTRAINT)) throw new AdminError(DOMAIN_TAKEN, { domains: DOMAIN_TAKEN });
    if (isUniqueViolation(error)) throw slugTaken(input.slug);
    throw error;
  }
  const verifiedBy = input.domains.length ? options.domainsVerifiedBy : undefined;
  await recordAdminEvent(actor, {
    tenantId: tenant.id,
    action: "tenant.created",
    targetType: "tenant",
    targetId: tenant.id,
    targetLabel: tenant.name,
    details: { slug: tenant.slug, domains: input.domains, domainsVerifiedBy: verifiedBy },
  });
  return tenant;
}

export async function updateTenant(input: z.infer<typeof updateTenantSchema>, actor: Actor) {
  const current = await findTenantById(input.tenantId);
  if (!current) throw new AdminError(GONE);
  const other = await findTenantBySlug(input.slug);
  if (other && other.id !== current.id) throw slugTaken(input.slug);
  const settings = {
    ...current.settings,
    userLinking: input.userLinking,
    defaultTokenDays: input.defaultTokenDays,
    jitProvisioning: input.jitProvisioning,
    ssoMatchBy: input.ssoMatchBy,
  };
  try {
    await writeTenant(input.tenantId, { name: input.name, slug: input.slug, settings });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(input.slug);
    throw error;
  }
  await recordAdminEvent(actor, {
    tenantId: current.id,
    action: "tenant.updated",
    targetType: "tenant",
    targetId: current.id,
    targetLabel: input.name,
    details: { name: input.name, slug: input.slug, settings },
  });
}

export async function deleteTenant(tenantId: string, actor: Actor) {
  const tenant = await findTenantById(tenantId);
  if (!tenant) throw new AdminError(GONE);
  await removeTenant(tenant.id);
  // The tenant row is gone, so the event is kept at platform level.
  await recordAdminEvent(actor, {
    tenantId: null,
    action: "tenant.deleted",
    targetType: "tenant",
    targetId: tenant.id,
    targetLabel: tenant.name,
    details: { slug: tenant.slug, users: tenant.userCount, groups: tenant.groupCount },
  });
}
