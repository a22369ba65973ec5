import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "./client";
import { updateTenant } from "@/lib/db/queries/tenants";
import { auditEvents, sessions, users } from "@/lib/db/schema";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

describe("RFC 7644 §3.12 unknown attributes and missing targets", () => {
  it("refuses unknown core attributes in POST, filters and PATCH paths with 400 and writes nothing", async () => {
    const { scim } = await createScimTenant();
    const post = await scim.post("/Users", { schemas: [USER], userName: "unknown@example.com", favouriteColour: "blue" });
    expect(post.status).toBe(400);
    expect(post.body.status).toBe("400");
    expect((await scim.get("/Users")).body.totalResults).toBe(0);
    const filter = await scim.get(`/Users?filter=${encodeURIComponent('favouriteColour eq "blue"')}`);
    expect(filter.status).toBe(400);
    expect(filter.body.scimType).toBe("invalidFilter");
    const user = (await scim.post("/Users", { schemas: [USER], userName: "known@example.com", title: "Engineer" })).body;
    const patch = await scim.patch(`/Users/${user.id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "favouriteColour", value: "red" }] });
    expect(patch.status).toBe(400);
    expect(patch.body.scimType).toBe("invalidPath");
    expect((await scim.get(`/Users/${user.id}`)).body.title).toBe("Engineer");
  });

  it("treats removing an attribute that is not set as a no-op, and a remove without path as noTarget", async () => {
    const { scim } = await createScimTenant();
    const user = (await scim.post("/Users", { schemas: [USER], userName: "noop@example.com", title: "Kept" })).body;
    const absent = await scim.patch(`/Users/${user.id}`, { schemas: [PATCH], Operations: [{ op: "remove", path: "nickName" }] });
    expect(absent.status).toBe(200);
    expect(absent.body.title).toBe("Kept");
    const noPath = await scim.patch(`/Users/${user.id}`, { schemas: [PATCH], Operations: [{ op: "remove" }] });
    expect(noPath.status).toBe(400);
    expect(noPath.body.scimType).toBe("noTarget");
  });
});

describe("RFC 7644 §3.4.3 POST /.search at the root", () => {
  it("searches users and groups together", async () => {
    const { scim } = await createScimTenant();
    await scim.post("/Users", { schemas: [USER], userName: "searched@example.com" });
    await scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Searched" });
    const res = await scim.post("/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], attributes: ["userName", "displayName"] });
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(2);
    expect(res.body.itemsPerPage).toBe(2);
    expect(res.body.Resources.map((r: { userName?: string; displayName?: string }) => r.userName ?? r.displayName).sort()).toEqual(["Searched", "searched@example.com"]);
  });
});

describe("user linking on creation", () => {
  async function localUser(tenantId: string, userName: string) {
    const [row] = await database.db
      .insert(users)
      .values({ tenantId, userName, userNameNormalized: userName.toLowerCase(), source: "local", loginMethod: "password" })
      .returning({ id: users.id });
    return row.id;
  }

  it("answers 409 by default when a Local user has the userName", async () => {
    const { tenant, scim } = await createScimTenant();
    await localUser(tenant.id, "pre@example.com");
    const res = await scim.post("/Users", { schemas: [USER], userName: "PRE@example.com" });
    expect(res.status).toBe(409);
    expect(res.body.scimType).toBe("uniqueness");
  });

  it("adopts the Local user as SCIM-sourced when the tenant links on creation", async () => {
    const { tenant, scim } = await createScimTenant();
    const existing = await localUser(tenant.id, "link@example.com");
    await updateTenant(tenant.id, { settings: { userLinking: "link" } });
    const res = await scim.post("/Users", { schemas: [USER], userName: "link@example.com", externalId: "oid-1", displayName: "Linked" });
    expect(res.status).toBe(201);
    expect(res.body.id).toBe(existing);
    const [row] = await database.db.select().from(users).where(eq(users.id, existing));
    expect(row.source).toBe("scim");
    expect(row.externalId).toBe("oid-1");
  });
});

describe("audit and sessions on SCIM writes", () => {
  it("records each write with the token as actor and a failed write as a failure", async () => {
    const { tenant, tokenId, scim } = await createScimTenant();
    const created = await scim.post("/Users", { schemas: [USER], userName: "audited@example.com" });
    await scim.patch(`/Users/${created.body.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: "False" }] });
    await scim.post("/Users", { schemas: [USER], userName: "AUDITED@example.com" });
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenant.id)).orderBy(auditEvents.id);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ["scim.user.create", "success"],
      ["scim.user.deactivate", "success"],
      ["scim.user.create", "failure"],
    ]);
    for (const event of events) {
      expect(event.actorType).toBe("token");
      expect(event.actorId).toBe(tokenId);
      expect(event.requestId).toBeTruthy();
    }
    expect(events[2].statusCode).toBe(409);
  });

  it("ends every session of a user deactivated through SCIM", async () => {
    const { tenant, scim } = await createScimTenant();
    const created = (await scim.post("/Users", { schemas: [USER], userName: "signed-in@example.com", externalId: randomUUID() })).body;
    await database.db.insert(sessions).values([
      { sessionToken: `s1-${randomUUID()}`, userId: created.id, expires: new Date(Date.now() + 3_600_000) },
      { sessionToken: `s2-${randomUUID()}`, userId: created.id, expires: new Date(Date.now() + 3_600_000) },
    ]);
    await scim.patch(`/Users/${created.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: "False" }] });
    const left = await database.db.select().from(sessions).where(and(eq(sessions.userId, created.id)));
    expect(left).toHaveLength(0);
    const [row] = await database.db.select({ active: users.active }).from(users).where(and(eq(users.tenantId, tenant.id), eq(users.id, created.id)));
    expect(row.active).toBe(false);
  });
});
