import { describe, expect, it } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { createScimTenant } from "@/test/scim/client";
import { deleteTenant } from "@/lib/db/queries/tenants";
import { getOverallUsage, getTenantUsage } from "@/lib/db/queries/usage";
import { flushScimUsage } from "@/lib/scim-server/usage";
import { drainDeferred } from "@/lib/defer";

// The overall users/groups series comes from usage_days (one row a day, whatever the number of
// tenants), written by the same flush that records each tenant's day; it must agree with the
// per-tenant series summed, and forget a deleted tenant.
setupTestDatabase();

const user = (userName: string) => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true });
/** Records what is pending and waits for flushes already started after earlier responses. */
async function flushed() {
  await drainDeferred();
  await flushScimUsage();
}
const todayOf = async (tenantIds: string[] | "all") => (await getOverallUsage(tenantIds)).at(-1)!;

describe(`overall users and groups over time (${testDriver()})`, () => {
  it("equals the tenants' own series summed after every flush, and drops a deleted tenant", async () => {
    const before = await todayOf("all");
    const a = await createScimTenant();
    const b = await createScimTenant();
    for (let i = 0; i < 3; i++) await a.scim.post("/Users", user(`a${i}@example.com`));
    await b.scim.post("/Users", user("b0@example.com"));
    await b.scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "B team" });
    await flushed();
    const afterFirst = await todayOf("all");
    expect(afterFirst.users! - (before.users ?? 0)).toBe(4);
    expect(afterFirst.groups! - (before.groups ?? 0)).toBe(1);

    // A second flush of the same day adds only what changed (not the whole count again).
    await a.scim.post("/Users", user("a3@example.com"));
    const created = await a.scim.post("/Users", user("a4@example.com"));
    await a.scim.delete(`/Users/${created.body.id}`);
    await flushed();
    const afterSecond = await todayOf("all");
    expect(afterSecond.users! - (before.users ?? 0)).toBe(5);
    const perTenant = (await getTenantUsage(a.tenant.id)).at(-1)!.users! + (await getTenantUsage(b.tenant.id)).at(-1)!.users!;
    expect(afterSecond.users! - (before.users ?? 0)).toBe(perTenant);

    await deleteTenant(b.tenant.id);
    const afterDelete = await todayOf("all");
    expect(afterDelete.users! - (before.users ?? 0)).toBe(4);
    expect(afterDelete.groups! - (before.groups ?? 0)).toBe(0);
  });

  it("counts every tenant's traffic in the day's row, as the tenants' own series sum it, and keeps a deleted tenant's", async () => {
    const before = await todayOf("all");
    const a = await createScimTenant();
    const b = await createScimTenant();
    await a.scim.post("/Users", user("traffic-a@example.com"));
    await a.scim.get("/Users?filter=userName%20eq%20%22traffic-a%40example.com%22");
    await a.scim.get("/Users/not-a-user");
    await b.scim.post("/Users", user("traffic-b@example.com"));
    await b.scim.post("/Users", user("traffic-b@example.com")); // 409
    await flushed();
    const after = await todayOf("all");
    const [ownA, ownB] = [(await getTenantUsage(a.tenant.id)).at(-1)!, (await getTenantUsage(b.tenant.id)).at(-1)!];
    for (const key of ["reads", "writes", "errors", "requests"] as const) {
      expect(after[key] - before[key], key).toBe(ownA[key] + ownB[key]);
    }
    expect(ownA).toMatchObject({ writes: 1, reads: 2, errors: 1 });
    expect(ownB).toMatchObject({ writes: 2, errors: 1 });

    await deleteTenant(b.tenant.id);
    expect((await todayOf("all")).requests - before.requests).toBe(ownA.requests + ownB.requests);
  });
});
