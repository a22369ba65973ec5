import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import pg from "pg";
import { migrateDatabase, migrationsFolder, openDatabase, MIGRATION_LOCK_KEY, type Opened } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { testDriver } from "../harness";

// Two deploys (or two instances running `npm start`) migrating one fresh database at the same
// time. drizzle's migrator takes no lock (drizzle-team/drizzle-orm#874): without one, both
// read "nothing applied yet" and the slower fails on `relation "…" already exists`.

const driver = testDriver();

async function admin<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(driver === "pglite")(`migrations under an advisory lock (${driver})`, () => {
  let databaseUrl: string;
  const handles: Opened[] = [];

  beforeAll(async () => {
    if (driver === "neon") {
      process.env.NEON_LOCAL_PROXY = inject("neonProxy");
      resetEnvCache();
    }
    const name = `${inject("databasePrefix")}lock_${randomBytes(4).toString("hex")}`;
    await admin(inject("serverUrl"), `create database "${name}"`);
    const url = new URL(inject("serverUrl"));
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  });

  afterAll(async () => {
    for (const handle of handles) await handle.close().catch(() => {});
    const name = new URL(databaseUrl).pathname.slice(1);
    await admin(inject("serverUrl"), `drop database if exists "${name}" with (force)`);
  });

  it("lets two concurrent runs on a fresh database both succeed, applying each migration once", async () => {
    const target = { driver: driver as "postgres" | "neon", url: databaseUrl };
    const [first, second] = await Promise.all([openDatabase(target), openDatabase(target)]);
    handles.push(first, second);

    const results = await Promise.allSettled([migrateDatabase(first), migrateDatabase(second)]);
    expect(results.map((r) => (r.status === "rejected" ? String((r.reason as Error).cause ?? r.reason) : "ok"))).toEqual(["ok", "ok"]);

    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder(), "meta/_journal.json"), "utf8")) as { entries: unknown[] };
    const applied = await admin<{ n: string }>(databaseUrl, "select count(*) as n from drizzle.__drizzle_migrations");
    expect(Number(applied[0].n)).toBe(journal.entries.length);
    const tables = await admin<{ table_name: string }>(databaseUrl, "select table_name from information_schema.tables where table_schema = 'public'");
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["tenants", "users", "groups", "provisioning_tokens", "scim_usage", "rate_limits"]));
    // Released: nobody holds the lock once both runs are done.
    const held = await admin(databaseUrl, "select 1 from pg_locks where locktype = 'advisory' and objid = $1", [MIGRATION_LOCK_KEY]);
    expect(held).toHaveLength(0);
  });

  it("waits for a run that holds the lock instead of migrating beside it", async () => {
    const target = { driver: driver as "postgres" | "neon", url: databaseUrl };
    const handle = await openDatabase(target);
    handles.push(handle);
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      await holder.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      let finished = false;
      const run = migrateDatabase(handle).then(() => (finished = true));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(finished).toBe(false);
      await holder.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
      await run;
      expect(finished).toBe(true);
    } finally {
      await holder.end();
    }
  });
});
