import Link from "next/link";
import { notFound } from "next/navigation";
import { KeyRound } from "lucide-react";
import { getViewer, requireTenantPage } from "@/lib/auth/guards";
import { canAccessTenant, canManagePlatform } from "@/lib/auth/roles";
import { findTenantById, tenantSettings } from "@/lib/db/queries/tenants";
import { isUuid } from "@/lib/uuid";
import { listProvisioningTokens, tokenStatus } from "@/lib/db/queries/tokens";
import { listTenantDomains } from "@/lib/db/queries/tenant-domains";
import { getTenantUsage } from "@/lib/db/queries/usage";
import { UsageCharts } from "@/components/charts/usage-charts";
import { challengeRecordName, challengeRecordValue } from "@/lib/domains/dns-challenge";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { relativeTime } from "@/components/ui/time";
import { DeleteTenantButton } from "@/app/(console)/tenants/_components/delete-tenant-button";
import { GenerateTokenDialog } from "@/app/(console)/tenants/_components/generate-token-dialog";
import { ExpiringTokensBanner } from "@/app/(console)/tenants/_components/expiring-tokens-banner";
import { TokensTable, type TokenRow } from "@/app/(console)/tenants/_components/tokens-table";
import { canWrite, expiresWithin, publicOrigin, scimTenantUrl } from "../../_lib/scope";
import { NobodyCanSignInCallout } from "../_components/nobody-can-sign-in-callout";
import { EmailDomains, type DomainRow } from "../_components/email-domains";

const SOON_MS = 7 * 86_400_000;

/** The title is resolved apart from the page, so it checks access itself: no tenant's name for outsiders. */
export async function generateMetadata({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const viewer = await getViewer();
  if (!viewer || !isUuid(tenantId) || !canAccessTenant(viewer, tenantId, "read")) return { title: "Tenant" };
  const tenant = await findTenantById(tenantId);
  return { title: tenant?.name ?? "Tenant" };
}

export default async function TenantPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const viewer = await requireTenantPage(tenantId, "read");
  const tenant = await findTenantById(tenantId);
  if (!tenant) notFound();
  const [tokens, origin, claims, usage] = await Promise.all([
    listProvisioningTokens(tenant.id),
    publicOrigin(),
    listTenantDomains(tenant.id),
    getTenantUsage(tenant.id),
  ]);
  const domains: DomainRow[] = claims.map((d) => ({
    id: d.id,
    domain: d.domain,
    verifiedBy: d.verifiedBy,
    verifiedAt: d.verifiedAt?.toISOString() ?? null,
    lastCheckedAt: d.lastCheckedAt?.toISOString() ?? null,
    recordName: challengeRecordName(d.domain),
    recordValue: challengeRecordValue(d.verificationToken),
  }));
  const settings = tenantSettings(tenant.settings);
  const writable = canWrite(viewer, tenant.id);
  const rows: TokenRow[] = tokens.map((t) => {
    const status = tokenStatus(t);
    return {
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      last4: t.last4,
      createdBy: t.createdBy,
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      status,
      expiringSoon: status === "active" && expiresWithin(t.expiresAt, SOON_MS),
    };
  });
  const expiring = tokens.filter((t, i) => rows[i].expiringSoon).map((t) => ({ ...t, tenantId: tenant.id }));

  return (
    <>
      <PageHeader
        back={{ href: "/tenants", label: "Tenants" }}
        title={tenant.name}
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="font-mono">{tenant.slug}</span>
            <span>{tenant.userCount.toLocaleString("en")} users</span>
            <span>{tenant.groupCount.toLocaleString("en")} groups</span>
            <span>Last provisioning request {relativeTime(tenant.lastScimRequestAt)}</span>
          </span>
        }
        actions={
          <>
            <Link href={`/users?tenantId=${tenant.id}`} className="text-sm font-medium text-primary hover:underline">
              Users
            </Link>
            <Link href={`/identity-providers?tenantId=${tenant.id}`} className="text-sm font-medium text-primary hover:underline">
              Identity Providers
            </Link>
            <Link href={`/tenants/${tenant.id}/api-keys`} className="text-sm font-medium text-primary hover:underline">
              API keys
            </Link>
            <Link href={`/tenants/${tenant.id}/webhooks`} className="text-sm font-medium text-primary hover:underline">
              Webhooks
            </Link>
            <Link href={`/tenants/${tenant.id}/settings`} className="text-sm font-medium text-primary hover:underline">
              Settings
            </Link>
          </>
        }
      />
      <ExpiringTokensBanner tokens={expiring} />
      <div className="grid gap-6">
        <NobodyCanSignInCallout tenantId={tenant.id} userCount={tenant.userCount} jitProvisioning={settings.jitProvisioning} />
        <section id="usage" aria-labelledby="usage-title" className="grid scroll-mt-20 gap-3">
          <div>
            <h2 id="usage-title" className="text-lg font-semibold">
              Usage
            </h2>
            <p className="text-sm text-muted-foreground">Provisioning traffic, directory size and sign-ins per UTC day.</p>
          </div>
          <UsageCharts data={usage} scope="tenant" className="grid gap-4 lg:grid-cols-2 2xl:grid-cols-3" />
        </section>
        <Card id="email-domains" className="scroll-mt-20">
          <CardHeader>
            <CardTitle>Email domains</CardTitle>
            <CardDescription>
              People who type an address at a verified domain on the sign-in page are sent to this tenant. To verify a domain, create the TXT
              record shown in its DNS, then choose Verify.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <EmailDomains tenantId={tenant.id} domains={domains} permissions={{ canWrite: writable, canMarkVerified: canManagePlatform(viewer) }} />
          </CardContent>
        </Card>

        <Card id="scim-provisioning" className="scroll-mt-20">
          <CardHeader>
            <CardTitle>SCIM provisioning</CardTitle>
            <CardDescription>
              In the Entra admin center: Enterprise applications → your app → Provisioning → Provisioning Mode “Automatic”. Paste the Tenant URL
              below and a provisioning token as the Secret Token, then Test Connection.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <CopyField id="scim-tenant-url" label="Tenant URL" value={scimTenantUrl(origin, tenant.id)} />
          </CardContent>
        </Card>

        <section id="provisioning-tokens" aria-labelledby="provisioning-tokens-title" className="grid scroll-mt-20 gap-4">
          <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
            <div>
              <h2 id="provisioning-tokens-title" className="text-lg font-semibold">
                Provisioning Tokens
              </h2>
              <p className="text-sm text-muted-foreground">
                Bearer tokens for this tenant’s SCIM endpoint. Keep two active while rotating, then revoke the old one.{" "}
                <Badge variant="secondary">{rows.filter((r) => r.status === "active").length} active</Badge>
              </p>
            </div>
            {writable ? <GenerateTokenDialog tenantId={tenant.id} defaultDays={settings.defaultTokenDays} /> : null}
          </div>
          {rows.length ? (
            <TokensTable tenantId={tenant.id} tokens={rows} canWrite={writable} />
          ) : (
            <EmptyState icon={KeyRound} title="No provisioning tokens yet" description="Generate one to let Entra provision users and groups into this tenant." />
          )}
        </section>

        {canManagePlatform(viewer) ? (
          <Card className="border-destructive/40">
            <CardHeader>
              <CardTitle>Delete tenant</CardTitle>
              <CardDescription>Removes the tenant and everything in it. You will be asked to type its slug.</CardDescription>
            </CardHeader>
            <CardContent>
              <DeleteTenantButton tenantId={tenant.id} name={tenant.name} slug={tenant.slug} />
            </CardContent>
          </Card>
        ) : null}
      </div>
    </>
  );
}
