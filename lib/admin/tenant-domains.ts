import "server-only";
import type { Actor } from "../audit";
import { isUniqueViolation } from "../db/errors";
import {
  claimTenantDomain,
  DOMAIN_TAKEN_CONSTRAINT,
  findDomainHolder,
  findTenantDomain,
  listTenantDomains,
  recordDomainCheck,
  removeTenantDomain,
  type TenantDomain,
} from "../db/queries/tenant-domains";
import { checkDnsChallenge, challengeRecordName } from "../domains/dns-challenge";
import { recordAdminEvent } from "./audit";
import { AdminError } from "./errors";
import { DOMAIN_TAKEN, MAX_DOMAINS_PER_TENANT } from "./tenants";

// Email domains of a tenant (security review M-3): tenant admins claim and prove them by DNS;
// only a platform admin may vouch for one by hand.

const GONE = "This domain is no longer in the tenant's list.";

const about = (domain: TenantDomain) => ({ tenantId: domain.tenantId, targetType: "tenant_domain", targetId: domain.id, targetLabel: domain.domain });

function domainTaken(): never {
  throw new AdminError(DOMAIN_TAKEN, { domain: DOMAIN_TAKEN });
}

async function requireDomain(tenantId: string, domainId: string) {
  const domain = await findTenantDomain(tenantId, domainId);
  if (!domain) throw new AdminError(GONE);
  return domain;
}

export async function claimDomain(tenantId: string, domain: string, actor: Actor) {
  const holder = await findDomainHolder(domain);
  if (holder === tenantId) throw new AdminError("This tenant already lists that domain.", { domain: "Already in this tenant's list" });
  if (holder) domainTaken();
  if ((await listTenantDomains(tenantId)).length >= MAX_DOMAINS_PER_TENANT) {
    throw new AdminError(`A tenant can list at most ${MAX_DOMAINS_PER_TENANT} domains.`, { domain: `At most ${MAX_DOMAINS_PER_TENANT} domains` });
  }
  let row;
  try {
    row = await claimTenantDomain(tenantId, domain);
  } catch (error) {
    if (isUniqueViolation(error, DOMAIN_TAKEN_CONSTRAINT)) domainTaken();
    throw error;
  }
  await recordAdminEvent(actor, { action: "tenant.domain_claimed", ...about(row) });
  return row;
}

/** Looks up the domain's TXT record; a failed check is recorded too, then refused. */
export async function verifyDomainByDns(tenantId: string, domainId: string, actor: Actor) {
  const domain = await requireDomain(tenantId, domainId);
  if (domain.verifiedAt) return { domain, alreadyVerified: true };
  const result = await checkDnsChallenge(domain.domain, domain.verificationToken);
  await recordDomainCheck(tenantId, domain.id, result.ok ? "dns" : undefined);
  const event = { action: "tenant.domain_verified", ...about(domain) };
  if (!result.ok) {
    await recordAdminEvent(actor, { ...event, outcome: "failure", details: { method: "dns", reason: result.reason } });
    const why = result.reason === "not_found" ? "has no TXT record yet" : "has no TXT record with this tenant's value";
    throw new AdminError(`${challengeRecordName(domain.domain)} ${why}. DNS changes can take a while to appear; try again later.`);
  }
  await recordAdminEvent(actor, { ...event, details: { method: "dns" } });
  return { domain, alreadyVerified: false };
}

/** A platform admin vouches for the domain without DNS (the caller checks that they are one). */
export async function markDomainVerified(tenantId: string, domainId: string, actor: Actor) {
  const domain = await requireDomain(tenantId, domainId);
  if (domain.verifiedAt) return { domain, alreadyVerified: true };
  await recordDomainCheck(tenantId, domain.id, "manual");
  await recordAdminEvent(actor, { action: "tenant.domain_verified", ...about(domain), details: { method: "manual" } });
  return { domain, alreadyVerified: false };
}

export async function removeDomain(tenantId: string, domainId: string, actor: Actor) {
  const domain = await removeTenantDomain(tenantId, domainId);
  if (!domain) throw new AdminError(GONE);
  await recordAdminEvent(actor, { action: "tenant.domain_removed", ...about(domain), details: { verifiedBy: domain.verifiedBy } });
  return domain;
}
