import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import pg from "pg";
import { sql } from "drizzle-orm";
import { closeDb, migrateDatabase, openDatabase, setDatabase, type DatabaseTarget, type Db, type Opened } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";

export type TestDriver = "pglite" | "postgres" | "neon";

export type TestDatabase = {
  driver: TestDriver;
  /** The suite's database (also what getDb() returns while the suite runs). */
  readonly db: Db;
  /** Empties every table in the public schema. */
  reset(): Promise<void>;
  /** Every table name in the public schema. */
  tables(): Promise<string[]>;
  /**
   * Environment for a separate process (the CLI, a server) that must see a database of this
   * driver: the suite's own database on PostgreSQL/Neon; a new `file:` folder on PGlite,
   * since an in-memory database cannot be shared across processes.
   */
  externalEnv(): Record<string, string>;
};

export const testDriver = (): TestDriver => inject("testDriver");

/** Gives the calling test file a migrated database on the run's driver, wired into getDb(). */
export function setupTestDatabase(): TestDatabase {
  const driver = testDriver();
  let opened: Opened | undefined;
  let databaseUrl: string | undefined;
  const tempDirs: string[] = [];

  beforeAll(async () => {
    if (driver === "neon") {
      // The client reads the proxy address through lib/env, like the app does.
      process.env.NEON_LOCAL_PROXY = inject("neonProxy");
      resetEnvCache();
    }
    let target: DatabaseTarget = { driver: "pglite", dataDir: null };
    if (driver !== "pglite") {
      databaseUrl = await createDatabase();
      target = { driver, url: databaseUrl };
    }
    opened = await openDatabase(target);
    if (driver !== "pglite") await migrateDatabase(opened);
    setDatabase(opened);
  });

  afterAll(async () => {
    await closeDb();
    if (databaseUrl) await dropDatabase(databaseUrl);
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const handle: TestDatabase = {
    driver,
    get db() {
      if (!opened) throw new Error("setupTestDatabase(): the database opens in beforeAll");
      return opened.db;
    },
    async tables() {
      const result = await handle.db.execute<{ table_name: string }>(
        sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
      );
      return rowsOf<{ table_name: string }>(result).map((r) => r.table_name);
    },
    async reset() {
      const names = await handle.tables();
      if (!names.length) return;
      // audit_events refuses TRUNCATE (migration 0005); the test owner lifts that for the reset only.
      const audit = names.includes("audit_events");
      if (audit) await handle.db.execute(sql.raw(`alter table "audit_events" disable trigger "audit_events_no_truncate"`));
      try {
        await handle.db.execute(sql.raw(`truncate ${names.map((n) => `"${n}"`).join(", ")} restart identity cascade`));
      } finally {
        if (audit) await handle.db.execute(sql.raw(`alter table "audit_events" enable trigger "audit_events_no_truncate"`));
      }
    },
    externalEnv() {
      if (driver === "pglite") {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-test-"));
        tempDirs.push(dir);
        return { DATABASE_URL: `file:${path.join(dir, "pglite")}`, GATEHOUSE_DATA_DIR: dir };
      }
      const vars: Record<string, string> = { DATABASE_URL: databaseUrl!, DATABASE_DRIVER: driver };
      if (driver === "neon") vars.NEON_LOCAL_PROXY = inject("neonProxy");
      return vars;
    },
  };
  return handle;
}

/** node-postgres/neon return `{ rows }`; PGlite returns `{ rows }` too, typed differently. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}

async function createDatabase() {
  const server = inject("serverUrl");
  const name = `${inject("databasePrefix")}${randomBytes(4).toString("hex")}`;
  await adminQuery(server, `create database "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(databaseUrl: string) {
  const name = new URL(databaseUrl).pathname.slice(1);
  await adminQuery(inject("serverUrl"), `drop database if exists "${name}" with (force)`);
}

async function adminQuery(serverUrl: string, statement: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
