"use server";

import { revalidatePath } from "next/cache";
import { platformAction, tenantAction } from "@/lib/actions/action";
import { claimDomain, markDomainVerified, removeDomain, verifyDomainByDns } from "@/lib/admin/tenant-domains";
import { domainClaimSchema, domainRefSchema } from "@/lib/admin/tenants";

export const claimDomainAction = tenantAction(
  domainClaimSchema,
  async (input, ctx) => {
    const row = await claimDomain(input.tenantId, input.domain, ctx.actor);
    revalidatePath(`/tenants/${input.tenantId}`);
    return { message: `${row.domain} added. Create its TXT record, then choose Verify.` };
  },
  { action: "tenant.domain_claimed" },
);

export const verifyDomainAction = tenantAction(
  domainRefSchema,
  async (input, ctx) => {
    try {
      const { domain, alreadyVerified } = await verifyDomainByDns(input.tenantId, input.domainId, ctx.actor);
      return { message: alreadyVerified ? `${domain.domain} is already verified` : `${domain.domain} verified` };
    } finally {
      revalidatePath(`/tenants/${input.tenantId}`);
    }
  },
  { action: "tenant.domain_verified" },
);

export const markDomainVerifiedAction = platformAction(
  domainRefSchema,
  async (input, ctx) => {
    const { domain, alreadyVerified } = await markDomainVerified(input.tenantId, input.domainId, ctx.actor);
    revalidatePath(`/tenants/${input.tenantId}`);
    return { message: alreadyVerified ? `${domain.domain} is already verified` : `${domain.domain} marked verified` };
  },
  { action: "tenant.domain_verified" },
);

export const removeDomainAction = tenantAction(
  domainRefSchema,
  async (input, ctx) => {
    const domain = await removeDomain(input.tenantId, input.domainId, ctx.actor);
    revalidatePath(`/tenants/${input.tenantId}`);
    return { message: `${domain.domain} removed` };
  },
  { action: "tenant.domain_removed" },
);
