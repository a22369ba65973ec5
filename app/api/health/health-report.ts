import { sql } from "drizzle-orm";
import packageJson from "@/package.json";
import { getDb } from "@/lib/db/client";
import { migrationStatus, type MigrationStatus } from "@/lib/db/migration-status";
import { deployedCommit } from "@/lib/env";

export type DatabaseHealth =
  | { database: "ok"; migrations: MigrationStatus }
  | { database: "ok"; migrations: "unknown" }
  | { database: "unreachable" };

/** Ready to serve: the database answers and every migration of this build is applied. */
export function isReady(health: DatabaseHealth) {
  return health.database === "ok" && health.migrations !== "unknown" && health.migrations.pending.length === 0;
}

/** Never throws: a health endpoint answers 503, not 500, whatever the database does. */
export async function databaseHealth(): Promise<DatabaseHealth> {
  let db;
  try {
    db = await getDb();
    await db.execute(sql`select 1`);
  } catch {
    return { database: "unreachable" };
  }
  try {
    return { database: "ok", migrations: await migrationStatus(db) };
  } catch {
    // A failing query is the database; a missing drizzle/ folder is the deployment. Either way not ready.
    return { database: "ok", migrations: "unknown" };
  }
}

export function build() {
  return { version: packageJson.version, commit: deployedCommit() ?? null };
}

export const noStore = { "cache-control": "no-store" };
