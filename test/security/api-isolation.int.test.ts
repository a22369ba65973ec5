import { beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "../scim/client";
import { apiClient, newKey } from "../api/client";
import { actors } from "@/lib/audit";
import { issueApiKey, revokeApiKey } from "@/lib/admin/api-keys";
import { expiryInDays } from "@/lib/admin/token-lifetime";
import { hashSessionToken } from "@/lib/auth/session-store";
import { sessions } from "@/lib/db/schema";

// Tenant isolation matrix, extended to the host application's API: every /api/v1 route ×
// credential. The tenant's own key and a platform key get through; another tenant's key
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
