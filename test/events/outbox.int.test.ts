import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { setupTestDatabase, rowsOf } from "../harness";
import { createScimTenant } from "../scim/client";
import { decodeEventCursor, encodeEventCursor, listDirectoryEvents, START_POSITION, type DirectoryEventRow } from "@/lib/db/queries/directory-events";
import { createLocalUser, deleteLocalUser, setUserActive, updateLocalUser } from "@/lib/db/queries/users";
import { removeRoleMapping, setRoleMapping } from "@/lib/db/queries/role-mappings";
import { recordSuccessfulSsoSignIn } from "@/lib/db/queries/sso";
import { recordEvents } from "@/lib/events";
import { createTenant } from "@/lib/db/queries/tenants";
import { eventsSettled, settledEventsAfter } from "./settled";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const scimUser = (userName: string) => ({ schemas: [USER], userName, externalId: randomUUID(), active: true, displayName: userName.split("@")[0], emails: [{ type: "work", primary: true, value: userName }] });
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });


const summary = (events: DirectoryEventRow[]) => events.map((e) => `${e.type} ${e.resourceId}`);

describe("the outbox: every directory change writes its event with the change", () => {
  it("SCIM users: created in the create's one statement, then updated, deactivated, reactivated, role changed, deleted", async () => {
    const { tenant, scim } = await createScimTenant();
    const created = await scim.post("/Users", scimUser("ada@example.com"));
    expect(created.status).toBe(201);
    const id = created.body.id;
    const [first] = await settledEventsAfter(database, tenant.id);
    expect(first).toMatchObject({ type: "user.created", resourceType: "user", resourceId: id, payload: { userName: "ada@example.com", active: true, source: "scim", email: "ada@example.com" } });

    expect((await scim.patch(`/Users/${id}`, patch({ op: "replace", path: "displayName", value: "Ada L" }))).status).toBe(200);
    expect((await scim.patch(`/Users/${id}`, patch({ op: "replace", path: "active", value: false }))).status).toBe(200);
    expect((await scim.patch(`/Users/${id}`, patch({ op: "replace", path: "active", value: true }))).status).toBe(200);
    expect((await scim.patch(`/Users/${id}`, patch({ op: "add", path: "roles", value: [{ value: "admin" }] }))).status).toBe(200);
    expect((await scim.delete(`/Users/${id}`)).status).toBe(204);

    expect((await settledEventsAfter(database, tenant.id)).map((e) => e.type)).toEqual([
      "user.created",
      "user.updated",
      "user.deactivated",
      "user.reactivated",
      "user.updated",
      "user.role_changed",
      "user.deleted",
    ]);
  });

  it("SCIM groups: created before its members join; one-statement member PATCHes; a PUT's list as joins and leaves; deleted", async () => {
    const { tenant, scim } = await createScimTenant();
    const [a, b, c] = await Promise.all(["a", "b", "c"].map(async (n) => (await scim.post("/Users", scimUser(`${n}@example.com`))).body.id as string));
    const group = await scim.post("/Groups", { schemas: [GROUP], displayName: "Staff", members: [{ value: a }] });
    expect(group.status).toBe(201);
    const g = group.body.id;
    const add = await scim.patch(`/Groups/${g}`, patch({ op: "add", path: "members", value: [{ value: b }] }));
    expect(add.status).toBe(204);
    expect((await scim.patch(`/Groups/${g}`, patch({ op: "remove", path: `members[value eq "${a}"]` }))).status).toBe(204);
    expect((await scim.put(`/Groups/${g}`, { schemas: [GROUP], displayName: "Staff 2", members: [{ value: b }, { value: c }] })).status).toBe(200);
    expect((await scim.delete(`/Groups/${g}`)).status).toBe(204);

    const events = (await settledEventsAfter(database, tenant.id)).filter((e) => e.resourceType === "group");
    expect(events.map((e) => [e.type, e.payload.userId ?? e.payload.displayName])).toEqual([
      ["group.created", "Staff"],
      ["group.member_added", a],
      ["group.member_added", b],
      ["group.member_removed", a],
      ["group.updated", "Staff 2"],
      ["group.member_added", c],
      ["group.deleted", "Staff 2"],
    ]);
    expect(events.every((e) => e.resourceId === g)).toBe(true);
  });

  it("console and sign-in writes: local user created, updated, deactivated, reactivated, deleted; role mapping; SSO sign-in", async () => {
    const tenant = await createTenant({ name: "Console Co", slug: `console-${randomUUID().slice(0, 8)}` });
    const user = await createLocalUser(tenant.id, { userName: "local@example.com", loginMethod: "sso" });
    await updateLocalUser(tenant.id, user.id, { userName: "local@example.com", displayName: "Local Person" });
    await setUserActive(tenant.id, user.id, false);
    await setUserActive(tenant.id, user.id, false); // no change, no event
    await setUserActive(tenant.id, user.id, true);
    const groupId = randomUUID();
    await database.db.execute(sql`insert into groups (id, tenant_id, display_name, display_name_normalized) values (${groupId}, ${tenant.id}, 'Admins', 'admins')`);
    await setRoleMapping(tenant.id, groupId, "tenant_admin");
    await setRoleMapping(tenant.id, groupId, "tenant_admin"); // unchanged
    await removeRoleMapping(tenant.id, groupId);
    const idp = randomUUID();
    await database.db.execute(sql`insert into identity_providers (id, tenant_id, name, client_id, authorization_url, token_url, jwks_url) values (${idp}, ${tenant.id}, 'IdP', 'c', 'https://idp.example/a', 'https://idp.example/t', 'https://idp.example/j')`);
    await recordSuccessfulSsoSignIn(tenant.id, idp, user.id);
    await deleteLocalUser(tenant.id, user.id);

    const events = await settledEventsAfter(database, tenant.id);
    expect(events.map((e) => e.type)).toEqual([
      "user.created",
      "user.updated",
      "user.deactivated",
      "user.reactivated",
      "group.role_changed",
      "group.role_changed",
      "user.signed_in",
      "user.deleted",
    ]);
    expect(events[1].payload).toMatchObject({ displayName: "Local Person", source: "local" });
    expect(events[4].payload).toMatchObject({ role: "tenant_admin", previousRole: null });
    expect(events[5].payload).toMatchObject({ role: null, previousRole: "tenant_admin" });
    expect(events[6].payload).toMatchObject({ method: "sso", identityProviderId: idp });
  });

  it("a write that fails leaves no event: a duplicate userName, a member that is not a user, a rolled-back transaction", async () => {
    const { tenant, scim } = await createScimTenant();
    const ada = await scim.post("/Users", scimUser("ada@example.com"));
    const group = await scim.post("/Groups", { schemas: [GROUP], displayName: "Team" });
    const before = await settledEventsAfter(database, tenant.id);
    expect(before).toHaveLength(2);

    expect((await scim.post("/Users", scimUser("ADA@example.com"))).status).toBe(409);
    const bad = await scim.patch(`/Groups/${group.body.id}`, patch({ op: "add", path: "members", value: [{ value: ada.body.id }, { value: randomUUID() }] }));
    expect(bad.status).toBe(400);
    // A multi-operation PATCH whose second operation fails: the first one's event goes with it.
    const partial = await scim.patch(`/Users/${ada.body.id}`, patch({ op: "replace", path: "active", value: false }, { op: "replace", path: "userName", value: 42 }));
    expect(partial.status).toBe(400);
    await expect(
      database.db.transaction(async (tx) => {
        await recordEvents(tx as never, [{ tenantId: tenant.id, type: "user.updated", resourceType: "user", resourceId: ada.body.id, payload: {} }]);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");

    expect(summary(await settledEventsAfter(database, tenant.id))).toEqual(summary(before));
  });

  it("pages walk the feed in order with no skip and no duplicate; each tenant reads only its own events", async () => {
    const { tenant, scim } = await createScimTenant();
    const other = await createScimTenant();
    for (let i = 0; i < 23; i++) {
      await scim.post("/Users", scimUser(`u${i}@example.com`));
      if (i % 5 === 0) await other.scim.post("/Users", scimUser(`o${i}@example.com`));
    }
    const paged = await settledEventsAfter(database, tenant.id, START_POSITION, 4);
    const whole = await settledEventsAfter(database, tenant.id, START_POSITION, 1000);
    expect(paged).toHaveLength(23);
    expect(summary(paged)).toEqual(summary(whole));
    expect(paged.map((e) => e.payload.userName)).toEqual(Array.from({ length: 23 }, (_, i) => `u${i}@example.com`));
    const cursors = paged.map((e) => e.cursor);
    expect([...cursors].sort()).toEqual(cursors);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect((await settledEventsAfter(database, other.tenant.id)).map((e) => e.payload.userName)).toEqual(["o0@example.com", "o5@example.com", "o10@example.com", "o15@example.com", "o20@example.com"]);
  });

  it("cursors: round trip, and anything else is refused rather than read as the start", () => {
    const position = { txId: "18446744073709551615", id: 9007199254740991 };
    expect(decodeEventCursor(encodeEventCursor(position))).toEqual(position);
    expect(decodeEventCursor("")).toEqual(START_POSITION);
    for (const bad of ["abc", "-1", "1".repeat(38), "9".repeat(39), "1e10", " 0"]) expect(decodeEventCursor(bad)).toBeUndefined();
  });
});

describe.runIf(database.driver !== "pglite")("concurrent writers on PostgreSQL", () => {
  async function connection() {
    const client = new pg.Client({ connectionString: database.externalEnv().DATABASE_URL });
    await client.connect();
    return client;
  }
  const insertEvent = (client: pg.Client, tenantId: string, label: string) =>
    client.query(`insert into directory_events (tenant_id, type, resource_type, resource_id, payload) values ($1, 'user.updated', 'user', $2, jsonb_build_object('label', $3::text))`, [tenantId, randomUUID(), label]);

  it("an event whose transaction began first but commits last is not skipped by a reader that already read a later one", async () => {
    const { tenant } = await createScimTenant();
    const slow = await connection();
    const fast = await connection();
    try {
      await slow.query("begin");
      await insertEvent(slow, tenant.id, "slow"); // takes the older transaction id and the lower event id
      await insertEvent(fast, tenant.id, "fast"); // commits at once

      // Ordering by event id alone would hand out "fast" now and then never "slow" (its id is lower).
      const naive = rowsOf<{ label: string }>(await database.db.execute(sql`select payload->>'label' as label from directory_events where tenant_id = ${tenant.id} order by id`));
      expect(naive.map((r) => r.label)).toEqual(["fast"]);
      const early = await listDirectoryEvents(tenant.id, START_POSITION, 100);
      expect(early).toEqual([]);

      await slow.query("commit");
      await eventsSettled(database);
      const page = await listDirectoryEvents(tenant.id, START_POSITION, 100);
      expect(page.map((e) => e.payload.label)).toEqual(["slow", "fast"]);
    } finally {
      await slow.end();
      await fast.end();
    }
  });

  it("eight writers with transactions of random length and a reader paging all along: every event once, in cursor order", async () => {
    const { tenant } = await createScimTenant();
    const writers = await Promise.all(Array.from({ length: 8 }, connection));
    const written: string[] = [];
    let writing = true;
    const work = writers.map(async (client, w) => {
      for (let i = 0; i < 25; i++) {
        await client.query("begin");
        const label = `${w}-${i}`;
        await insertEvent(client, tenant.id, label);
        await new Promise((r) => setTimeout(r, Math.random() * 15));
        if (i % 7 === 3) {
          await client.query("rollback");
        } else {
          await client.query("commit");
          written.push(label);
        }
      }
    });
    const read: DirectoryEventRow[] = [];
    const reader = (async () => {
      let position = START_POSITION;
      while (writing || read.length < written.length) {
        const page = await listDirectoryEvents(tenant.id, position, 7);
        read.push(...page);
        if (page.length) position = decodeEventCursor(page[page.length - 1].cursor)!;
        else await new Promise((r) => setTimeout(r, 5));
        if (!writing && page.length === 0) break;
      }
    })();
    await Promise.all(work);
    await eventsSettled(database);
    writing = false;
    await reader;
    await Promise.all(writers.map((c) => c.end()));

    const labels = read.map((e) => String(e.payload.label));
    expect(new Set(labels).size).toBe(labels.length);
    expect([...labels].sort()).toEqual([...written].sort());
    const cursors = read.map((e) => e.cursor);
    expect([...cursors].sort()).toEqual(cursors);
  });
});
