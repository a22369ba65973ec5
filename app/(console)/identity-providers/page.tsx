import Link from "next/link";
import { KeyRound } from "lucide-react";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { canAccessTenant } from "@/lib/auth/roles";
import { listIdentityProviders } from "@/lib/db/queries/identity-providers";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { IdpsTable, type IdpSort } from "@/app/(console)/identity-providers/_components/idps-table";
import { TenantCombobox } from "@/components/console/tenant-combobox";
import { canWriteAnything, pageNumber, param, resolveTenantFilter, tenantScope, type SearchParams } from "../_lib/scope";
import { Pager } from "@/components/console/pager";

export const metadata = { title: "Identity Providers" };

const PAGE_SIZE = 50;

// The orders the database pages along (a client module's exports are references here, not values).
const IDP_SORTS: readonly IdpSort[] = ["tenant", "name"];

export default async function IdentityProvidersPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = await searchParams;
  const tenant = await resolveTenantFilter(viewer, params);
  const scope = tenantScope(viewer);
  const { sort, direction } = idpSorting(params);
  const { rows: idps, nextCursor, prevCursor } = await listIdentityProviders(tenant ? [tenant.id] : scope, {
    sort,
    direction,
    after: param(params, "after"),
    before: param(params, "before"),
    limit: PAGE_SIZE,
  });
  const base = new URLSearchParams();
  if (tenant) base.set("tenantId", tenant.id);
  if (param(params, "sort")) base.set("sort", sort);
  if (param(params, "dir")) base.set("dir", direction);
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
      {idps.length === 0 && !prevCursor ? (
        <EmptyState
          icon={KeyRound}
          title="No identity providers yet"
          description="Register Gatehouse as an app in Microsoft Entra ID (or any OIDC provider), then add it here with its client ID, secret and endpoints."
        />
      ) : (
        <div className="space-y-3">
          <IdpsTable
            rows={idps.map((idp) => ({ ...idp, lastSuccessfulSignInAt: idp.lastSuccessfulSignInAt?.toISOString() ?? null }))}
            sort={sort}
            direction={direction}
          />
          {nextCursor || prevCursor ? (
            <Pager base={base} page={pageNumber(params)} prevCursor={prevCursor} nextCursor={nextCursor} summary={`${PAGE_SIZE} identity providers a page`} />
          ) : null}
        </div>
      )}
    </>
  );
}

/** `?sort=&dir=`: the order the list is paged in; by tenant, A to Z, unless asked. */
function idpSorting(params: Record<string, string | string[] | undefined>): { sort: IdpSort; direction: "asc" | "desc" } {
  const sort = IDP_SORTS.find((s) => s === params.sort) ?? "tenant";
  const direction = params.dir === "desc" ? "desc" : "asc";
  return { sort, direction };
}
