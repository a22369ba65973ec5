import { beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "../scim/client";
import { apiClient, newKey } from "../api/client";
import { webhooksClient, type SendOptions } from "../api/webhooks-client";
import { actors } from "@/lib/audit";
import { issueApiKey, revokeApiKey } from "@/lib/admin/api-keys";
import { createWebhook } from "@/lib/admin/webhooks";
import { insertDelivery } from "@/lib/db/queries/webhooks";
import { expiryInDays } from "@/lib/admin/token-lifetime";
import { hashSessionToken } from "@/lib/auth/session-store";
import { sessions } from "@/lib/db/schema";

// Tenant isolation matrix, extended to the host application's API: every /api/v1 route ×
// credential, webhook writes included. The tenant's own key and a platform key get through; another tenant's key
// gets the same 404 as a tenant that does not exist; bad keys get a 401. No refusal carries
// any of the tenant's data.
const database = setupTestDatabase();

type Credential = "own" | "platform" | "otherTenant" | "expired" | "revoked" | "malformed" | "none";
const keys = {} as Record<Credential, string | null>;
const REFUSED: Record<Exclude<Credential, "own" | "platform">, number> = { otherTenant: 404, expired: 401, revoked: 401, malformed: 401, none: 401 };

let tenantId = "";
let otherTenantId = "";
let userId = "";
let groupId = "";
let otherUserId = "";
let otherGroupId = "";
let sessionToken = "";
let webhookId = "";
let deliveryId = "";
let otherWebhookId = "";
const writeKeys = { own: "", platform: "" };

beforeAll(async () => {
  const own = await createScimTenant();
  const other = await createScimTenant();
  tenantId = own.tenant.id;
  otherTenantId = other.tenant.id;
  keys.own = await newKey({ tenantId });
  keys.platform = await newKey({ tenantId: null, platform: true });
  keys.otherTenant = await newKey({ tenantId: otherTenantId }, "read-write");
  const expired = await issueApiKey({ tenantId }, { scope: "read", expiresAt: expiryInDays(1) }, actors.cli());
  await database.db.execute(sql`update api_keys set expires_at = now() - interval '1 minute' where id = ${expired.row.id}`);
  keys.expired = expired.key;
  const revoked = await issueApiKey({ tenantId }, { scope: "read", expiresAt: expiryInDays(1) }, actors.cli());
  await revokeApiKey({ tenantId }, revoked.row.id, actors.cli());
  keys.revoked = revoked.key;
  keys.malformed = "gh_api_" + "A".repeat(49);
  keys.none = null;
  const USER = ["urn:ietf:params:scim:schemas:core:2.0:User"];
  const GROUP = ["urn:ietf:params:scim:schemas:core:2.0:Group"];
  userId = (await own.scim.post("/Users", { schemas: USER, userName: "isolated@example.com", emails: [{ value: "isolated@example.com", type: "work", primary: true }] })).body.id;
  groupId = (await own.scim.post("/Groups", { schemas: GROUP, displayName: "Isolated", members: [{ value: userId }] })).body.id;
  otherUserId = (await other.scim.post("/Users", { schemas: USER, userName: "elsewhere@example.com" })).body.id;
  otherGroupId = (await other.scim.post("/Groups", { schemas: GROUP, displayName: "Elsewhere" })).body.id;
  sessionToken = randomBytes(32).toString("base64url");
  await database.db.insert(sessions).values({ sessionToken: hashSessionToken(sessionToken), userId, expires: new Date(Date.now() + 3_600_000) });
  // Webhooks at public names: nothing in this file delivers to them.
  webhookId = (await createWebhook({ tenantId, url: "https://isolated.example.com/hook", description: "Isolated", eventTypes: [] }, actors.cli())).endpoint.id;
  otherWebhookId = (await createWebhook({ tenantId: otherTenantId, url: "https://elsewhere.example.com/hook", description: null, eventTypes: [] }, actors.cli())).endpoint.id;
  const delivery = await insertDelivery({ tenantId, endpointId: webhookId, eventId: null, messageId: "msg_test_isolated", eventType: "webhook.test", attempt: 1, trigger: "test", status: "succeeded", responseStatus: 204, durationMs: 3 });
  deliveryId = String(delivery.id);
  writeKeys.own = await newKey({ tenantId }, "read-write");
  writeKeys.platform = await newKey({ tenantId: null, platform: true }, "read-write");
});

const ROUTES: { name: string; path: () => string; headers?: () => Record<string, string>; shows?: () => string }[] = [
  { name: "GET /session", path: () => "/session", headers: () => ({ "x-gatehouse-session": sessionToken }) },
  { name: "GET /tenants/{id}/users", path: () => `/tenants/${tenantId}/users` },
  { name: "GET /tenants/{id}/users?filters", path: () => `/tenants/${tenantId}/users?email=isolated%40example.com&group=${groupId}` },
  { name: "GET /tenants/{id}/users/{userId}", path: () => `/tenants/${tenantId}/users/${userId}` },
  { name: "GET /tenants/{id}/groups", path: () => `/tenants/${tenantId}/groups`, shows: () => groupId },
  { name: "GET /tenants/{id}/groups/{groupId}/members", path: () => `/tenants/${tenantId}/groups/${groupId}/members` },
  { name: "GET /events?tenantId={id}", path: () => `/events?tenantId=${tenantId}` },
];

describe("tenant isolation matrix (API route × credential)", () => {
  for (const route of ROUTES) {
    it(route.name, async () => {
      for (const credential of Object.keys(REFUSED) as (keyof typeof REFUSED)[]) {
        const res = await apiClient(keys[credential]).get(route.path(), route.headers?.());
        expect(res.status, credential).toBe(REFUSED[credential]);
        expect(res.headers.get("content-type"), credential).toBe("application/problem+json");
        expect(Object.keys(res.body).sort(), credential).toEqual(["detail", "instance", "requestId", "status", "title", "type"]);
        // `instance` repeats the path the caller sent; nothing else may name the tenant's data.
        const text = JSON.stringify({ ...res.body, instance: undefined });
        for (const secret of ["isolated@example.com", "Isolated", userId, groupId]) expect(text, credential).not.toContain(secret);
      }
      for (const credential of ["own", "platform"] as const) {
        const res = await apiClient(keys[credential]).get(route.path(), route.headers?.());
        expect(res.status, `${credential}: ${JSON.stringify(res.body)}`).toBe(200);
        expect(JSON.stringify(res.body), credential).toContain(route.shows?.() ?? userId);
      }
    });
  }

  // The webhook routes, writes included: every refusal comes before the body or the webhook is looked at.
  const hooks = () => `/tenants/${tenantId}/webhooks`;
  const WEBHOOK_ROUTES: { name: string; method: "GET" | "POST" | "PATCH" | "DELETE"; path: () => string; send?: () => SendOptions; ok?: number }[] = [
    { name: "GET /tenants/{id}/webhooks", method: "GET", path: hooks, ok: 200 },
    { name: "POST /tenants/{id}/webhooks", method: "POST", path: hooks, send: () => ({ json: { url: "https://new.example.com/hook", eventTypes: [] } }) },
    { name: "GET /tenants/{id}/webhooks/{webhookId}", method: "GET", path: () => `${hooks()}/${webhookId}`, ok: 200 },
    { name: "PATCH /tenants/{id}/webhooks/{webhookId}", method: "PATCH", path: () => `${hooks()}/${webhookId}`, send: () => ({ json: { enabled: false } }), ok: 200 },
    { name: "DELETE /tenants/{id}/webhooks/{webhookId}", method: "DELETE", path: () => `${hooks()}/${webhookId}` },
    { name: "GET /tenants/{id}/webhooks/{webhookId}/deliveries", method: "GET", path: () => `${hooks()}/${webhookId}/deliveries`, ok: 200 },
    { name: "POST /tenants/{id}/webhooks/{webhookId}/test", method: "POST", path: () => `${hooks()}/${webhookId}/test` },
    { name: "POST /tenants/{id}/webhooks/{webhookId}/deliveries/{deliveryId}/retry", method: "POST", path: () => `${hooks()}/${webhookId}/deliveries/${deliveryId}/retry` },
  ];
  for (const route of WEBHOOK_ROUTES) {
    it(route.name, async () => {
      for (const credential of Object.keys(REFUSED) as (keyof typeof REFUSED)[]) {
        const res = await webhooksClient(keys[credential]).send(route.method, route.path(), route.send?.());
        expect(res.status, credential).toBe(REFUSED[credential]);
        expect(res.headers.get("content-type"), credential).toBe("application/problem+json");
        expect(Object.keys(res.body).sort(), credential).toEqual(["detail", "instance", "requestId", "status", "title", "type"]);
        const text = JSON.stringify({ ...res.body, instance: undefined });
        for (const secret of ["isolated.example.com", "Isolated", webhookId]) expect(text, credential).not.toContain(secret);
      }
      // Read keys of the tenant and the platform read; a write needs read-write (403, not 404: the key may see the tenant).
      for (const key of [keys.own, keys.platform]) {
        const res = await webhooksClient(key).send(route.method, route.path(), route.send?.());
        expect(res.status).toBe(route.method === "GET" ? 200 : 403);
        if (route.method === "GET") expect(JSON.stringify(res.body)).toContain(route.path().endsWith("/deliveries") ? "msg_test_isolated" : webhookId);
      }
      if (route.ok && route.method !== "GET") {
        for (const key of [writeKeys.own, writeKeys.platform]) expect((await webhooksClient(key).send(route.method, route.path(), route.send?.())).status).toBe(route.ok);
      }
    });
  }

  it("keeps one tenant's webhooks out of another tenant's paths, even with that tenant's valid read-write key", async () => {
    const otherKey = webhooksClient(keys.otherTenant);
    const under = (path: string) => `/tenants/${otherTenantId}/webhooks/${webhookId}${path}`;
    expect((await otherKey.get(under(""))).status).toBe(404);
    expect((await otherKey.patch(under(""), { enabled: false })).status).toBe(404);
    expect((await otherKey.delete(under(""))).status).toBe(404);
    expect((await otherKey.get(under("/deliveries"))).status).toBe(404);
    expect((await otherKey.post(under("/test"))).status).toBe(404);
    expect((await otherKey.post(under(`/deliveries/${deliveryId}/retry`))).status).toBe(404);
    // Its own webhook, with this tenant's delivery id: not found either.
    expect((await otherKey.post(`/tenants/${otherTenantId}/webhooks/${otherWebhookId}/deliveries/${deliveryId}/retry`)).status).toBe(404);
    const list = await otherKey.get(`/tenants/${otherTenantId}/webhooks`);
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([otherWebhookId]);
    // The webhook is untouched by all of it.
    expect((await webhooksClient(keys.own).get(`/tenants/${tenantId}/webhooks/${webhookId}`)).body).toMatchObject({ id: webhookId, url: "https://isolated.example.com/hook" });
  });

  it("answers another tenant's id exactly like a tenant that does not exist", async () => {
    const foreign = await apiClient(keys.otherTenant).get(`/tenants/${tenantId}/users`);
    const missing = await apiClient(keys.otherTenant).get(`/tenants/${crypto.randomUUID()}/users`);
    const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined, requestId: undefined });
    expect(strip(foreign.body)).toEqual(strip(missing.body));
  });

  it("keeps one tenant's users and groups out of another tenant's paths, even with that tenant's valid key", async () => {
    const otherKey = apiClient(keys.otherTenant);
    expect((await otherKey.get(`/tenants/${otherTenantId}/users/${userId}`)).status).toBe(404);
    expect((await otherKey.get(`/tenants/${otherTenantId}/groups/${groupId}/members`)).status).toBe(404);
    expect((await otherKey.get(`/tenants/${otherTenantId}/users?group=${groupId}`)).body.data).toEqual([]);
    const list = await otherKey.get(`/tenants/${otherTenantId}/users`);
    expect(list.body.data.map((u: { id: string }) => u.id)).toEqual([otherUserId]);
    expect((await otherKey.get(`/tenants/${otherTenantId}/groups`)).body.data.map((g: { id: string }) => g.id)).toEqual([otherGroupId]);
    // The event feed without tenantId is the key's own tenant's.
    const otherFeed = await otherKey.get("/events");
    expect(otherFeed.body.events.map((e: { resourceId: string }) => e.resourceId)).toEqual([otherUserId, otherGroupId]);
    expect(JSON.stringify(otherFeed.body)).not.toContain(userId);
    // Own key, own tenant path, the other tenant's ids: not found either.
    const ownKey = apiClient(keys.own);
    expect((await ownKey.get(`/tenants/${tenantId}/users/${otherUserId}`)).status).toBe(404);
    expect((await ownKey.get(`/tenants/${tenantId}/groups/${otherGroupId}/members`)).status).toBe(404);
  });
});
