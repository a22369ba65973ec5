import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "../scim/client";
import { updateTenant } from "@/lib/db/queries/tenants";
import { auditEvents, users } from "@/lib/db/schema";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

// Security review L-2: a provisioning token reaches the users SCIM created, never the ones
// created in the console (source local), unless the tenant links on creation; then the
// adoption is the explicit, audited POST, not a PATCH. A POST of a Local user's userName under
// userLinking = conflict stays a 409 uniqueness (test/scim/behaviour.int.test.ts).
async function localUser(tenantId: string, userName: string) {
  const [row] = await database.db
    .insert(users)
    .values({ tenantId, userName, userNameNormalized: userName.toLowerCase(), source: "local", loginMethod: "password", consoleRole: "tenant_admin" })
    .returning();
  return row;
}

describe("security review L-2: SCIM cannot read, modify, delete or adopt Local users", () => {
  it("hides a Local user from GET by id, filters and unfiltered lists; PATCH, PUT and DELETE are 404", async () => {
    const { tenant, scim } = await createScimTenant();
    const local = await localUser(tenant.id, "guest@example.com");
    const provisioned = (await scim.post("/Users", { schemas: [USER], userName: "scim@example.com" })).body;

    expect((await scim.get(`/Users/${local.id}`)).status).toBe(404);
    const lookup = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "guest@example.com"')}`);
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });
    const all = await scim.get("/Users?count=1");
    expect(all.body.totalResults).toBe(1);
    expect(all.body.Resources.map((r: { id: string }) => r.id)).toEqual([provisioned.id]);

    const patch = await scim.patch(`/Users/${local.id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value: false }] });
    expect(patch.status).toBe(404);
    const put = await scim.put(`/Users/${local.id}`, { schemas: [USER], userName: "renamed@example.com" });
    expect(put.status).toBe(404);
    expect((await scim.delete(`/Users/${local.id}`)).status).toBe(404);

    const [row] = await database.db.select().from(users).where(eq(users.id, local.id));
    expect(row).toMatchObject({ source: "local", userName: "guest@example.com", active: true, loginMethod: "password", consoleRole: "tenant_admin" });
  });

  it("under userLinking = link, adopts only through POST, audited as scim.user.link", async () => {
    const { tenant, scim } = await createScimTenant();
    const local = await localUser(tenant.id, "link@example.com");
    await updateTenant(tenant.id, { settings: { userLinking: "link" } });
    expect((await scim.patch(`/Users/${local.id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "displayName", value: "X" }] })).status).toBe(404);
    const res = await scim.post("/Users", { schemas: [USER], userName: "link@example.com", displayName: "Linked" });
    expect(res.status).toBe(201);
    expect(res.body.id).toBe(local.id);
    const events = await database.db.select().from(auditEvents).where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "scim.user.link")));
    expect(events).toHaveLength(1);
    expect((await scim.get(`/Users/${local.id}`)).status).toBe(200);
  });
});

describe("security review L-2: console roles granted through SCIM roles are audited", () => {
  const rolesOf = async (tenantId: string) =>
    (await database.db.select().from(auditEvents).where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "scim.user.role_granted"))).orderBy(auditEvents.id)).map((e) => e.details);

  it("records a grant of tenant_admin on POST and on PATCH, and nothing for other roles or repeats", async () => {
    const { tenant, scim } = await createScimTenant();
    await scim.post("/Users", { schemas: [USER], userName: "plain@example.com", roles: [{ value: "User" }] });
    expect(await rolesOf(tenant.id)).toEqual([]);
    await scim.post("/Users", { schemas: [USER], userName: "boss@example.com", roles: [{ value: "Admin" }] });
    expect(await rolesOf(tenant.id)).toEqual([{ role: "tenant_admin", roles: ["Admin"] }]);

    const reader = (await scim.post("/Users", { schemas: [USER], userName: "reader@example.com", roles: [{ value: "ReadOnly" }] })).body;
    await scim.patch(`/Users/${reader.id}`, { schemas: [PATCH], Operations: [{ op: "add", path: "roles", value: [{ value: "EnterpriseAdmin" }] }] });
    await scim.patch(`/Users/${reader.id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "displayName", value: "Reader" }] });
    expect(await rolesOf(tenant.id)).toEqual([
      { role: "tenant_admin", roles: ["Admin"] },
      { role: "tenant_admin", roles: ["ReadOnly", "EnterpriseAdmin"] },
    ]);
  });
});
