import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDatabase, type Db } from "@/lib/db/client";
import { rowsOf, setupTestDatabase, testDriver } from "../harness";
import { runCli } from "../cli";

const database = setupTestDatabase();

/** Runs `fn` on the database the CLI process will open (PGlite: its folder, opened here and closed again). */
async function onCliDatabase(env: Record<string, string>, fn: (db: Db) => Promise<void>) {
  if (testDriver() !== "pglite") return fn(database.db);
  const opened = await openDatabase({ driver: "pglite", dataDir: env.DATABASE_URL.slice("file:".length) });
  try {
    await fn(opened.db);
  } finally {
    await opened.close();
  }
}

describe(`gatehouse events prune (${testDriver()})`, { timeout: 240_000 }, () => {
  it("removes events past EVENT_RETENTION_DAYS, keeps the others, and finds nothing more the second time", async () => {
    const env = database.externalEnv();
    if (testDriver() !== "pglite") expect((await runCli(["db", "migrate", "--json"], env)).code).toBe(0);
    const tenantId = randomUUID();
    await onCliDatabase(env, async (db) => {
      await db.execute(sql`insert into tenants (id, name, slug) values (${tenantId}, 'Prune Co', ${`prune-${tenantId.slice(0, 8)}`})`);
      for (const days of [40, 35, 1]) {
        await db.execute(sql`insert into directory_events (tenant_id, type, resource_type, resource_id, created_at)
          values (${tenantId}, 'user.created', 'user', ${randomUUID()}, now() - make_interval(days => ${days}))`);
      }
    });

    const first = await runCli(["events", "prune", "--json"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ events: 2, deliveries: 0 });
    const again = await runCli(["events", "prune"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Removed 0 events older than 30 days and 0 webhook deliveries older than 30 days.");

    await onCliDatabase(env, async (db) => {
      const [row] = rowsOf<{ left: number }>(await db.execute(sql`select count(*)::int as left from directory_events where tenant_id = ${tenantId}`));
      expect(row.left).toBe(1);
    });
  });
});
