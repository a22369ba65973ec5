import Link from "next/link";
import { KeyRound } from "lucide-react";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { canAccessTenant } from "@/lib/auth/roles";
import { listIdentityProviders } from "@/lib/db/queries/identity-providers";
import { isUuid } from "@/lib/uuid";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { IdpStatusBadge } from "@/app/(console)/identity-providers/_components/idp-status-badge";
import { TenantFilter } from "@/components/console/tenant-filter";
import { accessibleTenants, param, type SearchParams } from "../_lib/scope";

export const metadata = { title: "Identity Providers" };

export default async function IdentityProvidersPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = await searchParams;
  const tenants = await accessibleTenants(viewer);
  const requested = param(params, "tenantId");
  const tenantId = requested && isUuid(requested) && tenants.some((t) => t.id === requested) ? requested : undefined;
  const scope = tenantId ? [tenantId] : tenants.map((t) => t.id);
  const idps = await listIdentityProviders(scope);
  const writableTenants = tenants.filter((t) => canAccessTenant(viewer, t.id, "write"));
  const addTarget = tenantId && writableTenants.some((t) => t.id === tenantId) ? tenantId : writableTenants[0]?.id;

  return (
    <>
      <PageHeader
        title="Identity Providers"
        description="Single sign-on connections: each tenant's people sign in through its active provider."
        actions={
          addTarget ? (
            <Button asChild>
              <Link href={`/identity-providers/new?tenantId=${addTarget}`}>+ Add Identity Provider</Link>
            </Button>
          ) : null
        }
      />
      {tenants.length > 1 ? <TenantFilter tenants={tenants} value={tenantId} allLabel="All tenants" className="mb-4" /> : null}
      {idps.length === 0 ? (
        <EmptyState
          icon={KeyRound}
          title="No identity providers yet"
          description="Register Gatehouse as an app in Microsoft Entra ID (or any OIDC provider), then add it here with its client ID, secret and endpoints."
        />
      ) : (
        <Table label="Identity providers">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Tenant</TableHead>
              <TableHead>Type</TableHead>
              <TableHead>Client ID</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Last sign-in</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {idps.map((idp) => (
              <TableRow key={idp.id}>
                <TableCell>
                  <Link href={`/identity-providers/${idp.id}`} className="font-medium text-primary hover:underline">
                    {idp.name}
                  </Link>
                </TableCell>
                <TableCell>{idp.tenantName}</TableCell>
                <TableCell>{idp.type === "oidc" ? "OIDC" : "OAuth2"}</TableCell>
                <TableCell className="max-w-48 truncate font-mono text-xs">{idp.clientId}</TableCell>
                <TableCell>
                  <IdpStatusBadge status={idp.status} />
                </TableCell>
                <TableCell className="whitespace-nowrap">
                  <Time value={idp.lastSuccessfulSignInAt} fallback="Never" />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
