import Link from "next/link";
import { KeyRound } from "lucide-react";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { canAccessTenant } from "@/lib/auth/roles";
import { listIdentityProviders } from "@/lib/db/queries/identity-providers";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { IDP_SORTS, IdpsTable, type IdpSort } from "@/app/(console)/identity-providers/_components/idps-table";
import { TenantCombobox } from "@/components/console/tenant-combobox";
import { canWriteAnything, resolveTenantFilter, tenantScope, type SearchParams } from "../_lib/scope";

export const metadata = { title: "Identity Providers" };

// listIdentityProviders returns at most this many rows.
const IDP_LIST_LIMIT = 500;

export default async function IdentityProvidersPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = await searchParams;
  const tenant = await resolveTenantFilter(viewer, params);
  const scope = tenantScope(viewer);
  const idps = await listIdentityProviders(tenant ? [tenant.id] : scope);
  // A picked tenant the viewer may change, else the form's own tenant picker.
  const addHref = tenant
    ? canAccessTenant(viewer, tenant.id, "write")
      ? `/identity-providers/new?tenantId=${tenant.id}`
      : null
    : canWriteAnything(viewer)
      ? viewer.platformRole
        ? "/identity-providers/new"
        : `/identity-providers/new?tenantId=${viewer.tenantId}`
      : null;
  const crossTenant = scope === "all";

  return (
    <>
      <PageHeader
        title="Identity Providers"
        description="Single sign-on connections: each tenant's people sign in through its active provider."
        actions={
          addHref ? (
            <Button asChild>
              <Link href={addHref}>+ Add Identity Provider</Link>
            </Button>
          ) : null
        }
      />
      {crossTenant ? (
        <TenantCombobox
          id="idp-tenant-filter"
          value={tenant ? { id: tenant.id, name: tenant.name } : null}
          allLabel="All tenants"
          behavior="navigate"
          className="mb-4 max-w-sm"
        />
      ) : null}
      {idps.length === 0 ? (
        <EmptyState
          icon={KeyRound}
          title="No identity providers yet"
          description="Register Gatehouse as an app in Microsoft Entra ID (or any OIDC provider), then add it here with its client ID, secret and endpoints."
        />
      ) : (
        <IdpsTable
          rows={idps.map((idp) => ({ ...idp, lastSuccessfulSignInAt: idp.lastSuccessfulSignInAt?.toISOString() ?? null }))}
          complete={idps.length < IDP_LIST_LIMIT}
          {...idpSorting(params)}
        />
      )}
      {idps.length >= IDP_LIST_LIMIT ? (
        <p className="mt-3 text-sm text-muted-foreground" role="status">
          Showing the first {IDP_LIST_LIMIT} identity providers, by tenant name. Pick a tenant to see all of its providers.
        </p>
      ) : null}
    </>
  );
}

/** `?sort=&dir=`: the table's order; by tenant (the order rows are loaded in) unless asked. */
function idpSorting(params: Record<string, string | string[] | undefined>): { sort: IdpSort; direction: "asc" | "desc" } {
  const sort = IDP_SORTS.find((s) => s === params.sort) ?? "tenant";
  const direction = params.dir === "asc" || params.dir === "desc" ? params.dir : sort === "lastSignIn" ? "desc" : "asc";
  return { sort, direction };
}
