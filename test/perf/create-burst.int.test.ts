import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, setupTestDatabase, testDriver } from "../harness";
import { createScimTenant } from "../scim/client";
import { findTenantById, listTenants, updateTenant } from "@/lib/db/queries/tenants";
import { forgetTenantLimit } from "@/lib/scim-server/limits";

// Issue 12: a tenant's counts are sums of sharded counter rows (lib/db/queries/tenant-counters.ts),
// written in the transaction of each create and delete. After a burst of parallel creates into
// one tenant — with failures (duplicate userNames) and deletes mixed in — the counts the console
// shows must equal count(*). CREATE_BURST sets the burst: 10,000 on PostgreSQL by default, 2,000
// on PGlite (one connection: the burst queues, nothing runs in parallel) and through the Neon
// driver (a WebSocket per query), to keep CI inside its time.
const database = setupTestDatabase();

const BURST = Number(process.env.CREATE_BURST ?? (testDriver() === "postgres" ? 10_000 : 2_000));
const WORKERS = 32;

describe(`counts after a ${BURST.toLocaleString("en")}-create concurrent burst into one tenant (${testDriver()})`, () => {
  it("equal count(*) in every view the console reads", async () => {
    const { tenant, scim } = await createScimTenant();
    await updateTenant(tenant.id, { settings: { scimRateLimitPerMinute: 1_000_000 } });
    forgetTenantLimit(tenant.id);
    const created: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        for (let i = next++; i < BURST; i = next++) {
          // Every 50th request repeats an earlier userName: a 409 that must count nothing.
          const name = i % 50 === 49 ? `burst${i - 1}@example.com` : `burst${i}@example.com`;
          const res = await scim.post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: name, active: true });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 201) created.push(res.body.id);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`${BURST} creates with ${WORKERS} workers in ${seconds.toFixed(1)} s (${Math.round(BURST / seconds)}/s, in-process, ${testDriver()})`);
    expect(Object.fromEntries(statuses)).toEqual({ 201: BURST - Math.floor(BURST / 50), 409: Math.floor(BURST / 50) });

    // Deletes and group creates in parallel too.
    const deleted = created.slice(0, 100);
    await Promise.all(deleted.map((id) => scim.delete(`/Users/${id}`)));
    await Promise.all(Array.from({ length: 40 }, (_, i) => scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: `Burst group ${i}` })));

    const [truth] = rowsOf<{ users: number; groups: number }>(
      await database.db.execute(
        sql`select (select count(*)::int from users where tenant_id = ${tenant.id}) as users, (select count(*)::int from groups where tenant_id = ${tenant.id}) as groups`,
      ),
    );
    expect(truth).toEqual({ users: created.length - deleted.length, groups: 40 });
    const shown = await findTenantById(tenant.id);
    expect({ users: shown?.userCount, groups: shown?.groupCount }).toEqual(truth);
    const listed = (await listTenants({ search: tenant.slug })) as unknown;
    const rows = (Array.isArray(listed) ? listed : (listed as { rows: unknown[] }).rows) as { id: string; userCount: number; groupCount: number }[];
    const row = rows.find((t) => t.id === tenant.id);
    expect({ users: row?.userCount, groups: row?.groupCount }).toEqual(truth);
    const list = await scim.get("/Users?count=0");
    expect(list.body.totalResults).toBe(truth.users);
  }, 600_000);
});
