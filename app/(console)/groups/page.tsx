import Link from "next/link";
import { Search, UsersRound } from "lucide-react";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { listGroups } from "@/lib/db/queries/groups";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Pager } from "@/components/console/pager";
import { TenantCombobox } from "@/components/console/tenant-combobox";
import { RoleBadge } from "@/app/(console)/groups/_components/role-badge";
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
  const { rows, nextCursor } = await listGroups(tenant.id, { search, after: param(params, "after"), limit: 50 });
  const base = new URLSearchParams({ tenantId: tenant.id, ...(search ? { q: search } : {}) });
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
          <Table label="Security groups">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Source</TableHead>
                <TableHead className="text-right">Members</TableHead>
                <TableHead>Console role</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((group) => (
                <TableRow key={group.id}>
                  <TableCell>
                    <Link href={`/groups/${group.id}`} className="font-medium text-primary hover:underline">
                      {group.displayName}
                    </Link>
                  </TableCell>
                  <TableCell>
                    <Badge variant={group.source === "scim" ? "default" : "secondary"}>{group.source === "scim" ? "SCIM" : "Local"}</Badge>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{number.format(group.memberCount)}</TableCell>
                  <TableCell>
                    <RoleBadge role={group.role} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pager base={base} page={page} summary={`${number.format(tenant.groupCount)} groups in ${tenant.name}`} nextCursor={nextCursor} />
        </div>
      )}
    </>
  );
}
