import { Search, UsersRound } from "lucide-react";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { listGroups } from "@/lib/db/queries/groups";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/console/pager";
import { TenantCombobox } from "@/components/console/tenant-combobox";
import { GroupsTable, type GroupRow } from "@/app/(console)/groups/_components/groups-table";
import { pageNumber, param, resolveTenant, type SearchParams } from "../_lib/scope";

export const metadata = { title: "Security Groups" };

export default async function GroupsPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = await searchParams;
  const tenant = await resolveTenant(viewer, params);
  if (!tenant) {
    return (
      <>
        <PageHeader title="Security Groups" />
        <EmptyState icon={UsersRound} title="No tenants yet" description="Groups belong to a tenant. Create a tenant first." />
      </>
    );
  }
  const search = param(params, "q");
  const page = pageNumber(params);
  const sort = param(params, "sort") === "displayName" ? "displayName" : "created";
  const requestedDir = param(params, "dir");
  const direction = requestedDir === "asc" || requestedDir === "desc" ? requestedDir : sort === "created" ? "desc" : "asc";
  const result = await listGroups(tenant.id, { search, sort, direction, after: param(params, "after"), before: param(params, "before"), limit: 50 });
  const rows: GroupRow[] = result.rows.map((g) => ({
    id: g.id,
    displayName: g.displayName,
    source: g.source,
    memberCount: g.memberCount,
    role: g.role,
    createdAt: g.createdAt.toISOString(),
  }));
  const base = new URLSearchParams({ tenantId: tenant.id });
  for (const [key, value] of Object.entries({ q: search, sort: param(params, "sort") ? sort : undefined, dir: requestedDir ? direction : undefined })) {
    if (value) base.set(key, value);
  }
  const number = new Intl.NumberFormat("en");

  return (
    <>
      <PageHeader
        title="Security Groups"
        description="Groups synced from your identity provider. Grant a group a console role to let its members administer this tenant."
      />
      <form role="search" aria-label="Filter groups" className="mb-4 grid gap-3 rounded-lg border bg-card p-3 sm:grid-cols-[1fr_1.4fr_auto] sm:items-end">
        <TenantCombobox id="groups-tenant" value={{ id: tenant.id, name: tenant.name }} behavior="submit" />
        <div className="grid gap-1.5">
          <Label htmlFor="groups-search">Search</Label>
          <Input id="groups-search" name="q" type="search" defaultValue={search} placeholder="Group name" />
        </div>
        {base.has("sort") ? <input type="hidden" name="sort" value={sort} /> : null}
        {base.has("dir") ? <input type="hidden" name="dir" value={direction} /> : null}
        <Button type="submit" variant="secondary">
          <Search aria-hidden />
          Apply
        </Button>
      </form>
      {rows.length === 0 ? (
        <EmptyState
          icon={UsersRound}
          title={search ? "No groups match your search" : "No groups yet"}
          description={search ? "Try another name." : "Assign groups to the enterprise app in Entra; they appear here after the next provisioning cycle."}
        />
      ) : (
        <div className="grid gap-3">
          <GroupsTable rows={rows} sort={sort} direction={direction} />
          <Pager base={base} page={page} summary={`${number.format(tenant.groupCount)} groups in ${tenant.name}`} prevCursor={result.prevCursor} nextCursor={result.nextCursor} />
        </div>
      )}
    </>
  );
}
