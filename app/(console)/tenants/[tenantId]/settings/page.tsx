import { notFound } from "next/navigation";
import { getViewer, requireTenantPage } from "@/lib/auth/guards";
import { canAccessTenant } from "@/lib/auth/roles";
import { SCIM_RATE_LIMIT } from "@/lib/admin/tenants";
import { DEFAULT_TENANT_SETTINGS, findTenantById, tenantSettings } from "@/lib/db/queries/tenants";
import { isUuid } from "@/lib/uuid";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { canWrite } from "../../../_lib/scope";
import { TenantSettingsForm } from "./_components/tenant-settings-form";

/** The title is resolved apart from the page, so it checks access itself: no tenant's name for outsiders. */
export async function generateMetadata({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const viewer = await getViewer();
  if (!viewer || !isUuid(tenantId) || !canAccessTenant(viewer, tenantId, "read")) return { title: "Tenant settings" };
  const tenant = await findTenantById(tenantId);
  return { title: tenant ? `Settings · ${tenant.name}` : "Tenant settings" };
}

export default async function TenantSettingsPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const viewer = await requireTenantPage(tenantId, "read");
  const tenant = await findTenantById(tenantId);
  if (!tenant) notFound();
  const settings = tenantSettings(tenant.settings);
  return (
    <>
      <PageHeader
        back={{ href: `/tenants/${tenant.id}`, label: tenant.name }}
        title="Settings"
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span>{tenant.name}</span>
            <span className="font-mono">{tenant.slug}</span>
            <span>
              Last changed <Time value={tenant.updatedAt} />
            </span>
          </span>
        }
      />
      <TenantSettingsForm
        readOnly={!canWrite(viewer, tenant.id)}
        bounds={{ ...SCIM_RATE_LIMIT, default: DEFAULT_TENANT_SETTINGS.scimRateLimitPerMinute }}
        tenant={{
          id: tenant.id,
          name: tenant.name,
          slug: tenant.slug,
          userLinking: settings.userLinking,
          defaultTokenDays: settings.defaultTokenDays,
          jitProvisioning: settings.jitProvisioning,
          ssoMatchBy: settings.ssoMatchBy,
          scimRateLimitPerMinute: settings.scimRateLimitPerMinute,
        }}
      />
    </>
  );
}
