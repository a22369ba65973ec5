import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { setupTestDatabase, rowsOf } from "../harness";
import { createScimTenant } from "./client";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

async function seedUsers(scim: Awaited<ReturnType<typeof createScimTenant>>["scim"], n: number, prefix = "member") {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await scim.post("/Users", { schemas: [USER], userName: `${prefix}${i}@example.com`, externalId: randomUUID() });
    ids.push(res.body.id);
  }
  return ids;
}

function entraGroup(displayName: string) {
  // Entra adds a Microsoft schema URI to group creation: it must be ignored, not rejected.
  return { schemas: [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group"], externalId: randomUUID(), displayName, members: [] };
}

/** The count the console and the API show (the group's maintained member_count). */
async function storedMemberCount(groupId: string) {
  const [row] = rowsOf<{ member_count: number }>(await database.db.execute(sql`select member_count from groups where id = ${groupId}`));
  return row?.member_count;
}

async function memberIds(scim: Awaited<ReturnType<typeof createScimTenant>>["scim"], groupId: string) {
  const res = await scim.get(`/Groups/${groupId}`);
  return ((res.body.members ?? []) as { value: string }[]).map((m) => m.value).sort();
}

describe("Entra group provisioning", () => {
  it("creates a group with an extra Microsoft schema and matches it by displayName without members", async () => {
    const { scim } = await createScimTenant();
    const created = await scim.post("/Groups", entraGroup("Sales"));
    expect(created.status).toBe(201);
    expect(created.body.schemas).toEqual([GROUP]);
    const match = await scim.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "sales"')}`);
    expect(match.status).toBe(200);
    expect(match.body.totalResults).toBe(1);
    expect(match.body.Resources[0].members).toBeUndefined();
    const duplicate = await scim.post("/Groups", entraGroup("SALES"));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.scimType).toBe("uniqueness");
  });

  it("adds several members in one PATCH (204) and removes one in each removal shape", async () => {
    const { scim } = await createScimTenant();
    const users = await seedUsers(scim, 4);
    const group = (await scim.post("/Groups", entraGroup("Engineering"))).body;
    const add = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: "Add", path: "members", value: users.map((value) => ({ value })) }] });
    expect(add.status).toBe(204);
    expect(await memberIds(scim, group.id)).toEqual([...users].sort());
    const legacy = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: "Remove", path: "members", value: [{ value: users[0] }] }] });
    expect(legacy.status).toBe(204);
    expect(await memberIds(scim, group.id)).toEqual(users.slice(1).sort());
    const filtered = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: "remove", path: `members[value eq "${users[1]}"]` }] });
    expect(filtered.status).toBe(204);
    expect(await memberIds(scim, group.id)).toEqual(users.slice(2).sort());
    const user = await scim.get(`/Users/${users[3]}`);
    expect(user.body.groups).toEqual([expect.objectContaining({ value: group.id, display: "Engineering" })]);
  });

  it("renames a group and deletes it; a deleted user leaves every group", async () => {
    const { scim } = await createScimTenant();
    const [alice, bob] = await seedUsers(scim, 2);
    const group = (await scim.post("/Groups", { ...entraGroup("Old name"), members: [{ value: alice }, { value: bob }] })).body;
    const rename = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "displayName", value: "New name" }] });
    expect(rename.status).toBe(204);
    expect((await scim.get(`/Groups/${group.id}`)).body.displayName).toBe("New name");
    expect((await scim.delete(`/Users/${alice}`)).status).toBe(204);
    expect(await memberIds(scim, group.id)).toEqual([bob]);
    expect(await storedMemberCount(group.id)).toBe(1);
    expect((await scim.delete(`/Groups/${group.id}`)).status).toBe(204);
    expect((await scim.get(`/Groups/${group.id}`)).status).toBe(404);
  });

  it("keeps all 20 members added by 20 parallel PATCHes", async () => {
    const { scim } = await createScimTenant();
    const users = await seedUsers(scim, 20, "parallel");
    const group = (await scim.post("/Groups", entraGroup("Parallel"))).body;
    const results = await Promise.all(
      users.map((value) => scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: "Add", path: "members", value: [{ value }] }] })),
    );
    expect(results.map((r) => r.status)).toEqual(users.map(() => 204));
    expect(await memberIds(scim, group.id)).toEqual([...users].sort());
    expect(await storedMemberCount(group.id)).toBe(20);
  });

  it("keeps the count exact under parallel adds, removes and no-op re-adds, with a new ETag for every member change", async () => {
    const { scim } = await createScimTenant();
    const users = await seedUsers(scim, 24, "churn");
    const group = (await scim.post("/Groups", { ...entraGroup("Churn"), members: users.slice(0, 12).map((value) => ({ value })) })).body;
    const before = (await scim.get(`/Groups/${group.id}`)).headers.get("etag");
    // 12 adds of new members, 6 removes of old ones and 6 re-adds of present ones (no change), all at once.
    const ops = [
      ...users.slice(12).map((value) => ({ op: "Add", value })),
      ...users.slice(0, 6).map((value) => ({ op: "Remove", value })),
      ...users.slice(6, 12).map((value) => ({ op: "Add", value })),
    ];
    const results = await Promise.all(
      ops.map(({ op, value }) => scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op, path: "members", value: [{ value }] }] })),
    );
    expect(results.map((r) => r.status)).toEqual(ops.map(() => 204));
    const [{ n }] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from group_members where group_id = ${group.id}`));
    expect(n).toBe(18);
    expect(await storedMemberCount(group.id)).toBe(18);
    const after = await scim.get(`/Groups/${group.id}?excludedAttributes=members`);
    expect(after.headers.get("etag")).not.toBe(before);
    // The old ETag no longer matches: an If-Match write made before the member changes is refused.
    const stale = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "displayName", value: "Stale" }] }, { "if-match": before! });
    expect(stale.status).toBe(412);
    const fresh = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "displayName", value: "Fresh" }] }, { "if-match": after.headers.get("etag")! });
    expect(fresh.status).toBe(204);
    const lastModified = Date.parse(after.body.meta.lastModified);
    await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: "Remove", path: "members", value: [{ value: users[23] }] }] });
    const last = await scim.get(`/Groups/${group.id}?excludedAttributes=members`);
    expect(last.headers.get("etag")).not.toBe(after.headers.get("etag"));
    expect(Date.parse(last.body.meta.lastModified)).toBeGreaterThanOrEqual(lastModified);
    expect(await storedMemberCount(group.id)).toBe(17);
  });

  it("refuses members from another tenant and changes nothing", async () => {
    const { scim } = await createScimTenant();
    const other = await createScimTenant();
    const [mine] = await seedUsers(scim, 1);
    const [theirs] = await seedUsers(other.scim, 1, "theirs");
    const group = (await scim.post("/Groups", entraGroup("Isolated"))).body;
    const res = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: "Add", path: "members", value: [{ value: mine }, { value: theirs }] }] });
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("invalidValue");
    expect(await memberIds(scim, group.id)).toEqual([]);
  });

  it("spends at most 3 statements on a member PATCH of any size", async () => {
    const { scim } = await createScimTenant();
    const users = await seedUsers(scim, 30, "budget");
    const group = (await scim.post("/Groups", entraGroup("Budget"))).body;
    const many = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: "Add", path: "members", value: users.map((value) => ({ value })) }] });
    expect(many.status).toBe(204);
    expect(many.queries).toBeLessThanOrEqual(3);
    const one = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: "Remove", path: "members", value: [{ value: users[0] }] }] });
    expect(one.queries).toBeLessThanOrEqual(3);
  });
});

describe("SCIM discovery endpoints", () => {
  it("describes the service truthfully", async () => {
    const { scim } = await createScimTenant();
    const spc = await scim.get("/ServiceProviderConfig");
    expect(spc.status).toBe(200);
    expect(spc.body).toMatchObject({ patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 200 }, changePassword: { supported: false }, sort: { supported: true }, etag: { supported: true } });
    expect(spc.body.authenticationSchemes[0].type).toBe("oauthbearertoken");
    const types = await scim.get("/ResourceTypes");
    expect(types.body.Resources.map((r: { id: string }) => r.id).sort()).toEqual(["Group", "User"]);
    const userSchema = await scim.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
    expect(userSchema.status).toBe(200);
    expect(userSchema.body.attributes.some((a: { name: string }) => a.name === "userName")).toBe(true);
  });
});
