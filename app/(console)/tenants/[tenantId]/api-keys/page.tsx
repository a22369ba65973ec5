import { notFound } from "next/navigation";
import { requireTenantPage } from "@/lib/auth/guards";
import { findTenantById } from "@/lib/db/queries/tenants";
import { PageHeader } from "@/components/ui/page-header";
import { canWrite } from "../../../_lib/scope";
import { ApiKeysSection } from "../../../api-keys/_components/api-keys-section";

export const metadata = { title: "API keys" };

export default async function TenantApiKeysPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const viewer = await requireTenantPage(tenantId, "read");
  const tenant = await findTenantById(tenantId);
  if (!tenant) notFound();
  return (
    <>
      <PageHeader back={{ href: `/tenants/${tenant.id}`, label: tenant.name }} title="API keys" description={`Keys the host application uses to read ${tenant.name} through /api/v1.`} />
      <ApiKeysSection owner={{ tenantId: tenant.id }} canWrite={canWrite(viewer, tenant.id)} tenantId={tenant.id} />
    </>
  );
}
