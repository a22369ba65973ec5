import Link from "next/link";
import { Building2, Search } from "lucide-react";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { canManagePlatform } from "@/lib/auth/roles";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { CreateTenantDialog } from "@/app/(console)/tenants/_components/create-tenant-dialog";
import { listDomainsOfTenants } from "@/lib/db/queries/tenant-domains";
import { accessibleTenants, param, type SearchParams } from "../_lib/scope";

export const metadata = { title: "Tenants" };

export default async function TenantsPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = await searchParams;
  const search = param(params, "q");
  const tenants = await accessibleTenants(viewer, search);
  const domainsOf = await listDomainsOfTenants(tenants.map((t) => t.id));
  const domainList = (tenantId: string) =>
    (domainsOf.get(tenantId) ?? []).map((d) => (d.verifiedAt ? d.domain : `${d.domain} (unverified)`)).join(", ") || "—";
  const canCreate = canManagePlatform(viewer);
  const number = new Intl.NumberFormat("en");

  return (
    <>
      <PageHeader
        title="Tenants"
        description="Tenant Management: each tenant is one organisation with its own identity provider, provisioning tokens, users and groups."
        actions={canCreate ? <CreateTenantDialog defaultOpen={param(params, "create") === "1"} /> : null}
      />
      <form role="search" className="mb-4 flex max-w-md gap-2">
        <label htmlFor="tenant-search" className="sr-only">
          Search tenants
        </label>
        <Input id="tenant-search" name="q" type="search" defaultValue={search} placeholder="Search by name or slug" />
        <Button type="submit" variant="outline">
          <Search aria-hidden />
          Search
        </Button>
      </form>
      {tenants.length === 0 ? (
        <EmptyState
          icon={Building2}
          title={search ? "No tenants match your search" : "No tenants yet"}
          description={search ? "Try another name or slug." : canCreate ? "Create a tenant for each organisation you connect." : "Ask a platform admin to create one."}
        />
      ) : (
        <Table label="Tenants">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Email domains</TableHead>
              <TableHead className="text-right">Users</TableHead>
              <TableHead className="text-right">Groups</TableHead>
              <TableHead>Created</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {tenants.map((tenant) => (
              <TableRow key={tenant.id}>
                <TableCell>
                  <Link href={`/tenants/${tenant.id}`} className="font-medium text-primary hover:underline">
                    {tenant.name}
                  </Link>
                  <div className="font-mono text-xs text-muted-foreground">{tenant.slug}</div>
                </TableCell>
                <TableCell className="max-w-64 truncate text-muted-foreground">{domainList(tenant.id)}</TableCell>
                <TableCell className="text-right tabular-nums">{number.format(tenant.userCount)}</TableCell>
                <TableCell className="text-right tabular-nums">{number.format(tenant.groupCount)}</TableCell>
                <TableCell className="whitespace-nowrap">
                  <Time value={tenant.createdAt} dateOnly />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
