import { randomUUID } from "node:crypto";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { canAccessTenant } from "@/lib/auth/roles";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { IdpForm } from "@/app/(console)/identity-providers/_components/idp-form";
import { EMPTY_IDP } from "@/lib/admin/identity-provider-fields";
import { accessibleTenants, idpRedirectUrl, param, publicOrigin, type SearchParams } from "../../_lib/scope";

export const metadata = { title: "Add Identity Provider" };

export default async function NewIdentityProviderPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = await searchParams;
  const tenants = (await accessibleTenants(viewer)).filter((t) => canAccessTenant(viewer, t.id, "write"));
  if (!tenants.length) notFound();
  const requested = param(params, "tenantId");
  const tenantId = tenants.find((t) => t.id === requested)?.id ?? (tenants.length === 1 ? tenants[0].id : null);
  const origin = await publicOrigin();
  // The provider's id exists before its row, so the Redirect URL shown now is the final one.
  const newIdpId = randomUUID();
  return (
    <>
      <PageHeader
        back={{ href: "/identity-providers", label: "Identity Providers" }}
        title="Add Identity Provider"
        description={tenantId ? `For ${tenants.find((t) => t.id === tenantId)?.name}` : "Choose the tenant it signs people in to."}
      />
      <IdpForm
        tenantId={tenantId}
        tenants={tenants.map((t) => ({ id: t.id, name: t.name }))}
        initial={EMPTY_IDP}
        hasClientSecret={false}
        newIdpId={newIdpId}
        redirectUrl={idpRedirectUrl(origin, newIdpId)}
        readOnly={false}
      />
    </>
  );
}
