import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as live } from "@/app/api/health/live/route";
import { GET as ready } from "@/app/api/health/ready/route";
import type { Db } from "@/lib/db/client";
import { migrationStatus } from "@/lib/db/migration-status";
import { resetEnvCache } from "@/lib/env";
import packageJson from "@/package.json";
import { setupTestDatabase, testDriver } from "./harness";

const database = setupTestDatabase();
const journal = JSON.parse(fs.readFileSync(path.resolve("drizzle/meta/_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
const lastTag = journal.entries.at(-1)!.tag;

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

/** Runs `check` while the newest migration is missing from drizzle.__drizzle_migrations, then puts it back. */
async function withNewestMigrationUnapplied<T>(check: () => Promise<T>): Promise<T> {
  const newest = journal.entries.at(-1)!.when;
  const removed = await database.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = ${newest} returning hash`);
  const [{ hash }] = ((removed as { rows?: { hash: string }[] }).rows ?? removed) as { hash: string }[];
  try {
    return await check();
  } finally {
    await database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${hash}, ${newest})`);
  }
}

describe(`health endpoints (${testDriver()})`, () => {
  it("/api/health reports version, commit and a fully migrated database", async () => {
    vi.stubEnv("GATEHOUSE_COMMIT", "0123abc");
    resetEnvCache();
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({
      status: "ok",
      version: packageJson.version,
      commit: "0123abc",
      database: "ok",
      migrations: { applied: journal.entries.length, pending: [] },
    });
  });

  it("/api/health/ready is 200 when migrated, /live needs no database", async () => {
    const res = await ready();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready", database: "ok", pendingMigrations: 0 });
    expect((await live()).status).toBe(200);
  });

  it("a migration of this build not yet applied: 503 naming it, on both", async () => {
    await withNewestMigrationUnapplied(async () => {
      const full = await health();
      expect(full.status).toBe(503);
      expect(await full.json()).toMatchObject({ status: "degraded", database: "ok", migrations: { applied: journal.entries.length - 1, pending: [lastTag] } });
      const readiness = await ready();
      expect(readiness.status).toBe(503);
      expect(await readiness.json()).toEqual({ status: "not ready", database: "ok", pendingMigrations: 1 });
    });
    expect((await ready()).status).toBe(200);
  });

  it("a database that was never migrated has every migration pending", async () => {
    let inside: unknown;
    // DDL is transactional in PostgreSQL: the table is back once the transaction rolls back.
    await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`drop table drizzle.__drizzle_migrations`);
        inside = await migrationStatus(tx as unknown as Db);
        tx.rollback();
      })
      .catch(() => {});
    expect(inside).toEqual({ applied: 0, pending: journal.entries.map((entry) => entry.tag) });
    expect(await migrationStatus(database.db)).toEqual({ applied: journal.entries.length, pending: [] });
  });
});
