import { beforeAll, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { groups, tenantDomains, tenants, users } from "@/lib/db/schema";
import { listTenants } from "@/lib/db/queries/tenants";
import { nextOutcome, requestCookies, serializeTree, setSessionCookie } from "@/test/security/console-session";
import { signInConsoleUser, signInPlatformAdmin } from "@/test/security/signed-in-admin";

// Mocked: only Next's request context (see console-session.ts). Auth.js, the guards, the pages'
// queries, the route handler and the database are the real ones.
vi.mock("next/headers", async () => (await import("@/test/security/console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("@/test/security/console-session")).nextCache);

const { default: UsersPage } = await import("@/app/(console)/users/page");
const { default: GroupsPage } = await import("@/app/(console)/groups/page");
const { default: TenantsPage } = await import("@/app/(console)/tenants/page");
const { GET: searchTenants } = await import("@/app/api/console/tenants/route");

/**
 * Issue 13 (ecosystem review §3, Pagination): with more tenants than a page, every tenant is
 * reachable and a ?tenantId= shows that tenant or a 404, never the newest tenant's data; the
 * pickers' search finds any tenant by name, slug or email domain and pages without gaps.
 */

const database = setupTestDatabase();
const TENANTS = 250;
// Ten tenants share one name, so name-sorted pages must break ties by id.
const SHARED_NAME = "Shared Name Ltd";

type Seeded = { id: string; name: string; slug: string };
let byAge: Seeded[] = []; // oldest first
let sessions: { platform: string; tenantAdmin: string; endUser: string };

const nameOf = (i: number) => (i >= 100 && i < 110 ? SHARED_NAME : `Tenant ${String(i).padStart(3, "0")} ${i % 2 ? "Rho" : "Sigma"}`);

// signInConsoleUser puts the new session's cookie in the jar; kept to switch viewers later.
const currentCookie = () => requestCookies.get("authjs.session-token")!;

async function seed() {
  await database.reset();
  const start = Date.UTC(2026, 0, 1);
  const rows = await database.db
    .insert(tenants)
    .values(Array.from({ length: TENANTS }, (_, i) => ({ name: nameOf(i), slug: `t-${String(i).padStart(3, "0")}`, createdAt: new Date(start + i * 60_000) })))
    .returning({ id: tenants.id, name: tenants.name, slug: tenants.slug, createdAt: tenants.createdAt });
  byAge = rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map(({ id, name, slug }) => ({ id, name, slug }));
  await database.db.insert(tenantDomains).values([
    { tenantId: byAge[0].id, domain: "oldest-widgets.example", verificationToken: "t0", verifiedAt: new Date(), verifiedBy: "manual" },
    { tenantId: byAge[7].id, domain: "seventh.example", verificationToken: "t7" },
  ]);
  // One user and one group in each tenant, named after it.
  await database.db.insert(users).values(
    byAge.map((t) => ({ tenantId: t.id, userName: `member@${t.slug}.test`, userNameNormalized: `member@${t.slug}.test`, email: `member@${t.slug}.test` })),
  );
  await database.db.insert(groups).values(byAge.map((t) => ({ tenantId: t.id, displayName: `Group of ${t.slug}`, displayNameNormalized: `group of ${t.slug}` })));

  await signInPlatformAdmin(database.db);
  const platformCookie = currentCookie();
  await signInConsoleUser(database.db, {
    tenantId: byAge[0].id,
    userName: "admin@t-000.test",
    userNameNormalized: "admin@t-000.test",
    consoleRole: "tenant_admin",
  });
  const tenantAdminCookie = currentCookie();
  await signInConsoleUser(database.db, { tenantId: byAge[0].id, userName: "plain@t-000.test", userNameNormalized: "plain@t-000.test" });
  const endUserCookie = currentCookie();
  return { platform: platformCookie, tenantAdmin: tenantAdminCookie, endUser: endUserCookie };
}

function actAs(who: keyof typeof sessions | "signedOut") {
  setSessionCookie(who === "signedOut" ? null : sessions[who]);
}

async function render(page: (props: never) => unknown, searchParams: Record<string, string | string[]>) {
  try {
    return { html: await serializeTree(await page({ searchParams: Promise.resolve(searchParams) } as never)) };
  } catch (error) {
    const outcome = nextOutcome(error);
    if (!outcome) throw error;
    return outcome;
  }
}

async function search(query: Record<string, string | string[]>) {
  const url = new URL("http://localhost:3000/api/console/tenants");
  for (const [key, value] of Object.entries(query)) for (const v of [value].flat()) url.searchParams.append(key, v);
  const response = await searchTenants(new Request(url));
  return { status: response.status, body: (await response.json()) as { items: Seeded[]; nextCursor: string | null; error?: string } };
}

describe(`tenants past the first page (${testDriver()})`, () => {
  beforeAll(async () => {
    sessions = await seed();
  });

  describe("Users and Groups show the tenant ?tenantId= names", () => {
    // The 201st-newest is the first tenant past the old 200-row tenant list.
    const cases = [
      ["201st-newest", () => byAge[TENANTS - 201]],
      ["201st-oldest", () => byAge[200]],
      ["oldest", () => byAge[0]],
    ] as const;
    for (const [label, tenantOf] of cases) {
      it(`the ${label} tenant's Users page lists its own user, not the newest tenant's`, async () => {
        actAs("platform");
        const tenant = tenantOf();
        const result = await render(UsersPage as never, { tenantId: tenant.id });
        expect(result).toHaveProperty("html");
        const html = (result as { html: string }).html;
        expect(html).toContain(`member@${tenant.slug}.test`);
        expect(html).not.toContain(`member@${byAge[TENANTS - 1].slug}.test`);
      });

      it(`the ${label} tenant's Groups page lists its own group`, async () => {
        actAs("platform");
        const tenant = tenantOf();
        const html = ((await render(GroupsPage as never, { tenantId: tenant.id })) as { html: string }).html;
        expect(html).toContain(`Group of ${tenant.slug}`);
        expect(html).not.toContain(`Group of ${byAge[TENANTS - 1].slug}`);
      });
    }

    it("without ?tenantId= a platform admin sees the newest tenant, a tenant admin their own", async () => {
      actAs("platform");
      expect(((await render(UsersPage as never, {})) as { html: string }).html).toContain(`member@${byAge[TENANTS - 1].slug}.test`);
      actAs("tenantAdmin");
      expect(((await render(UsersPage as never, {})) as { html: string }).html).toContain(`member@${byAge[0].slug}.test`);
    });

    const notFoundCases: [string, () => Record<string, string | string[]>][] = [
      ["another tenant's id", () => ({ tenantId: byAge[1].id })],
      ["an unknown id", () => ({ tenantId: "7d1c2f5e-0000-4000-8000-000000000000" })],
      ["a malformed id", () => ({ tenantId: "not-a-uuid" })],
      ["a repeated parameter", () => ({ tenantId: [byAge[0].id, byAge[1].id] })],
    ];
    for (const [label, params] of notFoundCases) {
      it(`a tenant admin asking for ${label} gets a 404 on Users and Groups`, async () => {
        actAs("tenantAdmin");
        expect(await render(UsersPage as never, params())).toEqual({ status: 404 });
        expect(await render(GroupsPage as never, params())).toEqual({ status: 404 });
      });
    }

    it("a platform admin asking for an unknown tenant gets a 404, not the newest tenant", async () => {
      actAs("platform");
      expect(await render(UsersPage as never, { tenantId: "7d1c2f5e-0000-4000-8000-000000000000" })).toEqual({ status: 404 });
    });
  });

  describe("the tenant list pages through every tenant", () => {
    it("the Tenants page says how many there are and links the next page", async () => {
      actAs("platform");
      const html = ((await render(TenantsPage as never, {})) as { html: string }).html;
      expect(html).toContain("Showing 1–50 of 250 tenants");
      expect(html).toContain(byAge[TENANTS - 1].slug);
      expect(html).not.toContain(byAge[0].name);
    });

    it("the Tenants page finds the oldest tenant by its email domain", async () => {
      actAs("platform");
      const html = ((await render(TenantsPage as never, { q: "oldest-widgets" })) as { html: string }).html;
      expect(html).toContain("of 1 matching tenants");
      expect(html).toContain(byAge[0].name);
    });

    for (const sort of ["created", "name"] as const) {
      for (const direction of ["asc", "desc"] as const) {
        it(`keyset pages by ${sort} ${direction} visit each tenant once, forwards and back`, async () => {
          const seen: string[] = [];
          const pages: { rows: { id: string }[]; prevCursor: string | null }[] = [];
          let after: string | undefined;
          do {
            const result = await listTenants({ sort, direction, after, limit: 40 });
            pages.push(result);
            seen.push(...result.rows.map((r) => r.id));
            after = result.nextCursor ?? undefined;
          } while (after);
          expect(seen).toHaveLength(TENANTS);
          expect(new Set(seen).size).toBe(TENANTS);
          // Walking back from the last page gives the same pages.
          let before = pages[pages.length - 1].prevCursor;
          for (let i = pages.length - 2; i >= 0; i--) {
            const result = await listTenants({ sort, direction, before: before ?? undefined, limit: 40 });
            expect(result.rows.map((r) => r.id)).toEqual(pages[i].rows.map((r) => r.id));
            before = result.prevCursor;
          }
          expect(before).toBeNull();
        });
      }
    }
  });

  describe("the Groups list sorts by name or creation, server-side", () => {
    const names = ["delta", "Alpha", "charlie", "Echo", "bravo", "foxtrot", "Golf"];
    let tenantId = "";
    beforeAll(async () => {
      tenantId = byAge[5].id;
      const start = Date.UTC(2026, 5, 1);
      await database.db.insert(groups).values(
        names.map((n, i) => ({ tenantId, displayName: n, displayNameNormalized: n.toLowerCase(), createdAt: new Date(start + i * 1000) })),
      );
    });

    for (const [sort, direction, expected] of [
      ["displayName", "asc", ["Alpha", "bravo", "charlie", "delta", "Echo", "foxtrot", "Golf", "Group of t-005"]],
      ["displayName", "desc", ["Group of t-005", "Golf", "foxtrot", "Echo", "delta", "charlie", "bravo", "Alpha"]],
      // The seeded "Group of t-005" was created now, after these.
      ["created", "desc", ["Group of t-005", "Golf", "foxtrot", "bravo", "Echo", "charlie", "Alpha", "delta"]],
    ] as const) {
      it(`by ${sort} ${direction}, three a page, forwards and back`, async () => {
        const { listGroups } = await import("@/lib/db/queries/groups");
        const seen: string[] = [];
        const pages: { rows: { displayName: string }[]; prevCursor: string | null }[] = [];
        let after: string | undefined;
        do {
          const result = await listGroups(tenantId, { sort, direction, after, limit: 3 });
          pages.push(result);
          seen.push(...result.rows.map((r) => r.displayName));
          after = result.nextCursor ?? undefined;
        } while (after);
        expect(seen).toEqual(expected);
        const back = await listGroups(tenantId, { sort, direction, before: pages[pages.length - 1].prevCursor!, limit: 3 });
        expect(back.rows.map((r) => r.displayName)).toEqual(pages[pages.length - 2].rows.map((r) => r.displayName));
      });
    }

    it("the Groups page follows ?sort=&dir= and starts over on a cursor it never gave", async () => {
      actAs("platform");
      const html = ((await render(GroupsPage as never, { tenantId, sort: "displayName", dir: "asc" })) as { html: string }).html;
      expect(html.indexOf("Alpha")).toBeLessThan(html.indexOf("bravo"));
      expect(html.indexOf("bravo")).toBeLessThan(html.indexOf("Golf"));
      const forged = Buffer.from(JSON.stringify(["2026-02-31 00:00:00+00", byAge[0].id])).toString("base64url");
      const again = await render(GroupsPage as never, { tenantId, after: forged });
      expect((again as { html: string }).html).toContain("Golf");
    });
  });

  describe("GET /api/console/tenants", () => {
    it("signed out, or signed in without a console role, is a 401", async () => {
      actAs("signedOut");
      expect((await search({})).status).toBe(401);
      actAs("endUser");
      expect((await search({})).status).toBe(401);
    });

    it("a tenant admin finds only their own tenant", async () => {
      actAs("tenantAdmin");
      expect((await search({})).body).toEqual({ items: [byAge[0]], nextCursor: null });
      expect((await search({ q: byAge[1].slug })).body.items).toEqual([]);
      expect((await search({ q: "seventh.example" })).body.items).toEqual([]);
    });

    it("searches name, slug and email domain", async () => {
      actAs("platform");
      expect((await search({ q: "tenant 042" })).body.items.map((t) => t.id)).toEqual([byAge[42].id]);
      expect((await search({ q: "t-199" })).body.items.map((t) => t.id)).toEqual([byAge[199].id]);
      for (const q of ["oldest-widgets.example", "@oldest-widgets.example", "buyer@oldest-widgets", "WIDGETS"]) {
        expect((await search({ q })).body.items.map((t) => t.id), q).toEqual([byAge[0].id]);
      }
      // An unverified claim still finds its tenant: the admin is looking for the organisation.
      expect((await search({ q: "seventh" })).body.items.map((t) => t.id)).toEqual([byAge[7].id]);
      expect((await search({ q: "100%_" })).body.items).toEqual([]);
      expect((await search({ q: "nul\u0000" })).body.items).toEqual([]);
    });

    it("pages by name with no duplicates or gaps, ties broken by id", async () => {
      actAs("platform");
      const seen: Seeded[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const { status, body } = await search(cursor ? { cursor } : {});
        expect(status).toBe(200);
        expect(body.items.length).toBeLessThanOrEqual(20);
        seen.push(...body.items);
        cursor = body.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      expect(seen.map((t) => t.id).sort()).toEqual(byAge.map((t) => t.id).sort());
      expect(new Set(seen.map((t) => t.id)).size).toBe(TENANTS);
      const names = seen.map((t) => t.name);
      expect(names.filter((n) => n === SHARED_NAME)).toHaveLength(10);
      expect(pages).toBe(Math.ceil(TENANTS / 20));
    });

    it("pages a search too", async () => {
      actAs("platform");
      const first = await search({ q: "Rho" });
      expect(first.body.items).toHaveLength(20);
      const second = await search({ q: "Rho", cursor: first.body.nextCursor! });
      expect(second.body.items.every((t) => t.name.includes("Rho"))).toBe(true);
      expect(second.body.items.some((t) => first.body.items.some((f) => f.id === t.id))).toBe(false);
    });

    it("access=write leaves out tenants a read-only viewer cannot change", async () => {
      await signInConsoleUser(database.db, { tenantId: null, userName: "viewer@gatehouse.test", userNameNormalized: "viewer@gatehouse.test", consoleRole: "read_only" });
      expect((await search({ q: "t-001" })).body.items).toHaveLength(1);
      expect((await search({ q: "t-001", access: "write" })).body.items).toEqual([]);
    });

    const badQueries: [string, Record<string, string | string[]>][] = [
      ["a cursor this list never gave", { cursor: "not-a-cursor" }],
      ["a cursor of another list", { cursor: Buffer.from(JSON.stringify([1, 2])).toString("base64url") }],
      ["a cursor with a malformed id", { cursor: Buffer.from(JSON.stringify(["a", "b"])).toString("base64url") }],
      ["a search longer than 200 characters", { q: "x".repeat(201) }],
      ["an unknown parameter", { limit: "1000" }],
      ["a repeated parameter", { q: ["a", "b"] }],
      ["an unknown access", { access: "admin" }],
    ];
    for (const [label, query] of badQueries) {
      it(`${label} is a 400`, async () => {
        actAs("platform");
        const { status, body } = await search(query);
        expect(status).toBe(400);
        expect(body.error).toEqual(expect.any(String));
      });
    }
  });
});
