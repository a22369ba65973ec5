import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { tenants, users } from "@/lib/db/schema";
import { tenantCount } from "@/lib/db/queries/tenant-counters";
import { createTenant } from "./tenants";
import { createLocalUser, deleteLocalUser, getUser, listUsers, setLoginMethod } from "./users";

const database = setupTestDatabase();

describe(`console user queries (${testDriver()})`, () => {
  let tenantId: string;
  let otherTenantId: string;

  beforeAll(async () => {
    tenantId = (await createTenant({ name: "Fabrikam", slug: "fabrikam" })).id;
    otherTenantId = (await createTenant({ name: "Other", slug: "other" })).id;
    // 120 users sharing a few created_at values, so keyset ties on the timestamp are exercised.
    await database.db.insert(users).values(
      Array.from({ length: 120 }, (_, i) => ({
        tenantId,
        userName: `user${String(i).padStart(3, "0")}@fabrikam.test`,
        userNameNormalized: `user${String(i).padStart(3, "0")}@fabrikam.test`,
        email: `user${i}@fabrikam.test`,
        name: i % 10 === 0 ? `Special Person ${i}` : `Person ${i}`,
        source: i % 2 ? ("scim" as const) : ("local" as const),
        active: i % 3 !== 0,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 7)),
      })),
    );
    await database.db.insert(users).values({ tenantId: otherTenantId, userName: "intruder@other.test", userNameNormalized: "intruder@other.test" });
  });

  it("walks every user exactly once with keyset pages, forwards and backwards, in both sorts", async () => {
    for (const sort of ["created", "userName"] as const) {
      const seen: string[] = [];
      let after: string | undefined;
      const cursors: (string | null)[] = [];
      do {
        const page = await listUsers(tenantId, { sort, limit: 25, after });
        seen.push(...page.rows.map((r) => r.id));
        cursors.push(page.prevCursor);
        after = page.nextCursor ?? undefined;
      } while (after);
      expect(seen).toHaveLength(120);
      expect(new Set(seen).size).toBe(120);
      expect(cursors[0]).toBeNull();

      const second = await listUsers(tenantId, { sort, limit: 25, after: (await listUsers(tenantId, { sort, limit: 25 })).nextCursor! });
      const back = await listUsers(tenantId, { sort, limit: 25, before: second.prevCursor! });
      expect(back.rows.map((r) => r.id)).toEqual(seen.slice(0, 25));
      expect(back.prevCursor).toBeNull();
    }
  });

  it("sorts by user name ascending and never shows another tenant's users", async () => {
    const page = await listUsers(tenantId, { sort: "userName", limit: 200 });
    const names = page.rows.map((r) => r.userName);
    expect(names).toEqual([...names].sort());
    expect(names).not.toContain("intruder@other.test");
  });

  it("filters by search (user name, name, email), source and status", async () => {
    const special = await listUsers(tenantId, { search: "special person", limit: 200 });
    expect(special.rows).toHaveLength(12);
    const byUserName = await listUsers(tenantId, { search: "USER007", limit: 200 });
    expect(byUserName.rows.map((r) => r.userName)).toEqual(["user007@fabrikam.test"]);
    const scimInactive = await listUsers(tenantId, { source: "scim", active: false, limit: 200 });
    expect(scimInactive.rows.every((r) => r.source === "scim" && !r.active)).toBe(true);
    expect(scimInactive.rows).toHaveLength(20);
    const pct = await listUsers(tenantId, { search: "%", limit: 200 });
    expect(pct.rows).toHaveLength(0); // LIKE wildcards are escaped
  });

  it("keeps the tenant's user count in step when Local users are created and deleted", async () => {
    const count = async () => (await database.db.select({ n: tenantCount("users") }).from(tenants).where(sql`${tenants.id} = ${tenantId}`))[0].n;
    const before = await count();
    const created = await createLocalUser(tenantId, { userName: "guest@partner.test", email: "Guest@Partner.test", loginMethod: "password", passwordHash: "scrypt$x$y" });
    expect(await count()).toBe(before + 1);
    const user = await getUser(tenantId, created.id);
    expect(user).toMatchObject({ source: "local", email: "guest@partner.test", hasPassword: true });
    expect(user).not.toHaveProperty("passwordHash");
    expect(await getUser(otherTenantId, created.id)).toBeUndefined();

    await setLoginMethod(tenantId, created.id, "sso");
    expect((await getUser(tenantId, created.id))?.hasPassword).toBe(false);

    expect(await deleteLocalUser(otherTenantId, created.id)).toBeUndefined();
    expect(await deleteLocalUser(tenantId, created.id)).toMatchObject({ id: created.id });
    expect(await count()).toBe(before);
  });
});
