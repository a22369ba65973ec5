import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { scimClient } from "../scim/client";
import { apiClient, newKey, newTenant } from "./client";
import { createProvisioningToken } from "@/lib/db/queries/tokens";
import { setRoleMapping } from "@/lib/db/queries/role-mappings";
import { encodeCursor } from "@/lib/db/keyset";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

let tenantId = "";
let api: ReturnType<typeof apiClient>;
let scim: ReturnType<typeof scimClient>;
const userIds: string[] = [];
let engineers = "";

async function scimUser(userName: string, extra: Record<string, unknown> = {}) {
  const res = await scim.post("/Users", { schemas: [USER], userName, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

beforeAll(async () => {
  const tenant = await newTenant("dir");
  tenantId = tenant.id;
  const { token } = await createProvisioningToken(tenantId, { expiresAt: new Date(Date.now() + 86_400_000), createdBy: "test" });
  scim = scimClient(tenantId, token);
  api = apiClient(await newKey({ tenantId }));
  userIds.push(
    await scimUser("ada@example.com", {
      externalId: "ext-ada",
      name: { givenName: "Ada", familyName: "Lovelace" },
      emails: [{ value: "Ada@Example.com", type: "work", primary: true }, { value: "ada.work@corp.example", type: "work" }],
      roles: [{ value: "Admin" }],
    }),
  );
  userIds.push(await scimUser("grace@example.com", { externalId: "ext-grace", emails: [{ value: "grace@example.com", type: "work", primary: true }] }));
  userIds.push(await scimUser("linus@example.com", { externalId: "ext-linus" }));
  const group = await scim.post("/Groups", { schemas: [GROUP], displayName: "Engineers", externalId: "grp-eng", members: [{ value: userIds[1] }, { value: userIds[2] }] });
  expect(group.status).toBe(201);
  engineers = group.body.id;
  await scim.post("/Groups", { schemas: [GROUP], displayName: "Sales", externalId: "grp-sales" });
});

describe("GET /api/v1/tenants/{id}/users", () => {
  it("lists the tenant's users in creation order with their fields", async () => {
    const res = await api.get(`/tenants/${tenantId}/users`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.data.map((u: { id: string }) => u.id)).toEqual(userIds);
    expect(res.body.data[0]).toMatchObject({
      id: userIds[0],
      tenantId,
      userName: "ada@example.com",
      externalId: "ext-ada",
      givenName: "Ada",
      familyName: "Lovelace",
      active: true,
      source: "scim",
      roles: ["Admin"],
      lastSignInAt: null,
    });
    expect(Date.parse(res.body.data[0].createdAt)).not.toBeNaN();
  });

  it("filters by email (primary or work, any case), externalId, group and updatedSince", async () => {
    const ids = async (query: string) => {
      const res = await api.get(`/tenants/${tenantId}/users?${query}`);
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(200);
      return res.body.data.map((u: { id: string }) => u.id);
    };
    expect(await ids("email=ADA%40example.com")).toEqual([userIds[0]]);
    expect(await ids("email=ada.work%40corp.example")).toEqual([userIds[0]]);
    expect(await ids("email=nobody%40example.com")).toEqual([]);
    expect(await ids("externalId=ext-grace")).toEqual([userIds[1]]);
    expect(await ids(`group=${engineers}`)).toEqual([userIds[1], userIds[2]]);
    expect(await ids(`group=${engineers.toUpperCase()}&externalId=ext-linus`)).toEqual([userIds[2]]);

    const before = new Date(Date.now() - 1000).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const marker = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await scim.patch(`/Users/${userIds[2]}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: "Linus T" }] });
    expect(await ids(`updatedSince=${encodeURIComponent(marker)}`)).toEqual([userIds[2]]);
    expect((await ids(`updatedSince=${encodeURIComponent(before)}`)).length).toBeGreaterThanOrEqual(1);
    expect(await ids(`updatedSince=${encodeURIComponent(marker.replace("Z", "+00:00"))}`)).toEqual([userIds[2]]);
  });

  it("answers malformed ids, filters, limits and cursors with a 400 problem, never a 5xx", async () => {
    const foreignCursor = encodeCursor([userIds[0]]);
    const cases = [
      ["?limit=0", "query.limit"],
      ["?limit=201", "query.limit"],
      ["?limit=ten", "query.limit"],
      ["?group=not-a-uuid", "query.group"],
      ["?updatedSince=yesterday", "query.updatedSince"],
      ["?updatedSince=2026-02-30T00:00:00Z", "query.updatedSince"],
      ["?email=", "query.email"],
      [`?email=${"a".repeat(400)}`, "query.email"],
      ["?sort=name", "query.sort"],
      ["?email=%00", "query.email"],
      ["?externalId=a%00b", "query.externalId"],
      ["?after=%%%", "query.after"],
      ["?after=bm90LWpzb24", "query.after"],
      [`?after=${foreignCursor}`, "query.after"],
      [`?after=${encodeCursor(["2026-13-45 99:00:00+00", userIds[0]])}`, "query.after"],
      [`?after=${encodeCursor(["2026-01-01 00:00:00+00", "'; drop table users; --"])}`, "query.after"],
    ] as const;
    for (const [query, name] of cases) {
      const res = await api.get(`/tenants/${tenantId}/users${query}`);
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.type).toBe("urn:gatehouse:problem:invalid-request");
      expect(res.body.errors.map((e: { name: string }) => e.name), query).toContain(name);
    }
    const badTenant = await api.get("/tenants/not-a-uuid/users");
    expect(badTenant.status).toBe(400);
    expect(badTenant.body.errors[0].name).toBe("path.tenantId");
    expect((await api.get(`/tenants/${tenantId}/users/12345`)).status).toBe(400);
    expect((await api.get(`/tenants/${tenantId}/groups/${engineers}/members?after=${encodeCursor(["x"])}`)).status).toBe(400);
    expect((await api.get(`/tenants/${tenantId}/groups?after=${encodeCursor([engineers])}`)).status).toBe(400);
  });

  it("pages without skipping or repeating a user while others are created and updated", async () => {
    const tenant = await newTenant("paging");
    const { token } = await createProvisioningToken(tenant.id, { expiresAt: new Date(Date.now() + 86_400_000), createdBy: "test" });
    const own = scimClient(tenant.id, token);
    const pager = apiClient(await newKey({ tenantId: tenant.id }));
    const existing: string[] = [];
    for (let i = 0; i < 23; i++) existing.push((await own.post("/Users", { schemas: [USER], userName: `p${i}@example.com` })).body.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { data: { id: string }[]; nextCursor: string | null } } = await pager.get(
        `/tenants/${tenant.id}/users?limit=5${cursor ? `&after=${cursor}` : ""}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(5);
      seen.push(...res.body.data.map((u) => u.id));
      cursor = res.body.nextCursor;
      pages++;
      // Writers between pages: a new user, and an update of one already seen and one not yet seen.
      await own.post("/Users", { schemas: [USER], userName: `during-${pages}@example.com` });
      for (const id of [existing[0], existing[existing.length - 1]]) {
        await own.patch(`/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: `v${pages}` }] });
      }
    } while (cursor && pages < 50);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of existing) expect(seen).toContain(id);
    expect(seen.slice(0, existing.length)).toEqual(existing);
  });
});

describe("GET /api/v1/tenants/{id}/users/{userId}", () => {
  it("returns the user with their groups and console role; another id is a 404 problem", async () => {
    await setRoleMapping(tenantId, engineers, "read_only");
    const grace = await api.get(`/tenants/${tenantId}/users/${userIds[1]}`);
    expect(grace.status, JSON.stringify(grace.body)).toBe(200);
    expect(grace.body).toMatchObject({ id: userIds[1], consoleRole: "read_only", groups: [{ id: engineers, displayName: "Engineers", externalId: "grp-eng" }] });
    // SCIM role "Admin" makes Ada a tenant admin, as in the console.
    expect((await api.get(`/tenants/${tenantId}/users/${userIds[0]}`)).body).toMatchObject({ consoleRole: "tenant_admin", groups: [] });
    const missing = await api.get(`/tenants/${tenantId}/users/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ type: "urn:gatehouse:problem:not-found", detail: "No such user in this tenant" });
  });
});

describe("GET /api/v1/tenants/{id}/groups and /groups/{groupId}/members", () => {
  it("lists groups with filters and pages members in user-id order", async () => {
    const groups = await api.get(`/tenants/${tenantId}/groups`);
    expect(groups.status, JSON.stringify(groups.body)).toBe(200);
    expect(groups.body.data.map((g: { displayName: string }) => g.displayName)).toEqual(["Engineers", "Sales"]);
    expect(groups.body.data[0]).toMatchObject({ id: engineers, tenantId, externalId: "grp-eng", source: "scim", memberCount: 2 });
    expect((await api.get(`/tenants/${tenantId}/groups?externalId=grp-sales`)).body.data.map((g: { displayName: string }) => g.displayName)).toEqual(["Sales"]);
    expect((await api.get(`/tenants/${tenantId}/groups?displayName=ENGINEERS`)).body.data).toHaveLength(1);
    expect((await api.get(`/tenants/${tenantId}/groups?limit=1`)).body.nextCursor).toEqual(expect.any(String));

    const first = await api.get(`/tenants/${tenantId}/groups/${engineers}/members?limit=1`);
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(1);
    const second = await api.get(`/tenants/${tenantId}/groups/${engineers}/members?limit=1&after=${first.body.nextCursor}`);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const members = [first.body.data[0].id, second.body.data[0].id];
    expect(members).toEqual([userIds[1], userIds[2]].sort());
    expect(first.body.data[0]).toMatchObject({ active: true, addedAt: expect.any(String) });
    expect((await api.get(`/tenants/${tenantId}/groups/${crypto.randomUUID()}/members`)).status).toBe(404);
  });

  it("reads nothing of a deleted tenant", async () => {
    const tenant = await newTenant("gone");
    const key = await newKey({ tenantId: tenant.id });
    await database.db.execute(sql`delete from tenants where id = ${tenant.id}`);
    expect((await apiClient(key).get(`/tenants/${tenant.id}/users`)).status).toBe(401);
  });
});
