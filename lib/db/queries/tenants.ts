import "server-only";
import { and, desc, eq, getTableColumns, ilike, or, sql } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { tenants, type TenantSettings } from "../schema";
import { slugify as slugFromName } from "../../slug";
import { insertTenantDomains, type DomainVerifier } from "./tenant-domains";
import { isUuid } from "../../uuid";
import { escapeLike } from "../like";
import { tenantCountColumns } from "./tenant-counters";

/** A tenant row with its user and group counts. */
const tenantWithCounts = { ...getTableColumns(tenants), ...tenantCountColumns };

export const DEFAULT_TENANT_SETTINGS: Required<TenantSettings> = {
  userLinking: "conflict",
  defaultTokenDays: 30,
  jitProvisioning: false,
  scimRateLimitPerMinute: 6000,
  ssoMatchBy: "automatic",
};

export function tenantSettings(settings: TenantSettings | null | undefined): Required<TenantSettings> {
  return { ...DEFAULT_TENANT_SETTINGS, ...(settings ?? {}) };
}

/**
 * A tenant and its email-domain claims, together or not at all: unverified unless
 * `domainsVerifiedBy` says the platform operator vouches for them (the CLI, the seed).
 */
export async function createTenant(input: {
  name: string;
  slug: string;
  domains?: string[];
  domainsVerifiedBy?: DomainVerifier;
  settings?: TenantSettings;
}) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(tenants).values({ name: input.name, slug: input.slug, settings: input.settings ?? {} }).returning();
    await insertTenantDomains(tx as unknown as Db, row.id, [...new Set(input.domains ?? [])], input.domainsVerifiedBy);
    return row;
  });
}

export async function findTenantById(tenantId: string) {
  if (!isUuid(tenantId)) return undefined;
  const db = await getDb();
  const [row] = await db.select(tenantWithCounts).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  return row;
}

export async function findTenantBySlug(slug: string) {
  const db = await getDb();
  const [row] = await db.select(tenantWithCounts).from(tenants).where(eq(tenants.slug, slug.toLowerCase())).limit(1);
  return row;
}

/** Accepts an id or a slug (CLI convenience). */
export async function findTenantByIdOrSlug(ref: string) {
  return (await findTenantById(ref)) ?? (await findTenantBySlug(ref));
}

export async function listTenants(options: { search?: string; limit?: number; ids?: string[] } = {}) {
  const db = await getDb();
  const search = options.search?.trim();
  const filters = [];
  if (search) filters.push(or(ilike(tenants.name, `%${escapeLike(search)}%`), ilike(tenants.slug, `%${escapeLike(search)}%`)));
  if (options.ids) filters.push(options.ids.length ? sql`${tenants.id} in ${options.ids}` : sql`false`);
  return db
    .select(tenantWithCounts)
    .from(tenants)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(tenants.createdAt))
    .limit(options.limit ?? 200);
}

export async function updateTenant(
  tenantId: string,
  patch: Partial<{ name: string; slug: string; settings: TenantSettings }>,
) {
  const db = await getDb();
  const [row] = await db
    .update(tenants)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(tenants.id, tenantId))
    .returning();
  return row;
}

export async function deleteTenant(tenantId: string) {
  const db = await getDb();
  const deleted = await db.delete(tenants).where(eq(tenants.id, tenantId)).returning({ id: tenants.id });
  return deleted.length > 0;
}

/** The slug a tenant gets when none is given. */
export function slugify(name: string) {
  return slugFromName(name) || "tenant";
}
