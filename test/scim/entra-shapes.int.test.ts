import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "./client";
import { updateTenant } from "@/lib/db/queries/tenants";
import { users } from "@/lib/db/schema";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

function entraUser(userName: string, externalId: string = randomUUID()) {
  return {
    schemas: [USER, ENTERPRISE],
    externalId,
    userName,
    active: true,
    displayName: userName,
    emails: [{ primary: true, type: "work", value: userName }],
  };
}

const filtered = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`;

describe("Entra app-role assignment changes (booleans as \"True\" strings)", () => {
  it("moves a user from Admin to ReadOnly and removes the role, and filters on the string boolean", async () => {
    const { scim } = await createScimTenant();
    const created = await scim.post("/Users", { ...entraUser("roles@example.com"), roles: [{ primary: "True", type: "WindowsAzureActiveDirectoryRole", value: "Admin" }] });
    expect(created.status).toBe(201);
    const moved = await scim.patch(`/Users/${created.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: "Replace", path: 'roles[primary eq "True"].value', value: "ReadOnly" }],
    });
    expect(moved.status).toBe(200);
    expect(moved.body.roles).toEqual([{ primary: true, type: "WindowsAzureActiveDirectoryRole", value: "ReadOnly" }]);
    for (const filter of ['active eq "True"', 'roles[primary eq "True"]', 'roles[primary eq "TRUE" and value eq "ReadOnly"]']) {
      const found = await scim.get(filtered(filter));
      expect(found.status, filter).toBe(200);
      expect(found.body.totalResults, filter).toBe(1);
    }
    expect((await scim.get(filtered('roles[primary eq "False"]'))).body.totalResults).toBe(0);
    const removed = await scim.patch(`/Users/${created.body.id}`, { schemas: [PATCH], Operations: [{ op: "Remove", path: 'roles[primary eq "True"]' }] });
    expect(removed.status).toBe(200);
    expect(removed.body.roles).toBeUndefined();
  });
});

describe("externalId is not unique (RFC 7643 §3.1; Entra re-uses a mailNickname after a re-hire)", () => {
  it("creates a second user with the externalId of a deactivated one", async () => {
    const { scim } = await createScimTenant();
    const first = await scim.post("/Users", entraUser("jdoe@example.com", "jdoe"));
    expect(first.status).toBe(201);
    const off = await scim.patch(`/Users/${first.body.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: "False" }] });
    expect(off.body.active).toBe(false);
    const second = await scim.post("/Users", entraUser("john.doe@example.com", "jdoe"));
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    const both = await scim.get(filtered('externalId eq "jdoe"'));
    expect(both.body.totalResults).toBe(2);
  });

  describe("user linking on creation", () => {
    async function localUser(tenantId: string, userName: string, externalId: string | null) {
      const [row] = await database.db
        .insert(users)
        .values({ tenantId, userName, userNameNormalized: userName.toLowerCase(), externalId, source: "local", loginMethod: "password" })
        .returning({ id: users.id });
      return row.id;
    }

    it("refuses to pick one of several Local users sharing the externalId, and links none", async () => {
      const { tenant, scim } = await createScimTenant();
      await localUser(tenant.id, "a@example.com", "shared");
      await localUser(tenant.id, "b@example.com", "shared");
      await updateTenant(tenant.id, { settings: { userLinking: "link" } });
      const res = await scim.post("/Users", entraUser("new@example.com", "shared"));
      expect(res.status).toBe(409);
      expect(res.body.scimType).toBe("uniqueness");
      expect(res.body.detail).toMatch(/externalId "shared" matches 2 Local users/);
      const adopted = await database.db.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenant.id), eq(users.source, "scim")));
      expect(adopted).toEqual([]);
    });

    it("links the Local user with the same userName even when another Local user has the externalId", async () => {
      const { tenant, scim } = await createScimTenant();
      const byName = await localUser(tenant.id, "same@example.com", null);
      await localUser(tenant.id, "other@example.com", "shared");
      await updateTenant(tenant.id, { settings: { userLinking: "link" } });
      const res = await scim.post("/Users", entraUser("same@example.com", "shared"));
      expect(res.status).toBe(201);
      expect(res.body.id).toBe(byName);
    });

    it("links the one Local user whose externalId matches", async () => {
      const { tenant, scim } = await createScimTenant();
      const byExternalId = await localUser(tenant.id, "old-name@example.com", "only");
      await updateTenant(tenant.id, { settings: { userLinking: "link" } });
      const res = await scim.post("/Users", entraUser("new-name@example.com", "only"));
      expect(res.status).toBe(201);
      expect(res.body.id).toBe(byExternalId);
    });
  });
});

describe("RFC 7644 §3.2 endpoints in any letter case", () => {
  it("serves Users, Groups, .search and the discovery endpoints however they are spelled", async () => {
    const { scim } = await createScimTenant();
    const created = await scim.post("/users", entraUser("case@example.com"));
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toMatch(/\/Users\/[0-9a-f-]{36}$/);
    const id = created.body.id;
    expect((await scim.get(`/USERS/${id}`)).body.userName).toBe("case@example.com");
    expect((await scim.patch(`/uSeRs/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "displayName", value: "Renamed" }] })).body.displayName).toBe("Renamed");
    expect((await scim.get(`/users?filter=${encodeURIComponent('userName eq "case@example.com"')}`)).body.totalResults).toBe(1);
    expect((await scim.post("/users/.SEARCH", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'userName eq "case@example.com"' })).body.totalResults).toBe(1);
    const group = await scim.post("/groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Case" });
    expect(group.status).toBe(201);
    expect((await scim.get(`/GROUPS/${group.body.id}`)).body.displayName).toBe("Case");
    expect((await scim.post("/groups/.Search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"] })).body.totalResults).toBe(1);
    expect((await scim.post("/.SEARCH", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"] })).body.totalResults).toBe(2);
    expect((await scim.get("/serviceproviderconfig")).body.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]);
    expect((await scim.get("/resourcetypes")).body.totalResults).toBe(2);
    expect((await scim.get("/RESOURCETYPES/user")).body.name).toBe("User");
    expect((await scim.get("/schemas")).status).toBe(200);
    expect((await scim.get(`/schemas/${USER}`)).body.id).toBe(USER);
    expect((await scim.delete(`/users/${id}`)).status).toBe(204);
  });

  it("answers an unknown endpoint with an RFC 404 body", async () => {
    const { scim } = await createScimTenant();
    const res = await scim.get("/userz");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
  });
});

