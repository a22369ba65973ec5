import { afterAll, afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDatabase, type Opened } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { setupTestDatabase, testDriver } from "../harness";

// On Vercel Fluid compute an instance is suspended between requests; a pooled socket left idle
// through that dies. The pool closes idle sockets after 5 s and is attached with
// attachDatabasePool (@vercel/functions), which, on each release, hands the platform's
// waitUntil a promise that lasts the idle timeout, so the instance stays up until they close.

type PoolLike = { options: { idleTimeoutMillis?: number; max?: number }; listenerCount(event: string): number };
const VERCEL_CONTEXT = Symbol.for("@vercel/request-context");
const globals = globalThis as Record<symbol, unknown>;
const driver = testDriver();

describe.skipIf(driver === "pglite")(`the ${driver} pool on Vercel`, () => {
  const database = setupTestDatabase();
  const opened: Opened[] = [];
  const names = ["VERCEL", "VERCEL_URL", "VERCEL_REGION"] as const;
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));

  afterEach(() => {
    delete globals[VERCEL_CONTEXT];
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    resetEnvCache();
  });

  afterAll(async () => {
    for (const handle of opened) await handle.close();
  });

  async function open(env: Record<string, string>) {
    Object.assign(process.env, env);
    resetEnvCache();
    const { DATABASE_URL } = database.externalEnv();
    const handle = await openDatabase({ driver: driver as "postgres" | "neon", url: DATABASE_URL });
    opened.push(handle);
    return { handle, pool: (handle.db as unknown as { $client: PoolLike }).$client };
  }

  it("closes idle connections after 5 s, keeps DATABASE_POOL_MAX, and is attached", async () => {
    const { pool } = await open({ VERCEL: "1" });
    expect(pool.options.idleTimeoutMillis).toBe(5_000);
    expect(pool.options.max).toBe(10);
    expect(pool.listenerCount("release")).toBe(1);
  });

  it("keeps the instance up (waitUntil) after a query until idle connections can close", async () => {
    const { handle } = await open({ VERCEL: "1", VERCEL_URL: "gatehouse-abc.vercel.app", VERCEL_REGION: "fra1" });
    const waited: Promise<unknown>[] = [];
    globals[VERCEL_CONTEXT] = { get: () => ({ waitUntil: (promise: Promise<unknown>) => waited.push(promise) }) };
    await handle.db.execute(sql`select 1`);
    expect(waited.length).toBeGreaterThanOrEqual(1);
  });

  it("is left alone off Vercel", async () => {
    const { pool } = await open({});
    expect(pool.options.idleTimeoutMillis).not.toBe(5_000);
    expect(pool.listenerCount("release")).toBe(0);
  });
});
