import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Logger } from "drizzle-orm/logger";
import * as schema from "./schema";
import { env } from "../env";
import { drainDeferred, isDeferredWork } from "../defer";
import { acquireFolderLock } from "./folder-lock";
import { timedClient } from "./query-timing";
import { logger as log } from "../log";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DriverName = "pglite" | "postgres" | "neon";

export type DatabaseTarget =
  | { driver: "pglite"; dataDir: string | null }
  | { driver: "postgres"; url: string }
  | { driver: "neon"; url: string };

const NEON_HOST = /\.neon\.tech$|\.neon\.build$/i;

/** Which driver a DATABASE_URL selects (see README "Configuration"). */
export function resolveDatabaseTarget(url: string | undefined, driver?: DriverName): DatabaseTarget {
  const value = url?.trim() || "";
  if (!value) return { driver: "pglite", dataDir: path.resolve(env().GATEHOUSE_DATA_DIR, "pglite") };
  if (value === "memory:" || value === "memory://") return { driver: "pglite", dataDir: null };
  if (value.startsWith("file:")) {
    const dir = value.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    if (!dir) throw new Error("DATABASE_URL=file:<dir> needs a folder, e.g. file:./.data/pglite");
    return { driver: "pglite", dataDir: path.resolve(dir) };
  }
  if (/^postgres(ql)?:\/\//i.test(value)) {
    const host = new URL(value).hostname;
    if (driver === "neon" || (driver !== "postgres" && NEON_HOST.test(host))) return { driver: "neon", url: value };
    return { driver: "postgres", url: value };
  }
  throw new Error(
    `Unsupported DATABASE_URL "${value.split(":")[0]}:…" — use nothing (embedded), file:<dir>, memory:, or postgres://…`,
  );
}

/**
 * Counts statements per logical operation; used by query-budget tests and the bench. Work
 * deferred past the response (lib/defer.ts) is not part of the operation.
 */
export const queryCounter = { count: 0, enabled: false };

const countingLogger: Logger = {
  logQuery(query, params) {
    if (queryCounter.enabled && !isDeferredWork()) queryCounter.count++;
    // Bound values are session-token hashes, password hashes, ciphertexts and PII: never printed.
    if (env().GATEHOUSE_QUERY_LOG === "1") log.info({ sql: query, boundParams: params.length }, "sql");
  },
};

export type Opened = { db: Db; driver: DriverName; close: () => Promise<void> };

async function open(target: DatabaseTarget): Promise<Opened> {
  const logger = countingLogger;
  if (target.driver === "pglite") {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    let release = () => {};
    if (target.dataDir) {
      fs.mkdirSync(path.dirname(target.dataDir), { recursive: true });
      release = acquireFolderLock(target.dataDir);
    }
    try {
      const options = { extensions: await pgliteExtensions() };
      const client = target.dataDir ? await PGlite.create(target.dataDir, options) : await PGlite.create(options);
      const db = drizzle({ client: timedClient(client), schema, logger }) as unknown as Db;
      const { migrate } = await import("drizzle-orm/pglite/migrator");
      await migrate(db as never, { migrationsFolder: migrationsFolder() });
      return {
        db,
        driver: "pglite",
        close: async () => {
          await client.close();
          release();
        },
      };
    } catch (error) {
      release();
      throw error;
    }
  }
  if (target.driver === "postgres") {
    const { Pool } = (await import("pg")).default;
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const pool = new Pool({ connectionString: target.url, max: env().DATABASE_POOL_MAX });
    pool.on("error", () => {}); // idle-client errors surface on the next query instead
    return { db: drizzle({ client: timedClient(pool), schema, logger }) as unknown as Db, driver: "postgres", close: () => pool.end() };
  }
  const neon = await import("@neondatabase/serverless");
  const { drizzle } = await import("drizzle-orm/neon-serverless");
  const { default: ws } = await import("ws");
  neon.neonConfig.webSocketConstructor = ws;
  const proxy = env().NEON_LOCAL_PROXY;
  if (proxy) {
    // Local development/testing: a WebSocket→TCP proxy in front of a plain PostgreSQL, as
    // Neon documents. The driver prefixes "ws://" itself and the proxy forwards each socket
    // to `address`; no TLS anywhere, so the driver speaks plain ws + pg.
    const base = proxy.replace(/^wss?:\/\//i, "").replace(/\/+$/, "");
    neon.neonConfig.wsProxy = (host, port) => `${base}/v1?address=${host}:${port}`;
    neon.neonConfig.useSecureWebSocket = false;
    neon.neonConfig.pipelineTLS = false;
    neon.neonConfig.pipelineConnect = false;
  }
  const pool = new neon.Pool({ connectionString: target.url, max: env().DATABASE_POOL_MAX });
  pool.on("error", () => {});
  return { db: drizzle({ client: timedClient(pool), schema, logger }) as unknown as Db, driver: "neon", close: () => pool.end() };
}

/** Extensions the migrations create (pg_trgm: console search indexes); PGlite loads them itself. */
export async function pgliteExtensions() {
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  return { pg_trgm };
}

export function migrationsFolder() {
  return path.resolve(process.cwd(), "drizzle");
}

/** Applies drizzle/ migrations (PGlite already did so when it was opened). */
export async function migrateDatabase(opened: Opened) {
  const config = { migrationsFolder: migrationsFolder() };
  if (opened.driver === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(opened.db as never, config);
  } else if (opened.driver === "postgres") {
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    await migrate(opened.db as never, config);
  } else {
    const { migrate } = await import("drizzle-orm/neon-serverless/migrator");
    await migrate(opened.db as never, config);
  }
}

type Holder = { opened?: Promise<Opened> };
const holder: Holder = ((globalThis as { __gatehouseDb?: Holder }).__gatehouseDb ??= {});

/** The process-wide database, opened on first use (never at import, so `next build` needs none). */
export async function getDb(): Promise<Db> {
  holder.opened ??= open(resolveDatabaseTarget(env().DATABASE_URL, env().DATABASE_DRIVER)).catch((error) => {
    holder.opened = undefined;
    throw error;
  });
  return (await holder.opened).db;
}

export async function getDriverName(): Promise<DriverName> {
  await getDb();
  return (await holder.opened!).driver;
}

/** Finishes deferred writes (bounded), then closes the process-wide database. */
export async function closeDb() {
  await drainDeferred();
  const opened = holder.opened;
  holder.opened = undefined;
  if (opened) await (await opened).close();
}

/** Opens a separate database handle (CLI, tests); the caller closes it. */
export function openDatabase(target: DatabaseTarget) {
  return open(target);
}

/** Makes getDb() return an already-opened handle (tests). */
export function setDatabase(opened: Opened) {
  holder.opened = Promise.resolve(opened);
}
