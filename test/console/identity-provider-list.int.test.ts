import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { identityProviders } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { listIdentityProviders, type IdpListSort } from "@/lib/db/queries/identity-providers";

// Issue 13: the identity-provider list had a silent cap of 500 rows. It is keyset-paged along
// (tenant name, name, id) or (name, id), both ways, with no row seen twice or skipped.
const database = setupTestDatabase();

describe(`identity providers list, keyset-paged (${testDriver()})`, () => {
  const tenantIds: string[] = [];
  const TOTAL = 3 * 47;

  beforeAll(async () => {
    for (const name of ["Beta", "Alpha", "Gamma"]) tenantIds.push((await createTenant({ name, slug: name.toLowerCase() })).id);
    const rows = tenantIds.flatMap((tenantId, t) =>
      Array.from({ length: 47 }, (_, i) => ({
        tenantId,
        // repeated names across tenants and within one: the id breaks ties
        name: `Entra ${String(i % 20).padStart(2, "0")}`,
        type: "oidc" as const,
        clientId: `client-${t}-${i}`,
        authorizationUrl: "https://login.example.com/authorize",
        tokenUrl: "https://login.example.com/token",
        jwksUrl: "https://login.example.com/keys",
      })),
    );
    await database.db.insert(identityProviders).values(rows);
  });

  async function walk(sort: IdpListSort, direction: "asc" | "desc", limit: number) {
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const { rows, nextCursor } = await listIdentityProviders("all", { sort, direction, after, limit });
      seen.push(...rows.map((r) => r.id));
      if (!nextCursor) return seen;
      after = nextCursor;
    }
    throw new Error("never reached the last page");
  }

  for (const sort of ["tenant", "name"] as const) {
    for (const direction of ["asc", "desc"] as const) {
      it(`visits every provider once by ${sort} ${direction}, more than any one page holds`, async () => {
        const ids = await walk(sort, direction, 20);
        expect(ids).toHaveLength(TOTAL);
        expect(new Set(ids).size).toBe(TOTAL);
        const all = await listIdentityProviders("all", { sort, direction, limit: 200 });
        expect(all.rows.map((r) => r.id)).toEqual(ids);
      });
    }
  }

  it("orders by tenant name, then name; Previous returns the page Next left", async () => {
    const first = await listIdentityProviders("all", { limit: 40 });
    expect(first.rows[0].tenantName).toBe("Alpha");
    expect(first.prevCursor).toBeNull();
    const second = await listIdentityProviders("all", { limit: 40, after: first.nextCursor! });
    expect(second.rows[0].tenantName).toBe("Alpha");
    expect(second.rows.at(-1)!.tenantName).toBe("Beta");
    const back = await listIdentityProviders("all", { limit: 40, before: second.prevCursor! });
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
  });

  it("keeps to the tenants given, and a tampered cursor starts at the first page", async () => {
    const one = await listIdentityProviders([tenantIds[2]], { limit: 200 });
    expect(one.rows).toHaveLength(47);
    expect(new Set(one.rows.map((r) => r.tenantName))).toEqual(new Set(["Gamma"]));
    expect((await listIdentityProviders([], { limit: 200 })).rows).toHaveLength(0);
    const first = await listIdentityProviders("all", { limit: 10 });
    for (const cursor of ["not-a-cursor", Buffer.from(JSON.stringify(["a", "b", "not-a-uuid"])).toString("base64url"), Buffer.from(JSON.stringify([1, 2])).toString("base64url")]) {
      expect((await listIdentityProviders("all", { limit: 10, after: cursor })).rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    }
  });
});
