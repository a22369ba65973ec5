import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "./client";

setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

function entraUser(userName: string, externalId = randomUUID()) {
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
