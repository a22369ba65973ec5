import { describe, expect, it, beforeAll } from "vitest";
import { sql } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { createScimTenant, scimClient } from "../scim/client";
import { createProvisioningToken, revokeProvisioningToken } from "@/lib/db/queries/tokens";

// Tenant isolation matrix: every SCIM route × method × credential. Only the tenant's own live
// token gets through; every other credential gets a 401 that carries no resource data.
const database = setupTestDatabase();

type Credential = "own" | "otherTenant" | "expired" | "revoked" | "none";
const CREDENTIALS: Credential[] = ["own", "otherTenant", "expired", "revoked", "none"];

let tenantId = "";
const tokens = {} as Record<Credential, string>;
let userId = "";
let groupId = "";

beforeAll(async () => {
  const own = await createScimTenant();
  const other = await createScimTenant();
  tenantId = own.tenant.id;
  tokens.own = own.token;
  tokens.otherTenant = other.token;
  tokens.none = "";
  const expired = await createProvisioningToken(tenantId, { expiresAt: new Date(Date.now() + 60_000), createdBy: "test" });
  await database.db.execute(sql`update provisioning_tokens set expires_at = now() - interval '1 minute' where id = ${expired.row.id}`);
  tokens.expired = expired.token;
  const revoked = await createProvisioningToken(tenantId, { expiresAt: new Date(Date.now() + 86_400_000), createdBy: "test" });
  await revokeProvisioningToken(tenantId, revoked.row.id);
  tokens.revoked = revoked.token;
  userId = (await own.scim.post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "isolated@example.com" })).body.id;
  groupId = (await own.scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Isolated" })).body.id;
});

const PATCH = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: "Changed" }] };
const SEARCH = { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'userName eq "isolated@example.com"' };

const ROUTES: { method: string; path: () => string; body?: () => unknown; okStatus: number }[] = [
  { method: "GET", path: () => "/ServiceProviderConfig", okStatus: 200 },
  { method: "GET", path: () => "/ResourceTypes", okStatus: 200 },
  { method: "GET", path: () => "/ResourceTypes/User", okStatus: 200 },
  { method: "GET", path: () => "/Schemas", okStatus: 200 },
  { method: "GET", path: () => "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", okStatus: 200 },
  { method: "GET", path: () => "/Users", okStatus: 200 },
  { method: "POST", path: () => "/Users", body: () => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `new-${Math.random()}@example.com` }), okStatus: 201 },
  { method: "POST", path: () => "/Users/.search", body: () => SEARCH, okStatus: 200 },
  { method: "GET", path: () => `/Users/${userId}`, okStatus: 200 },
  { method: "PUT", path: () => `/Users/${userId}`, body: () => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "isolated@example.com", displayName: "Put" }), okStatus: 200 },
  { method: "PATCH", path: () => `/Users/${userId}`, body: () => PATCH, okStatus: 200 },
  { method: "GET", path: () => "/Groups", okStatus: 200 },
  { method: "POST", path: () => "/Groups", body: () => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: `G ${Math.random()}` }), okStatus: 201 },
  { method: "POST", path: () => "/Groups/.search", body: () => ({ schemas: SEARCH.schemas }), okStatus: 200 },
  { method: "GET", path: () => `/Groups/${groupId}`, okStatus: 200 },
  { method: "PUT", path: () => `/Groups/${groupId}`, body: () => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Isolated" }), okStatus: 200 },
  { method: "PATCH", path: () => `/Groups/${groupId}`, body: () => PATCH, okStatus: 204 },
  { method: "POST", path: () => "/.search", body: () => ({ schemas: SEARCH.schemas }), okStatus: 200 },
  // Deletions last: they remove the fixtures.
  { method: "DELETE", path: () => `/Groups/${groupId}`, okStatus: 204 },
  { method: "DELETE", path: () => `/Users/${userId}`, okStatus: 204 },
];

describe("tenant isolation matrix (SCIM route × method × credential)", () => {
  for (const route of ROUTES) {
    it(`${route.method} ${route.path.toString().match(/"(.*)"|`(.*)`/)?.slice(1).find(Boolean) ?? ""}`, async () => {
      for (const credential of CREDENTIALS.filter((c) => c !== "own")) {
        const res = await scimClient(tenantId, tokens[credential]).call(route.method, route.path(), route.body?.());
        expect(res.status, `${credential}`).toBe(401);
        expect(Object.keys(res.body).sort(), credential).toEqual(["detail", "schemas", "status"]);
      }
      const own = await scimClient(tenantId, tokens.own).call(route.method, route.path(), route.body?.());
      expect(own.status, JSON.stringify(own.body)).toBe(route.okStatus);
    });
  }

  it("hides one tenant's resources behind another tenant's path even with a valid token", async () => {
    const a = await createScimTenant();
    const b = await createScimTenant();
    const user = await a.scim.post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "a-only@example.com" });
    // b's token on a's path: 401; b's token on b's path with a's id: 404.
    expect((await scimClient(a.tenant.id, b.token).get(`/Users/${user.body.id}`)).status).toBe(401);
    expect((await b.scim.get(`/Users/${user.body.id}`)).status).toBe(404);
    expect((await b.scim.patch(`/Users/${user.body.id}`, PATCH)).status).toBe(404);
    expect((await b.scim.delete(`/Users/${user.body.id}`)).status).toBe(404);
    expect((await a.scim.get(`/Users/${user.body.id}`)).body.userName).toBe("a-only@example.com");
  });
});
