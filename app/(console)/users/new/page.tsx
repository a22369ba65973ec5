import { notFound } from "next/navigation";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { LocalUserForm } from "@/app/(console)/users/_components/local-user-form";
import { resolveTenant, type SearchParams } from "../../_lib/scope";

export const metadata = { title: "Add user" };

export default async function NewUserPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = await searchParams;
  // A Local user is added from a tenant's Users page, which names the tenant; a tenant admin's own is the default.
  const tenant = params.tenantId || !viewer.platformRole ? await resolveTenant(viewer, params, "write") : undefined;
  if (!tenant) notFound();
  return (
    <>
      <PageHeader
        back={{ href: `/users?tenantId=${tenant.id}`, label: "Users" }}
        title="Add a Local user"
        description={`A console-managed account in ${tenant.name}, e.g. a guest who is not in the identity provider. People from Entra arrive through SCIM instead.`}
      />
      <Card className="max-w-2xl">
        <CardContent className="pt-6">
          <LocalUserForm tenantId={tenant.id} />
        </CardContent>
      </Card>
    </>
  );
}
