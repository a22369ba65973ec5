import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { tenantDomains, tenants, type Tenant } from "../schema";

// Email domains a tenant claims for home-realm discovery: one tenant per domain (unique
// index), and a claim counts only once verified, by DNS TXT or by a platform admin.

export type TenantDomain = typeof tenantDomains.$inferSelect;
export type DomainVerifier = "dns" | "manual";

export const DOMAIN_TAKEN_CONSTRAINT = "tenant_domains_domain_key";

export function normalizeDomain(domain: string) {
  return domain.trim().toLowerCase().replace(/\.$/, "");
}

function newVerificationToken() {
  return randomBytes(24).toString("base64url");
}

export async function listTenantDomains(tenantId: string) {
  const db = await getDb();
  return db.select().from(tenantDomains).where(eq(tenantDomains.tenantId, tenantId)).orderBy(asc(tenantDomains.domain));
}

/** Every listed tenant's domains in one query, for the tenants list and the CLI. */
export async function listDomainsOfTenants(tenantIds: string[]) {
  const byTenant = new Map<string, TenantDomain[]>();
  if (tenantIds.length === 0) return byTenant;
  const db = await getDb();
  const rows = await db.select().from(tenantDomains).where(inArray(tenantDomains.tenantId, tenantIds)).orderBy(asc(tenantDomains.domain));
  for (const row of rows) byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row]);
  return byTenant;
}

/** The tenant, if any, holding the domain (verified or not). */
export async function findDomainHolder(domain: string) {
  const db = await getDb();
  const [row] = await db.select({ tenantId: tenantDomains.tenantId }).from(tenantDomains).where(eq(tenantDomains.domain, normalizeDomain(domain))).limit(1);
  return row?.tenantId;
}

/**
 * Claims domains for a tenant; `verifiedBy: "manual"` when the platform operator vouches for
 * them (the CLI). A domain another tenant holds raises the unique violation on
 * DOMAIN_TAKEN_CONSTRAINT; callers turn it into their own words.
 */
export async function insertTenantDomains(db: Db, tenantId: string, domains: string[], verifiedBy?: DomainVerifier) {
  if (domains.length === 0) return [];
  const verified = verifiedBy ? { verifiedAt: new Date(), verifiedBy } : {};
  return db
    .insert(tenantDomains)
    .values(domains.map((domain) => ({ tenantId, domain: normalizeDomain(domain), verificationToken: newVerificationToken(), ...verified })))
    .returning();
}

export async function claimTenantDomain(tenantId: string, domain: string, verifiedBy?: DomainVerifier) {
  const [row] = await insertTenantDomains(await getDb(), tenantId, [domain], verifiedBy);
  return row;
}

export async function findTenantDomain(tenantId: string, domainId: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(tenantDomains)
    .where(and(eq(tenantDomains.tenantId, tenantId), eq(tenantDomains.id, domainId)))
    .limit(1);
  return row;
}

export async function recordDomainCheck(tenantId: string, domainId: string, verifiedBy?: DomainVerifier) {
  const db = await getDb();
  const now = new Date();
  const [row] = await db
    .update(tenantDomains)
    .set(verifiedBy ? { lastCheckedAt: now, verifiedAt: now, verifiedBy } : { lastCheckedAt: now })
    .where(and(eq(tenantDomains.tenantId, tenantId), eq(tenantDomains.id, domainId)))
    .returning();
  return row;
}

export async function removeTenantDomain(tenantId: string, domainId: string) {
  const db = await getDb();
  const [row] = await db
    .delete(tenantDomains)
    .where(and(eq(tenantDomains.tenantId, tenantId), eq(tenantDomains.id, domainId)))
    .returning();
  return row;
}

/** Home-realm discovery: the tenant whose verified domain this is; unverified claims never route. */
export async function findTenantByVerifiedDomain(domain: string): Promise<Tenant | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ tenant: tenants })
    .from(tenantDomains)
    .innerJoin(tenants, eq(tenants.id, tenantDomains.tenantId))
    .where(and(eq(tenantDomains.domain, normalizeDomain(domain)), isNotNull(tenantDomains.verifiedAt)))
    .limit(1);
  return row?.tenant;
}
