import { KeyRound } from "lucide-react";
import { apiKeyHint, apiKeysOf, apiKeyStatus, type ApiKeyOwner } from "@/lib/admin/api-keys";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { publicOrigin } from "../../_lib/scope";
import { ApiKeysTable, type ApiKeyRow } from "./api-keys-table";
import { CreateApiKeyDialog, type ApiKeyOwnerRef } from "./create-api-key-dialog";

/** The keys of one owner with their create dialog and revoke buttons; callers have authorized the viewer. */
export async function ApiKeysSection({ owner, canWrite, tenantId }: { owner: ApiKeyOwner; canWrite: boolean; tenantId?: string }) {
  const [keys, origin] = await Promise.all([apiKeysOf(owner), publicOrigin()]);
  const ref: ApiKeyOwnerRef = owner.platform ? { kind: "platform" } : { kind: "tenant", tenantId: owner.tenantId };
  const rows: ApiKeyRow[] = keys.map((k) => ({
    id: k.id,
    name: k.name,
    hint: apiKeyHint(k),
    scope: k.scope,
    createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    status: apiKeyStatus(k),
  }));
  const active = rows.filter((r) => r.status === "active").length;
  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>Host application API</CardTitle>
          <CardDescription>
            The application Gatehouse guards asks it who a session belongs to and reads {tenantId ? "this tenant’s" : "every tenant’s"} users and
            groups. Send a key as <code className="font-mono">Authorization: Bearer gh_api_…</code>; the OpenAPI document describes every endpoint.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          <CopyField id="api-base-url" label={tenantId ? "This tenant’s users" : "API base URL"} value={tenantId ? `${origin}/api/v1/tenants/${tenantId}/users` : `${origin}/api/v1`} />
          <CopyField id="api-openapi-url" label="OpenAPI document" value={`${origin}/api/v1/openapi.json`} />
        </CardContent>
      </Card>
      <section aria-labelledby="api-keys-title" className="grid gap-4">
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
          <div>
            <h2 id="api-keys-title" className="text-lg font-semibold">
              API keys
            </h2>
            <p className="text-sm text-muted-foreground">
              {active} active. Shown once when created, stored only as a hash. Rotate by creating a new key, switching the application to it, then
              revoking the old one.
            </p>
          </div>
          {canWrite ? <CreateApiKeyDialog owner={ref} /> : null}
        </div>
        {rows.length ? (
          <ApiKeysTable owner={ref} keys={rows} canWrite={canWrite} />
        ) : (
          <EmptyState icon={KeyRound} title="No API keys yet" description={canWrite ? "Create one for the application that will call /api/v1." : "An admin can create one."} />
        )}
      </section>
    </div>
  );
}
