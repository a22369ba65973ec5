import Link from "next/link";
import { Building2, Search } from "lucide-react";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { canManagePlatform } from "@/lib/auth/roles";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/console/pager";
import { CreateTenantDialog } from "@/app/(console)/tenants/_components/create-tenant-dialog";
import { TenantsTable, type TenantRow } from "@/app/(console)/tenants/_components/tenants-table";
import { countTenants } from "@/lib/db/queries/tenants";
import { listDomainsOfTenants } from "@/lib/db/queries/tenant-domains";
import { accessibleTenants, pageNumber, param, tenantScope, type SearchParams } from "../_lib/scope";

export const metadata = { title: "Tenants" };

const PAGE_SIZE = 50;

export default async function TenantsPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = await searchParams;
  const search = param(params, "q")?.slice(0, 200);
  const sort = param(params, "sort") === "name" ? "name" : "created";
  const requestedDir = param(params, "dir");
  const direction = requestedDir === "asc" || requestedDir === "desc" ? requestedDir : sort === "created" ? "desc" : "asc";
  const page = pageNumber(params);
  const scope = tenantScope(viewer);
  const [result, total] = await Promise.all([
    accessibleTenants(viewer, { search, sort, direction, after: param(params, "after"), before: param(params, "before"), limit: PAGE_SIZE }),
    countTenants({ search, ids: scope === "all" ? undefined : scope }),
  ]);
  const domainsOf = await listDomainsOfTenants(result.rows.map((t) => t.id));
  const rows: TenantRow[] = result.rows.map((t) => ({
    id: t.id,
    name: t.name,
    slug: t.slug,
    domains: (domainsOf.get(t.id) ?? []).map((d) => (d.verifiedAt ? d.domain : `${d.domain} (unverified)`)).join(", ") || "—",
    userCount: t.userCount,
    groupCount: t.groupCount,
    createdAt: t.createdAt.toISOString(),
  }));
  const canCreate = canManagePlatform(viewer);
  const number = new Intl.NumberFormat("en");
  // A page past the first reached through a stale link may number rows a little off; the cursors stay exact.
  const first = Math.min((page - 1) * PAGE_SIZE + 1, Math.max(total - rows.length + 1, 1));
  const summary = rows.length
    ? `Showing ${number.format(first)}–${number.format(first + rows.length - 1)} of ${number.format(total)} ${search ? "matching tenants" : total === 1 ? "tenant" : "tenants"}`
    : "";
  const base = new URLSearchParams();
  for (const [key, value] of Object.entries({ q: search, sort: param(params, "sort") ? sort : undefined, dir: requestedDir ? direction : undefined })) {
    if (value) base.set(key, value);
  }

  return (
    <>
      <PageHeader
        title="Tenants"
        description="Tenant Management: each tenant is one organisation with its own identity provider, provisioning tokens, users and groups."
        actions={
          <>
            {viewer.platformRole ? (
              <Link href="/api-keys" className="text-sm font-medium text-primary hover:underline">
                Platform API keys
              </Link>
            ) : null}
            {canCreate ? <CreateTenantDialog defaultOpen={param(params, "create") === "1"} /> : null}
          </>
        }
      />
      <form role="search" className="mb-4 flex max-w-md gap-2">
        <label htmlFor="tenant-search" className="sr-only">
          Search tenants
        </label>
        <Input id="tenant-search" name="q" type="search" defaultValue={search} maxLength={200} placeholder="Name, slug or email domain" />
        {base.has("sort") ? <input type="hidden" name="sort" value={sort} /> : null}
        {base.has("dir") ? <input type="hidden" name="dir" value={direction} /> : null}
        <Button type="submit" variant="outline">
          <Search aria-hidden />
          Search
        </Button>
      </form>
      {rows.length === 0 ? (
        <EmptyState
          icon={Building2}
          title={search ? "No tenants match your search" : "No tenants yet"}
          description={search ? "Try another name, slug or email domain." : canCreate ? "Create a tenant for each organisation you connect." : "Ask a platform admin to create one."}
        />
      ) : (
        <div className="grid gap-3">
          <TenantsTable rows={rows} sort={sort} direction={direction} />
          <Pager summary={summary} base={base} page={page} prevCursor={result.prevCursor} nextCursor={result.nextCursor} />
        </div>
      )}
    </>
  );
}
