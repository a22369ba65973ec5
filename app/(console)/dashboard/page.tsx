import Link from "next/link";
import { Building2, Plus } from "lucide-react";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { canManagePlatform } from "@/lib/auth/roles";
import { getDashboard } from "@/lib/db/queries/dashboard";
import { listTokensExpiringSoon } from "@/lib/db/queries/tokens";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { SetupChecklist } from "@/components/dashboard/setup-checklist";
import { TenantHealthCard } from "@/components/dashboard/tenant-health-card";
import { ExpiringTokensBanner } from "@/app/(console)/tenants/_components/expiring-tokens-banner";
import { tenantScope } from "../_lib/scope";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const viewer = await requireConsoleViewer();
  const scope = tenantScope(viewer);
  const [tenants, expiring] = await Promise.all([getDashboard(scope), listTokensExpiringSoon(scope)]);
  const canCreate = canManagePlatform(viewer);

  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Single sign-on and SCIM provisioning health for each tenant."
        actions={
          canCreate && tenants.length ? (
            <Button asChild variant="outline">
              <Link href="/tenants?create=1">
                <Plus aria-hidden />
                New tenant
              </Link>
            </Button>
          ) : null
        }
      />
      <ExpiringTokensBanner tokens={expiring} showTenant />
      {tenants.length === 0 ? (
        <div className="grid gap-6">
          <EmptyState
            icon={Building2}
            title="No tenants yet"
            description="A tenant is one organisation: its identity provider, provisioning tokens, users and groups."
            action={
              canCreate ? (
                <Button asChild>
                  <Link href="/tenants?create=1">
                    <Plus aria-hidden />
                    Create your first tenant
                  </Link>
                </Button>
              ) : (
                <p className="text-sm text-muted-foreground">Ask a platform admin to create one.</p>
              )
            }
          />
          <SetupChecklist
            heading="What happens next"
            steps={[
              { title: "Add an identity provider", description: "Connect Microsoft Entra ID (or any OIDC provider) for single sign-on.", done: false },
              { title: "Generate a provisioning token", description: "A per-tenant SCIM token, shown once, with a 30-day default expiry.", done: false },
              { title: "Configure provisioning in Entra", description: "Paste the Tenant URL and token into Entra's enterprise app and start provisioning.", done: false },
            ]}
          />
        </div>
      ) : (
        <div className="grid gap-4 xl:grid-cols-2">
          {tenants.map((tenant) => (
            <TenantHealthCard key={tenant.id} tenant={tenant} expiringTokens={expiring.filter((t) => t.tenantId === tenant.id).length} />
          ))}
        </div>
      )}
    </>
  );
}
