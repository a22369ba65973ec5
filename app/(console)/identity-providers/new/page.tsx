import { randomUUID } from "node:crypto";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { IdpForm } from "@/app/(console)/identity-providers/_components/idp-form";
import { EMPTY_IDP } from "@/lib/admin/identity-provider-fields";
import { samlSpUrls } from "@/lib/saml/urls";
import { canWriteAnything, idpRedirectUrl, publicOrigin, resolveTenant, type SearchParams } from "../../_lib/scope";

export const metadata = { title: "Add Identity Provider" };

export default async function NewIdentityProviderPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = await searchParams;
  if (!canWriteAnything(viewer)) notFound();
  // Named by ?tenantId= (a 404 unless the viewer may change it), a tenant admin's own, or picked in the form.
  const tenant = params.tenantId || !viewer.platformRole ? await resolveTenant(viewer, params, "write") : undefined;
  if (!tenant && !viewer.platformRole) notFound();
  const origin = await publicOrigin();
  // The provider's id exists before its row, so the Redirect URL shown now is the final one.
  const newIdpId = randomUUID();
  return (
    <>
      <PageHeader
        back={{ href: "/identity-providers", label: "Identity Providers" }}
        title="Add Identity Provider"
        description={tenant ? `For ${tenant.name}` : "Choose the tenant it signs people in to."}
      />
      <IdpForm
        tenantId={tenant?.id ?? null}
        pickTenant={!tenant}
        initial={EMPTY_IDP}
        hasClientSecret={false}
        newIdpId={newIdpId}
        redirectUrl={idpRedirectUrl(origin, newIdpId)}
        samlUrls={samlSpUrls(origin, newIdpId)}
        readOnly={false}
      />
    </>
  );
}
