import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { migrationsFolder, type Db } from "./client";

export type MigrationStatus = { applied: number; pending: string[] };

type Journal = { entries: { tag: string; when: number }[] };

/**
 * The migrations of drizzle/meta/_journal.json that the database has not applied yet, by
 * drizzle's own rule: a migration is applied when `drizzle.__drizzle_migrations` holds one
 * created at or after it (drizzle-orm's migrator compares `created_at` with the journal's `when`).
 */
export async function migrationStatus(db: Db, folder = migrationsFolder()): Promise<MigrationStatus> {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as Journal;
  const last = await lastAppliedAt(db);
  const pending = journal.entries.filter((entry) => last === null || entry.when > last).map((entry) => entry.tag);
  return { applied: journal.entries.length - pending.length, pending };
}

async function lastAppliedAt(db: Db): Promise<number | null> {
  const [table] = rows<{ present: boolean }>(
    await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`),
  );
  if (!table?.present) return null;
  const [latest] = rows<{ created_at: string | null }>(
    await db.execute(sql`select max(created_at)::text as created_at from drizzle.__drizzle_migrations`),
  );
  return latest?.created_at ? Number(latest.created_at) : null;
}

/** node-postgres and Neon answer `{ rows }`, PGlite's drizzle driver too; some drivers a bare array. */
function rows<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}
