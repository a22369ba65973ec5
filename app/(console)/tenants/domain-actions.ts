"use server";

import { revalidatePath } from "next/cache";
import { ActionError, isUniqueViolation, platformAction, tenantAction } from "@/lib/actions/action";
import { checkDnsChallenge, challengeRecordName } from "@/lib/domains/dns-challenge";
import {
  claimTenantDomain,
  DOMAIN_TAKEN_CONSTRAINT,
  findDomainHolder,
  findTenantDomain,
  listTenantDomains,
  recordDomainCheck,
  removeTenantDomain,
  type TenantDomain,
} from "@/lib/db/queries/tenant-domains";
import { DOMAIN_TAKEN, domainClaimSchema, domainRefSchema, MAX_DOMAINS_PER_TENANT } from "./schemas";

// Email domains of a tenant (security review M-3): tenant admins claim and prove them by DNS;
// only a platform admin may vouch for one by hand.

const GONE = "This domain is no longer in the tenant's list.";

const about = (domain: TenantDomain) => ({ targetType: "tenant_domain", targetId: domain.id, targetLabel: domain.domain });

function domainTaken(): never {
  throw new ActionError(DOMAIN_TAKEN, { domain: DOMAIN_TAKEN });
}

export const claimDomainAction = tenantAction(
  domainClaimSchema,
  async (input, ctx) => {
    const holder = await findDomainHolder(input.domain);
    if (holder === input.tenantId) throw new ActionError("This tenant already lists that domain.", { domain: "Already in this tenant's list" });
    if (holder) domainTaken();
    if ((await listTenantDomains(input.tenantId)).length >= MAX_DOMAINS_PER_TENANT) {
      throw new ActionError(`A tenant can list at most ${MAX_DOMAINS_PER_TENANT} domains.`, { domain: `At most ${MAX_DOMAINS_PER_TENANT} domains` });
    }
    let row;
    try {
      row = await claimTenantDomain(input.tenantId, input.domain);
    } catch (error) {
      if (isUniqueViolation(error, DOMAIN_TAKEN_CONSTRAINT)) domainTaken();
      throw error;
    }
    await ctx.audit({ action: "tenant.domain_claimed", ...about(row) });
    revalidatePath(`/tenants/${input.tenantId}`);
    return { message: `${row.domain} added. Create its TXT record, then choose Verify.` };
  },
  { action: "tenant.domain_claimed" },
);

export const verifyDomainAction = tenantAction(
  domainRefSchema,
  async (input, ctx) => {
    const domain = await findTenantDomain(input.tenantId, input.domainId);
    if (!domain) throw new ActionError(GONE);
    if (domain.verifiedAt) return { message: `${domain.domain} is already verified` };
    const result = await checkDnsChallenge(domain.domain, domain.verificationToken);
    await recordDomainCheck(input.tenantId, domain.id, result.ok ? "dns" : undefined);
    const audit = { action: "tenant.domain_verified", ...about(domain) };
    if (!result.ok) {
      await ctx.audit({ ...audit, outcome: "failure", details: { method: "dns", reason: result.reason } });
      revalidatePath(`/tenants/${input.tenantId}`);
      const why = result.reason === "not_found" ? "has no TXT record yet" : "has no TXT record with this tenant's value";
      throw new ActionError(`${challengeRecordName(domain.domain)} ${why}. DNS changes can take a while to appear; try again later.`);
    }
    await ctx.audit({ ...audit, details: { method: "dns" } });
    revalidatePath(`/tenants/${input.tenantId}`);
    return { message: `${domain.domain} verified` };
  },
  { action: "tenant.domain_verified" },
);

export const markDomainVerifiedAction = platformAction(
  domainRefSchema,
  async (input, ctx) => {
    const domain = await findTenantDomain(input.tenantId, input.domainId);
    if (!domain) throw new ActionError(GONE);
    if (domain.verifiedAt) return { message: `${domain.domain} is already verified` };
    await recordDomainCheck(input.tenantId, domain.id, "manual");
    await ctx.audit({ tenantId: input.tenantId, action: "tenant.domain_verified", ...about(domain), details: { method: "manual" } });
    revalidatePath(`/tenants/${input.tenantId}`);
    return { message: `${domain.domain} marked verified` };
  },
  { action: "tenant.domain_verified" },
);

export const removeDomainAction = tenantAction(
  domainRefSchema,
  async (input, ctx) => {
    const domain = await removeTenantDomain(input.tenantId, input.domainId);
    if (!domain) throw new ActionError(GONE);
    await ctx.audit({ action: "tenant.domain_removed", ...about(domain), details: { verifiedBy: domain.verifiedBy } });
    revalidatePath(`/tenants/${input.tenantId}`);
    return { message: `${domain.domain} removed` };
  },
  { action: "tenant.domain_removed" },
);
