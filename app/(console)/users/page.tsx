import Link from "next/link";
import { Search, Users } from "lucide-react";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { listUsers, type UserListFilters } from "@/lib/db/queries/users";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { UsersTable, type UserRow } from "@/app/(console)/users/_components/users-table";
import { Pager } from "@/components/console/pager";
import { TenantCombobox } from "@/components/console/tenant-combobox";
import { canWrite, pageNumber, param, resolveTenant, type SearchParams } from "../_lib/scope";

export const metadata = { title: "Users" };

const PAGE_SIZE = 50;

export default async function UsersPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = await searchParams;
  const tenant = await resolveTenant(viewer, params);
  if (!tenant) {
    return (
      <>
        <PageHeader title="Users" />
        <EmptyState icon={Users} title="No tenants yet" description="Users belong to a tenant. Create a tenant first." />
      </>
    );
  }
  const search = param(params, "q");
  const source = param(params, "source");
  const status = param(params, "status");
  const sort = param(params, "sort") === "userName" ? "userName" : "created";
  const direction = param(params, "dir") === "asc" ? "asc" : param(params, "dir") === "desc" ? "desc" : sort === "created" ? "desc" : "asc";
  const page = pageNumber(params);
  const filters: UserListFilters = {
    search,
    source: source === "scim" || source === "local" ? source : undefined,
    active: status === "active" ? true : status === "inactive" ? false : undefined,
    sort,
    direction,
    after: param(params, "after"),
    before: param(params, "before"),
    limit: PAGE_SIZE,
  };
  const result = await listUsers(tenant.id, filters);
  const filtered = Boolean(search || filters.source || filters.active !== undefined);
  const rows: UserRow[] = result.rows.map((r) => ({
    ...r,
    lastSignInAt: r.lastSignInAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  }));

  const first = (page - 1) * PAGE_SIZE + 1;
  const last = first + rows.length - 1;
  const number = new Intl.NumberFormat("en");
  // Unfiltered totals come from the maintained tenants.user_count, never from count(*).
  const summary = rows.length
    ? filtered
      ? `Showing ${number.format(first)}–${number.format(last)} of the matching users${result.nextCursor ? "; more results available" : ""}`
      : `Showing ${number.format(first)}–${number.format(last)} of ${number.format(tenant.userCount)}`
    : "";

  const base = new URLSearchParams();
  for (const [key, value] of Object.entries({ tenantId: tenant.id, q: search, source: filters.source, status, sort: param(params, "sort"), dir: param(params, "dir") })) {
    if (value) base.set(key, value);
  }

  return (
    <>
      <PageHeader
        title="Users"
        description="People provisioned by SCIM from the identity provider, and Local accounts created here."
        actions={
          canWrite(viewer, tenant.id) ? (
            <Button asChild>
              <Link href={`/users/new?tenantId=${tenant.id}`}>+ Add user</Link>
            </Button>
          ) : null
        }
      />
      <form role="search" aria-label="Filter users" className="mb-4 grid gap-3 rounded-lg border bg-card p-3 sm:grid-cols-2 lg:grid-cols-[1fr_1.4fr_auto_auto_auto] lg:items-end">
        <TenantCombobox id="users-tenant" value={{ id: tenant.id, name: tenant.name }} behavior="submit" />
        <div className="grid gap-1.5">
          <Label htmlFor="users-search">Search</Label>
          <Input id="users-search" name="q" type="search" defaultValue={search} placeholder="User name, name or email" />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="users-source">Source</Label>
          <Select id="users-source" name="source" defaultValue={filters.source ?? ""}>
            <option value="">Any source</option>
            <option value="scim">SCIM</option>
            <option value="local">Local</option>
          </Select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="users-status">Status</Label>
          <Select id="users-status" name="status" defaultValue={status ?? ""}>
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </Select>
        </div>
        {param(params, "sort") ? <input type="hidden" name="sort" value={sort} /> : null}
        {param(params, "dir") ? <input type="hidden" name="dir" value={direction} /> : null}
        <Button type="submit" variant="secondary">
          <Search aria-hidden />
          Apply
        </Button>
      </form>
      {rows.length === 0 ? (
        <EmptyState
          icon={Users}
          title={filtered ? "No users match these filters" : "No users in this tenant yet"}
          description={
            filtered
              ? "Try a shorter search or clear the filters."
              : "Users appear here once Entra provisions them through SCIM, or when you add a Local user."
          }
        />
      ) : (
        <div className="grid gap-3">
          <UsersTable rows={rows} sort={sort} direction={direction} />
          <Pager
            summary={summary}
            base={base}
            page={page}
            prevCursor={result.prevCursor}
            nextCursor={result.nextCursor}
          />
        </div>
      )}
    </>
  );
}
