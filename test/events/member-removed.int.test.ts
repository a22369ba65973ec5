import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "../scim/client";
import { actors } from "@/lib/audit";
import { deleteUser } from "@/lib/admin/users";
import { createLocalUser, getUser } from "@/lib/db/queries/users";
import { createTenant } from "@/lib/db/queries/tenants";
import { getGroup } from "@/lib/db/queries/groups";
import { currentPosition, type DirectoryEventRow } from "@/lib/db/queries/directory-events";
import { eventsSettled, settledEventsAfter } from "./settled";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";


const described = (events: DirectoryEventRow[]) => events.map((e) => [e.type, e.resourceId, e.payload.userId ?? null]);

/** Where the feed stands once everything written so far has settled: later events come after it. */
async function mark() {
  await eventsSettled(database);
  return currentPosition();
}

describe("deleting a user ends its memberships in the event feed: group.member_removed per group, then user.deleted", () => {
  it("SCIM DELETE /Users/{id} of a member of two groups: member_removed ×2, then user.deleted, in cursor order, in one transaction", async () => {
    const { tenant, scim } = await createScimTenant();
    const ada = (await scim.post("/Users", { schemas: [USER], userName: "ada@example.com", externalId: randomUUID() })).body.id as string;
    const bob = (await scim.post("/Users", { schemas: [USER], userName: "bob@example.com", externalId: randomUUID() })).body.id as string;
    const g1 = (await scim.post("/Groups", { schemas: [GROUP], displayName: "Staff", members: [{ value: ada }, { value: bob }] })).body.id as string;
    const g2 = (await scim.post("/Groups", { schemas: [GROUP], displayName: "Admins", members: [{ value: ada }] })).body.id as string;
    const before = await mark();

    expect((await scim.delete(`/Users/${ada}`)).status).toBe(204);

    const events = await settledEventsAfter(database, tenant.id, before);
    expect(described(events)).toEqual([
      ...[g1, g2].sort().map((g) => ["group.member_removed", g, ada]),
      ["user.deleted", ada, null],
    ]);
    expect(events.slice(0, 2).map((e) => e.payload.groupId)).toEqual([g1, g2].sort());
    expect(new Set(events.map((e) => e.cursor.slice(0, 20))).size).toBe(1);
    // The other member and the counts are untouched by the events.
    expect((await scim.get(`/Groups/${g1}`)).body.members.map((m: { value: string }) => m.value)).toEqual([bob]);
  });

  it("SCIM DELETE of a user in no group: only user.deleted", async () => {
    const { tenant, scim } = await createScimTenant();
    const id = (await scim.post("/Users", { schemas: [USER], userName: "solo@example.com", externalId: randomUUID() })).body.id as string;
    const before = await mark();
    expect((await scim.delete(`/Users/${id}`)).status).toBe(204);
    expect(described(await settledEventsAfter(database, tenant.id, before))).toEqual([["user.deleted", id, null]]);
  });

  it("a refused SCIM DELETE (If-Match of an older version) writes no member_removed", async () => {
    const { tenant, scim } = await createScimTenant();
    const id = (await scim.post("/Users", { schemas: [USER], userName: "kept@example.com", externalId: randomUUID() })).body.id as string;
    await scim.post("/Groups", { schemas: [GROUP], displayName: "Kept", members: [{ value: id }] });
    const before = await mark();
    expect((await scim.delete(`/Users/${id}`, { "if-match": 'W/"999"' })).status).toBe(412);
    expect(await settledEventsAfter(database, tenant.id, before)).toEqual([]);
  });

  it("the console's delete of a local user in two groups: member_removed ×2, then user.deleted; a non-member: only user.deleted", async () => {
    const tenant = await createTenant({ name: "Console Co", slug: `console-${randomUUID().slice(0, 8)}` });
    const member = await createLocalUser(tenant.id, { userName: "member@example.com", loginMethod: "sso" });
    const loner = await createLocalUser(tenant.id, { userName: "loner@example.com", loginMethod: "sso" });
    const groupIds = [randomUUID(), randomUUID()];
    for (const [i, groupId] of groupIds.entries()) {
      await database.db.execute(sql`insert into groups (id, tenant_id, display_name, display_name_normalized, member_count) values (${groupId}, ${tenant.id}, ${`Team ${i}`}, ${`team ${i}`}, 1)`);
      await database.db.execute(sql`insert into group_members (group_id, user_id, tenant_id) values (${groupId}, ${member.id}, ${tenant.id})`);
    }
    const before = await mark();

    await deleteUser(tenant.id, member.id, actors.cli());
    await deleteUser(tenant.id, loner.id, actors.cli());

    expect(described(await settledEventsAfter(database, tenant.id, before))).toEqual([
      ...[...groupIds].sort().map((g) => ["group.member_removed", g, member.id]),
      ["user.deleted", member.id, null],
      ["user.deleted", loner.id, null],
    ]);
    expect(await getUser(tenant.id, member.id)).toBeUndefined();
    for (const groupId of groupIds) expect((await getGroup(tenant.id, groupId))?.memberCount).toBe(0);
  });
});
