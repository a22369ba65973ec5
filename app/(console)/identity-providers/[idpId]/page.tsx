import { notFound } from "next/navigation";
import { TriangleAlert } from "lucide-react";
import { requireTenantPage } from "@/lib/auth/guards";
import { findIdentityProviderTenantId, getIdentityProvider } from "@/lib/db/queries/identity-providers";
import { findTenantById, tenantSettings } from "@/lib/db/queries/tenants";
import { isUuid } from "@/lib/uuid";
import { issuerOf } from "@/lib/auth/entra";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { IdpForm } from "@/app/(console)/identity-providers/_components/idp-form";
import { samlSpUrls } from "@/lib/saml/urls";
import { idpFormValues } from "@/lib/admin/identity-provider-fields";
import { IdpStatusBadge } from "@/app/(console)/identity-providers/_components/idp-status-badge";
import { IdpStatusControls } from "@/app/(console)/identity-providers/_components/idp-status-controls";
import { canWrite, idpRedirectUrl, publicOrigin } from "../../_lib/scope";
import { NobodyCanSignInCallout } from "../../tenants/_components/nobody-can-sign-in-callout";
import { hasRecentPassingTest } from "@/lib/admin/identity-providers";
import { TestSignInButton } from "./_components/test-sign-in-button";

export const metadata = { title: "Identity Provider" };

export default async function IdentityProviderPage({ params }: { params: Promise<{ idpId: string }> }) {
  const { idpId } = await params;
  if (!isUuid(idpId)) notFound();
  const tenantId = await findIdentityProviderTenantId(idpId);
  if (!tenantId) notFound();
  const viewer = await requireTenantPage(tenantId, "read");
  const [idp, tenant, origin] = await Promise.all([getIdentityProvider(tenantId, idpId), findTenantById(tenantId), publicOrigin()]);
  if (!idp || !tenant) notFound();
  const writable = canWrite(viewer, tenantId);
  const initial = idpFormValues(idp);
  const redirectUrl = idpRedirectUrl(origin, idp.id);

  return (
    <>
      <PageHeader
        back={{ href: `/identity-providers?tenantId=${tenantId}`, label: "Identity Providers" }}
        title={
          <span className="flex flex-wrap items-center gap-3">
            {idp.name} <IdpStatusBadge status={idp.status} />
          </span>
        }
        description={`${{ oidc: "OpenID Connect", oauth2: "OAuth2", saml: "SAML 2.0" }[idp.type]} · ${tenant.name}`}
        actions={
          writable ? (
            <IdpStatusControls tenantId={tenantId} idpId={idp.id} name={idp.name} status={idp.status} recentlyTested={hasRecentPassingTest(idp)} />
          ) : null
        }
      />
      <div className="grid gap-6">
        {idp.type === "oidc" && !idp.issuer ? (
          <Alert variant="warning">
            <TriangleAlert aria-hidden />
            {issuerOf(idp) ? (
              <p>
                <span className="font-semibold">No Issuer URI saved.</span> Sign-ins expect <span className="font-mono">{issuerOf(idp)}</span>, which
                the Authentication URL’s directory ID implies. Save the form to keep it explicit.
              </p>
            ) : (
              <p>
                <span className="font-semibold">No Issuer URI.</span> Every sign-in with this provider fails until one is set: enter it below (or use
                Import from discovery) and save.
              </p>
            )}
          </Alert>
        ) : null}
        <NobodyCanSignInCallout tenantId={tenantId} userCount={tenant.userCount} jitProvisioning={tenantSettings(tenant.settings).jitProvisioning} />
        {/* /api/idp-test/<id>/start runs a real sign-in against this provider in a new tab. */}
        <Card>
          <CardHeader>
            <CardTitle>Test sign-in</CardTitle>
            <CardDescription>
              Try a real sign-in with this configuration in a new tab before activating it. Nobody is signed in to the console by the test.
            </CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
            <p className="text-sm text-muted-foreground" aria-live="polite">
              Last test:{" "}
              {idp.lastTestedAt ? (
                <>
                  <Time value={idp.lastTestedAt} /> — {idp.lastTestOk ? "succeeded" : "failed"}
                </>
              ) : (
                "never"
              )}
            </p>
            {writable ? <TestSignInButton idpId={idp.id} lastTestedAt={idp.lastTestedAt?.toISOString() ?? null} /> : null}
          </CardContent>
        </Card>
        <IdpForm
          tenantId={tenantId}
          idpId={idp.id}
          initial={initial}
          hasClientSecret={idp.hasClientSecret}
          redirectUrl={redirectUrl}
          samlUrls={samlSpUrls(origin, idp.id)}
          readOnly={!writable}
        />
      </div>
    </>
  );
}
