import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { neonConfig } from "@neondatabase/serverless";
import { setupTestDatabase, testDriver } from "../harness";
import { createScimTenant, routeParams } from "../scim/client";
import { provisioningTokens, rateLimits, scimUsage, tenants, users } from "@/lib/db/schema";

// A serverless platform's life cycle, against PostgreSQL through the Neon driver (the local
// WebSocket proxy; or node-postgres): every request runs in a fresh module instance (nothing
// kept in module memory), the platform waits for the request's after()/waitUntil work, and
// then the instance is suspended: no timer ever fires (fake timers that never advance). Some
// requests reach a warm instance (globals survive), then the instance is recycled. Whatever
// Gatehouse acknowledged or counted must be in the database at the end.
//
// How the pieces meet on Vercel: Next runs `after()` tasks once the response is sent and hands
// them to the platform's waitUntil; outside Next's request scope, lib/defer.ts calls waitUntil
// from @vercel/functions, which reads the platform's context at Symbol.for("@vercel/request-context").

const database = setupTestDatabase();
const driver = testDriver();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const VERCEL_CONTEXT = Symbol.for("@vercel/request-context");
const globals = globalThis as Record<symbol | string, unknown>;

// Vercel's Protection Bypass for Automation, in the query-parameter form a Tenant URL can carry.
const BYPASS = "x-vercel-protection-bypass=0123456789abcdef0123456789abcdef&aadOptscim062020";

type Endpoints = typeof import("@/lib/scim-server/endpoints").scimEndpoints;

// Next's request scope, as after() sees it: tasks queue for after the response while a request
// runs; outside one, after() throws like the real one ("called outside a request scope").
const requestScope = vi.hoisted(() => ({ afterTasks: undefined as undefined | Array<() => unknown> }));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after(task: () => unknown) {
    if (!requestScope.afterTasks) throw new Error("`after` was called outside a request scope.");
    requestScope.afterTasks.push(task);
  },
}));

describe.skipIf(driver === "pglite")(`a serverless life cycle on ${driver}: nothing is lost between requests`, () => {
  let tenantId: string;
  let token: string;
  let tokenId: string;

  beforeAll(async () => {
    ({ tenant: { id: tenantId }, token, tokenId } = await createScimTenant());
    // Suspended instances run no timers; Date still moves, as on a real platform. The Neon
    // driver's write coalescing waits on a 0 ms timer, which would never fire here.
    neonConfig.coalesceWrites = false;
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
  });

  afterAll(() => {
    vi.useRealTimers();
    delete globals[VERCEL_CONTEXT];
    neonConfig.coalesceWrites = true;
  });

  /**
   * One invocation: fresh modules, the handler, the response read, then what the platform does
   * before it suspends the instance: run Next's after() tasks (`viaAfter`) and await every
   * waitUntil promise. Nothing else runs afterwards.
   */
  async function invoke(method: string, path: string, body: unknown, viaAfter: boolean) {
    vi.resetModules();
    const afterTasks: Array<() => unknown> = [];
    const waited: Promise<unknown>[] = [];
    globals[VERCEL_CONTEXT] = { get: () => ({ waitUntil: (promise: Promise<unknown>) => void waited.push(promise) }) };
    requestScope.afterTasks = viaAfter ? afterTasks : undefined;
    const { scimEndpoints } = (await import("@/lib/scim-server/endpoints")) as { scimEndpoints: Endpoints };
    const url = new URL(`https://gatehouse-git-qa-acme.vercel.app/scim/v2/${tenantId}${path}`);
    const init: RequestInit = { method, headers: { authorization: `Bearer ${token}` } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = "application/scim+json";
    }
    const response = await scimEndpoints[method as keyof Endpoints](new Request(url, init), { params: Promise.resolve(routeParams(url.pathname, tenantId)) });
    const text = await response.text();
    // The response is sent; the platform finishes the invocation's background work.
    requestScope.afterTasks = undefined;
    for (const task of afterTasks) waited.push(Promise.resolve(task()));
    await Promise.all(waited);
    delete globals[VERCEL_CONTEXT];
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  /** A new instance: nothing of the old one's memory (the process-wide rate limiter) survives. */
  function recycle() {
    delete globals.__gatehouseLimiter;
  }

  it("keeps created users, usage counters, rate-limit counts and last-used stamps", { timeout: 20_000 }, async () => {
    const statuses: number[] = [];
    let reads = 0;
    let writes = 0;
    let errors = 0;
    let requests = 0;
    const call = async (method: string, path: string, body?: unknown) => {
      const result = await invoke(method, path, body, requests % 2 === 0);
      requests++;
      if (method === "GET") reads++;
      else writes++;
      if (result.status >= 400) errors++;
      statuses.push(result.status);
      return result;
    };
    const join = (path: string) => `${path}${path.includes("?") ? "&" : "?"}${BYPASS}`;

    // Instance A, warm across four requests (an Entra cycle: look up, create, read, update).
    const lookup = await call("GET", join(`/Users?filter=${encodeURIComponent('userName eq "ada@example.com"')}`));
    expect(lookup.body.totalResults).toBe(0);
    const ada = await call("POST", join("/Users"), { schemas: [USER], userName: "ada@example.com", externalId: "ada", active: true });
    expect(ada.status).toBe(201);
    await call("GET", join(`/Users/${ada.body.id}`));
    await call("PATCH", join(`/Users/${ada.body.id}`), { schemas: [PATCH], Operations: [{ op: "replace", path: "displayName", value: "Ada Lovelace" }] });
    recycle();

    // Instance B: another user, a group, a miss.
    const grace = await call("POST", join("/Users"), { schemas: [USER], userName: "grace@example.com", externalId: "grace", active: true });
    expect(grace.status).toBe(201);
    const group = await call("POST", join("/Groups"), { schemas: [GROUP], displayName: "Engineering", members: [{ value: ada.body.id }, { value: grace.body.id }] });
    expect(group.status).toBe(201);
    await call("GET", join(`/Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}`));
    const missing = await call("GET", join("/Users/00000000-0000-4000-8000-000000000000"));
    expect(missing.status).toBe(404);
    recycle();

    expect(statuses).toEqual([200, 201, 200, 200, 201, 201, 200, 404]);

    const db = database.db;
    const created = await db.select({ userName: users.userName }).from(users).where(eq(users.tenantId, tenantId));
    expect(created.map((u) => u.userName).sort()).toEqual(["ada@example.com", "grace@example.com"]);

    const [usage] = await db.select().from(scimUsage).where(eq(scimUsage.tenantId, tenantId));
    expect(usage).toMatchObject({ reads, writes, errors });
    expect(reads + writes).toBe(requests);

    const [tenant] = await db.select({ lastScimRequestAt: tenants.lastScimRequestAt }).from(tenants).where(eq(tenants.id, tenantId));
    expect(tenant.lastScimRequestAt).not.toBeNull();

    const [limited] = await db
      .select({ total: sql<number>`coalesce(sum(${rateLimits.count}), 0)::int` })
      .from(rateLimits)
      .where(and(eq(rateLimits.key, `scim:${tokenId}`)));
    expect(limited.total).toBe(requests);

    const [stamped] = await db.select({ lastUsedAt: provisioningTokens.lastUsedAt }).from(provisioningTokens).where(eq(provisioningTokens.id, tokenId));
    expect(stamped.lastUsedAt).not.toBeNull();
  });
});
