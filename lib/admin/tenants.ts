import "server-only";
import { z } from "zod";
import type { Actor } from "../audit";
import { isUniqueViolation } from "../db/errors";
import { DOMAIN_TAKEN_CONSTRAINT, findDomainHolder, type DomainVerifier } from "../db/queries/tenant-domains";
import { createTenant as insertTenant, deleteTenant as removeTenant, findTenantById, findTenantBySlug, tenantSettings, updateTenant as writeTenant } from "../db/queries/tenants";
import { formBoolean, formList } from "../forms";
import type { TenantSettings } from "../db/schema";
import { forgetTenantLimit } from "../scim-server/limits";
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

/**
 * Requests per minute per provisioning token. Entra asks a SCIM endpoint to accept at least 25 a
 * second (1,500 a minute) and honours 429 + Retry-After, so a lower limit only slows its cycles;
 * under 10 a minute one cycle of a small tenant would mostly wait. Above a million a minute the
 * limit no longer limits anything the server could answer.
 */
export const SCIM_RATE_LIMIT = { min: 10, max: 1_000_000, entraMinimum: 1_500 } as const;

const scimRateLimitPerMinute = z.coerce
  .number("Enter a number of requests per minute")
  .int("Enter a whole number of requests per minute")
  .min(SCIM_RATE_LIMIT.min, `At least ${SCIM_RATE_LIMIT.min} requests per minute`)
  .max(SCIM_RATE_LIMIT.max, `At most ${SCIM_RATE_LIMIT.max.toLocaleString("en")} requests per minute`);

export const tenantSettingsSchema = z.object({
  userLinking: z.enum(["conflict", "link"], "Choose what happens when a user already exists"),
  defaultTokenDays: z.coerce
    .number("Enter a number of days")
    .int("Enter a whole number of days")
    .min(1, "At least 1 day")
    .max(MAX_TOKEN_DAYS, `At most ${MAX_TOKEN_DAYS} days (2 years)`),
  jitProvisioning: formBoolean,
  ssoMatchBy: z.enum(["automatic", "objectId", "userName"], "Choose how signed-in users are matched").default("automatic"),
  // Absent keeps the current limit (forms and callers that predate the setting).
  scimRateLimitPerMinute: scimRateLimitPerMinute.optional(),
});

export const updateTenantSchema = tenantFieldsSchema.extend(tenantSettingsSchema.shape).extend({ tenantId: z.uuid() });

/** Any subset of the settings (the CLI's flags): what is absent stays as it is. */
export const tenantSettingsPatchSchema = z.object({
  userLinking: tenantSettingsSchema.shape.userLinking.optional(),
  defaultTokenDays: tenantSettingsSchema.shape.defaultTokenDays.optional(),
  jitProvisioning: z.boolean().optional(),
  ssoMatchBy: z.enum(["automatic", "objectId", "userName"], "Choose how signed-in users are matched").optional(),
  scimRateLimitPerMinute: scimRateLimitPerMinute.optional(),
});

export type TenantSettingsPatch = z.infer<typeof tenantSettingsPatchSchema>;
export type SettingChanges = Partial<{ [K in keyof TenantSettings]: { from: TenantSettings[K]; to: TenantSettings[K] } }>;

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

/** What a write of `next` over `current` changes, setting by setting (defaults count as set). */
function settingChanges(current: TenantSettings, next: TenantSettings): SettingChanges {
  const before = tenantSettings(current);
  const after = tenantSettings(next);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof TenantSettings)[]) {
    if (before[key] !== after[key]) changes[key] = { from: before[key], to: after[key] };
  }
  return changes as SettingChanges;
}

/** Changed settings (the SCIM limit, user linking) count from this instance's next SCIM request, not when its cached copy expires. */
function applied(tenantId: string, changes: SettingChanges) {
  if (Object.keys(changes).length) forgetTenantLimit(tenantId);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function updateTenant(input: z.infer<typeof updateTenantSchema>, actor: Actor) {
  const current = await findTenantById(input.tenantId);
  if (!current) throw new AdminError(GONE);
  const other = await findTenantBySlug(input.slug);
  if (other && other.id !== current.id) throw slugTaken(input.slug);
  const settings: TenantSettings = {
    ...current.settings,
    ...withoutUndefined({
      userLinking: input.userLinking,
      defaultTokenDays: input.defaultTokenDays,
      jitProvisioning: input.jitProvisioning,
      ssoMatchBy: input.ssoMatchBy,
      scimRateLimitPerMinute: input.scimRateLimitPerMinute,
    }),
  };
  const changes = settingChanges(current.settings, settings);
  try {
    await writeTenant(input.tenantId, { name: input.name, slug: input.slug, settings });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(input.slug);
    throw error;
  }
  applied(current.id, changes);
  await recordAdminEvent(actor, {
    tenantId: current.id,
    action: "tenant.updated",
    targetType: "tenant",
    targetId: current.id,
    targetLabel: input.name,
    details: { name: input.name, slug: input.slug, settings, changes },
  });
}

/**
 * Changes some of a tenant's settings and keeps the rest (the CLI's `tenant settings`). Audited
 * as the console's save is; a patch that changes nothing writes and records nothing.
 */
export async function updateTenantSettings(tenantId: string, patch: TenantSettingsPatch, actor: Actor) {
  const current = await findTenantById(tenantId);
  if (!current) throw new AdminError(GONE);
  const parsed = tenantSettingsPatchSchema.safeParse(patch);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new AdminError(issue.message, { [String(issue.path[0] ?? "_form")]: issue.message });
  }
  const settings: TenantSettings = { ...current.settings, ...withoutUndefined(parsed.data) };
  const changes = settingChanges(current.settings, settings);
  if (!Object.keys(changes).length) return { settings: tenantSettings(settings), changes };
  await writeTenant(current.id, { settings });
  applied(current.id, changes);
  await recordAdminEvent(actor, {
    tenantId: current.id,
    action: "tenant.updated",
    targetType: "tenant",
    targetId: current.id,
    targetLabel: current.name,
    details: { name: current.name, slug: current.slug, settings, changes },
  });
  return { settings: tenantSettings(settings), changes };
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
