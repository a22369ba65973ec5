import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Logger } from "drizzle-orm/logger";
import * as schema from "./schema";
import { embeddedDatabaseOnVercel, env, onVercel } from "../env";
import { drainDeferred, isDeferredWork } from "../defer";
import { dataPath } from "../data-dir";
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
  refuseOnVercel(value);
  if (!value) return { driver: "pglite", dataDir: dataPath("pglite") };
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

function refuseOnVercel(url: string) {
  const problem = embeddedDatabaseOnVercel(url);
  if (problem) throw new Error(problem);
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

export type Opened = {
  db: Db;
  driver: DriverName;
  close: () => Promise<void>;
  /** PostgreSQL/Neon: one connection of the pool, for work that needs a single session. */
  session?: () => Promise<Session>;
};

type Session = { db: Db; query: (text: string, values: unknown[]) => Promise<unknown>; release: (destroy?: boolean) => void };
type PoolClientLike = { query: (text: string, values: unknown[]) => Promise<unknown>; release: (destroy?: boolean) => void };

// A Vercel instance is suspended once its responses and waitUntil promises are done; a socket
// left idle through that dies ("Connection terminated unexpectedly" on the next query). A
// short idle timeout closes idle sockets first, and attachDatabasePool keeps the instance up
// until they are closed (Vercel's guidance for pools on Fluid compute: about 5 seconds).
const VERCEL_IDLE_TIMEOUT_MS = 5_000;

function poolOptions(url: string) {
  return { connectionString: url, max: env().DATABASE_POOL_MAX, ...(onVercel() ? { idleTimeoutMillis: VERCEL_IDLE_TIMEOUT_MS } : {}) };
}

async function attachToVercel(pool: object) {
  if (!onVercel()) return;
  const { attachDatabasePool } = await import("@vercel/functions");
  attachDatabasePool(pool as Parameters<typeof attachDatabasePool>[0]);
}

async function open(target: DatabaseTarget): Promise<Opened> {
  const logger = countingLogger;
  if (target.driver === "pglite") {
    refuseOnVercel(target.dataDir ? `file:${target.dataDir}` : "memory:");
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
    const pool = new Pool(poolOptions(target.url));
    pool.on("error", () => {}); // idle-client errors surface on the next query instead
    await attachToVercel(pool);
    const session = async (): Promise<Session> => {
      const client = await pool.connect();
      return { db: drizzle({ client, schema, logger }) as unknown as Db, query: (text, values) => client.query(text, values), release: (destroy) => client.release(destroy) };
    };
    return { db: drizzle({ client: timedClient(pool), schema, logger }) as unknown as Db, driver: "postgres", close: () => pool.end(), session };
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
  const pool = new neon.Pool(poolOptions(target.url));
  pool.on("error", () => {});
  await attachToVercel(pool);
  const session = async (): Promise<Session> => {
    const client = await pool.connect();
    return { db: drizzle({ client, schema, logger }) as unknown as Db, query: (text, values) => client.query(text, values), release: (destroy) => (client as unknown as PoolClientLike).release(destroy) };
  };
  return { db: drizzle({ client: timedClient(pool), schema, logger }) as unknown as Db, driver: "neon", close: () => pool.end(), session };
}

/** Extensions the migrations create (pg_trgm: console search indexes); PGlite loads them itself. */
export async function pgliteExtensions() {
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  return { pg_trgm };
}

export function migrationsFolder() {
  return path.resolve(process.cwd(), "drizzle");
}

/**
 * Held by every Gatehouse migration run ("gate" in ASCII). drizzle's migrator takes no lock
 * (drizzle-team/drizzle-orm#874), and two deploys, or two instances starting, would otherwise
 * both apply the same migration: one then fails on "already exists".
 */
export const MIGRATION_LOCK_KEY = 1_734_440_037;

/**
 * Applies drizzle/ migrations (PGlite already did so when it was opened). On PostgreSQL and
 * Neon under pg_advisory_lock, held on the one connection the migrator runs on; a second run
 * waits, then finds nothing left to apply. A session lock needs a direct connection: behind
 * PgBouncer in transaction mode (Neon's -pooler host) use DATABASE_URL_UNPOOLED.
 */
export async function migrateDatabase(opened: Opened) {
  const config = { migrationsFolder: migrationsFolder() };
  if (opened.driver === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(opened.db as never, config);
    return;
  }
  const { migrate } =
    opened.driver === "postgres" ? await import("drizzle-orm/node-postgres/migrator") : await import("drizzle-orm/neon-serverless/migrator");
  if (!opened.session) throw new Error("migrateDatabase: this handle has no single-connection session");
  const session = await opened.session();
  let broken = false;
  try {
    await session.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await migrate(session.db as never, config);
    } finally {
      await session.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {
        broken = true; // closing the connection releases the lock
      });
    }
  } finally {
    session.release(broken);
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
