import { notFound } from "next/navigation";
import { requireTenantPage } from "@/lib/auth/guards";
import { findGroupTenantId, getGroup, listGroupMembers } from "@/lib/db/queries/groups";
import { isUuid } from "@/lib/uuid";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/console/pager";
import { RoleBadge } from "@/app/(console)/groups/_components/role-badge";
import { RoleMappingForm } from "@/app/(console)/groups/_components/role-mapping-form";
import { MembersTable } from "./members-table";
import { canWrite, param, type SearchParams } from "../../_lib/scope";

export const metadata = { title: "Security Group" };

export default async function GroupPage({ params, searchParams }: { params: Promise<{ groupId: string }>; searchParams: SearchParams }) {
  const { groupId } = await params;
  if (!isUuid(groupId)) notFound();
  const tenantId = await findGroupTenantId(groupId);
  if (!tenantId) notFound();
  const viewer = await requireTenantPage(tenantId, "read");
  const query = await searchParams;
  const group = await getGroup(tenantId, groupId);
  if (!group) notFound();
  const page = Math.max(1, Number.parseInt(param(query, "page") ?? "1", 10) || 1);
  const members = await listGroupMembers(tenantId, group.id, { after: param(query, "after"), limit: 50 });
  const number = new Intl.NumberFormat("en");

  return (
    <>
      <PageHeader
        back={{ href: `/groups?tenantId=${tenantId}`, label: "Security Groups" }}
        title={group.displayName}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge variant={group.source === "scim" ? "default" : "secondary"}>Source: {group.source === "scim" ? "SCIM" : "Local"}</Badge>
            <span>
              {number.format(group.memberCount)} {group.memberCount === 1 ? "member" : "members"}
            </span>
            {group.externalId ? <span className="font-mono text-xs">externalId {group.externalId}</span> : null}
          </span>
        }
      />
      <div className="grid gap-6">
        <Card>
          <CardHeader>
            <CardTitle>Role mapping</CardTitle>
            <CardDescription>
              Members of this group get this console role in the tenant. Current role: <RoleBadge role={group.role} />
            </CardDescription>
          </CardHeader>
          {canWrite(viewer, tenantId) ? (
            <CardContent>
              <RoleMappingForm tenantId={tenantId} groupId={group.id} groupName={group.displayName} role={group.role} />
            </CardContent>
          ) : null}
        </Card>
        <section aria-labelledby="members-title" className="grid gap-3">
          <h2 id="members-title" className="text-lg font-semibold">
            Members
          </h2>
          {members.rows.length === 0 ? (
            <EmptyState title="No members" description="Entra adds members with PATCH requests during provisioning." />
          ) : (
            <>
              <MembersTable rows={members.rows} />
              <Pager
                base={new URLSearchParams()}
                page={page}
                nextCursor={members.nextCursor}
                summary={`Page ${page} of ${number.format(group.memberCount)} ${group.memberCount === 1 ? "member" : "members"}`}
              />
            </>
          )}
        </section>
      </div>
    </>
  );
}
