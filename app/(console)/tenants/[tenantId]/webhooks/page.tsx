import { notFound } from "next/navigation";
import { Webhook } from "lucide-react";
import { getViewer, requireTenantPage } from "@/lib/auth/guards";
import { canAccessTenant } from "@/lib/auth/roles";
import { findTenantById } from "@/lib/db/queries/tenants";
import { listWebhookDeliveries } from "@/lib/db/queries/webhooks";
import { listWebhooks } from "@/lib/admin/webhooks";
import { DIRECTORY_EVENT_TYPES } from "@/lib/events";
import { isUuid } from "@/lib/uuid";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { canWrite } from "../../../_lib/scope";
import { CreateWebhookDialog } from "./_components/create-webhook-dialog";
import { WebhookCard } from "./_components/webhook-card";

export async function generateMetadata({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const viewer = await getViewer();
  if (!viewer || !isUuid(tenantId) || !canAccessTenant(viewer, tenantId, "read")) return { title: "Webhooks" };
  const tenant = await findTenantById(tenantId);
  return { title: tenant ? `Webhooks · ${tenant.name}` : "Webhooks" };
}

export default async function WebhooksPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const viewer = await requireTenantPage(tenantId, "read");
  const tenant = await findTenantById(tenantId);
  if (!tenant) notFound();
  const writable = canWrite(viewer, tenant.id);
  const endpoints = await listWebhooks(tenant.id);
  const deliveries = await Promise.all(endpoints.map((e) => listWebhookDeliveries(tenant.id, e.id, 25)));
  return (
    <>
      <PageHeader
        back={{ href: `/tenants/${tenant.id}`, label: tenant.name }}
        title="Webhooks"
        description="Directory changes and sign-ins of this tenant, signed per the Standard Webhooks specification and delivered in order, at least once, with retries for more than 24 hours."
        // One place for the dialog whatever the list holds: it must stay mounted (showing the new
        // secret) when the page re-renders with the endpoint it just added.
        actions={writable ? <CreateWebhookDialog tenantId={tenant.id} eventTypes={[...DIRECTORY_EVENT_TYPES]} /> : null}
      />
      {endpoints.length === 0 ? (
        <EmptyState
          icon={Webhook}
          title="No webhooks yet"
          description={
            writable
              ? "Choose Add webhook and give the URL of your application's receiver: Gatehouse sends it every user, group, membership, role and sign-in change from then on."
              : "A tenant admin can add the URL of the application's receiver here."
          }
        />
      ) : (
        <div className="grid gap-6">
          {endpoints.map((endpoint, i) => (
            <WebhookCard
              key={endpoint.id}
              tenantId={tenant.id}
              writable={writable}
              endpoint={{
                id: endpoint.id,
                url: endpoint.url,
                description: endpoint.description,
                eventTypes: endpoint.eventTypes,
                enabled: endpoint.enabled,
                disabledReason: endpoint.disabledReason,
                failedAttempts: endpoint.failedAttempts,
                nextAttemptAt: endpoint.failedAttempts > 0 ? endpoint.nextAttemptAt.toISOString() : null,
                lastSuccessAt: endpoint.lastSuccessAt?.toISOString() ?? null,
              }}
              deliveries={deliveries[i].map((d) => ({
                id: d.id,
                eventId: d.eventId,
                eventType: d.eventType,
                attempt: d.attempt,
                trigger: d.trigger,
                status: d.status,
                responseStatus: d.responseStatus,
                error: d.error,
                durationMs: d.durationMs,
                createdAt: d.createdAt.toISOString(),
              }))}
            />
          ))}
        </div>
      )}
    </>
  );
}
