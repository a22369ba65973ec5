import Link from "next/link";
import { Building2, Plus } from "lucide-react";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { canManagePlatform } from "@/lib/auth/roles";
import { getDashboardSummary, listTenantsNeedingAttention } from "@/lib/db/queries/dashboard";
import { getOverallUsage } from "@/lib/db/queries/usage";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { SetupChecklist } from "@/components/dashboard/setup-checklist";
import { SummaryStats } from "@/components/dashboard/summary-stats";
import { AttentionList } from "@/components/dashboard/attention-list";
import { UsageCharts } from "@/components/charts/usage-charts";
import { pageNumber, param, tenantScope, type SearchParams } from "../_lib/scope";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: { searchParams?: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = (await searchParams) ?? {};
  const scope = tenantScope(viewer);
  const after = param(params, "after");
  const [summary, attention, usage] = await Promise.all([
    getDashboardSummary(scope),
    listTenantsNeedingAttention(scope, { after }),
    getOverallUsage(scope),
  ]);
  const canCreate = canManagePlatform(viewer);

  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Single sign-on and SCIM provisioning health across your tenants."
        actions={
          canCreate && summary.tenants ? (
            <Button asChild variant="outline">
              <Link href="/tenants?create=1">
                <Plus aria-hidden />
                New tenant
              </Link>
            </Button>
          ) : null
        }
      />
      {summary.tenants === 0 ? (
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
        <div className="grid gap-6">
          <SummaryStats summary={summary} />
          <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
            <AttentionList rows={attention.rows} nextCursor={attention.nextCursor} page={after ? pageNumber(params) : 1} />
            <section aria-labelledby="usage-title" className="grid content-start gap-3">
              <div>
                <h2 id="usage-title" className="text-lg font-semibold">
                  Usage
                </h2>
                <p className="text-sm text-muted-foreground">Every tenant you can see, per UTC day.</p>
              </div>
              <UsageCharts data={usage} scope="overall" />
            </section>
          </div>
        </div>
      )}
    </>
  );
}