describe("SCIM interop profile: resource ids are case-exact", () => {
  it("answers 404 for a user or group id with its letter case changed, and filters on id exactly", async () => {
    const { scim } = await createScimTenant();
    const user = await scim.post("/Users", entraUser("exact@example.com"));
    const group = await scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Exact" });
    const userId = String(user.body.id).toUpperCase();
    const groupId = String(group.body.id).toUpperCase();
    expect(userId).not.toBe(user.body.id);
    for (const res of [
      await scim.get(`/Users/${userId}`),
      await scim.patch(`/Users/${userId}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "displayName", value: "x" }] }),
      await scim.put(`/Users/${userId}`, entraUser("exact@example.com")),
      await scim.delete(`/Users/${userId}`),
      await scim.get(`/Groups/${groupId}`),
      await scim.patch(`/Groups/${groupId}`, { schemas: [PATCH], Operations: [{ op: "add", path: "members", value: [{ value: user.body.id }] }] }),
      await scim.delete(`/Groups/${groupId}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.status).toBe("404");
    }
    expect((await scim.get(filtered(`id eq "${userId}"`))).body.totalResults).toBe(0);
    expect((await scim.get(filtered(`id eq "${user.body.id}"`))).body.totalResults).toBe(1);
    expect((await scim.get(`/Users/${user.body.id}`)).body.displayName).toBe("exact@example.com");
  });
});

describe("malformed ids and percent-encoding (security review L-4)", () => {
  it.each(["/Users/%E0", "/Groups/%E0", "/Schemas/%25E0", "/ResourceTypes/%E0", "/Schemas/%E0"])("answers GET %s with a SCIM 404", async (path) => {
    const { scim } = await createScimTenant();
    const res = await scim.get(path);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
  });

  it("answers a members PATCH of a group id that is no uuid with 404", async () => {
    const { scim } = await createScimTenant();
    const res = await scim.patch("/Groups/not-a-uuid", { schemas: [PATCH], Operations: [{ op: "remove", path: "members" }] });
    expect(res.status).toBe(404);
  });
});

describe("SCIM interop profile: undefined sub-attributes are invalidSyntax, unknown extensions are kept", () => {
  it("refuses name.x in a PATCH path and a filter with 400 invalidSyntax, and stores an unknown extension attribute", async () => {
    const { scim } = await createScimTenant();
    const { body } = await scim.post("/Users", entraUser("sub@example.com"));
    const patched = await scim.patch(`/Users/${body.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "name.x", value: "1" }] });
    expect(patched.status).toBe(400);
    expect(patched.body.scimType).toBe("invalidSyntax");
    const listed = await scim.get(filtered('name.x eq "1"'));
    expect(listed.status).toBe(400);
    expect(listed.body.scimType).toBe("invalidSyntax");
    const custom = "urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName";
    const extended = await scim.patch(`/Users/${body.id}`, { schemas: [PATCH], Operations: [{ op: "Add", path: `${custom}:costCode`, value: "42" }] });
    expect(extended.status).toBe(200);
    expect(extended.body[custom]).toEqual({ costCode: "42" });
    const schemas = await scim.get(`/Schemas/${USER}`);
    const roles = schemas.body.attributes.find((a: { name: string }) => a.name === "roles");
    expect(roles.subAttributes.find((a: { name: string }) => a.name === "type").canonicalValues).toEqual(["WindowsAzureActiveDirectoryRole"]);
  });
});
