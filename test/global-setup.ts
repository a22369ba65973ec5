import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import pg from "pg";
import { env } from "../lib/env";
import { startNeonProxy } from "../scripts/neon-local-proxy.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    testDriver: "pglite" | "postgres" | "neon";
    /** Server-level URL on which each suite creates (and drops) its own database. */
    serverUrl: string;
    /** Prefix of every database this run creates, so teardown can drop leftovers. */
    databasePrefix: string;
    neonProxy: string;
  }
}

/**
 * Integration suites run on the driver named by GATEHOUSE_TEST_DRIVER: pglite (default,
 * in-memory), postgres (node-postgres, a fresh database per suite on TEST_DATABASE_URL's
 * server), or neon (@neondatabase/serverless through a local WebSocket→TCP proxy in front
 * of that same server).
 */
export default async function setup(project: TestProject) {
  const driver = env().GATEHOUSE_TEST_DRIVER;
  const serverUrl = env().TEST_DATABASE_URL ?? "";
  const databasePrefix = `gh_test_${randomBytes(4).toString("hex")}_`;
  project.provide("testDriver", driver);
  project.provide("serverUrl", serverUrl);
  project.provide("databasePrefix", databasePrefix);
  project.provide("neonProxy", "");

  if (driver === "pglite") {
    console.log("[integration] driver=pglite (in-memory PGlite per suite)");
    return;
  }
  if (!serverUrl) throw new Error(`GATEHOUSE_TEST_DRIVER=${driver} needs TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres`);
  await assertReachable(serverUrl);
  let proxy: { address: string; close: () => Promise<void> } | undefined;
  if (driver === "neon") {
    proxy = await startNeonProxy();
    project.provide("neonProxy", proxy!.address);
  }
  const where = new URL(serverUrl).host;
  console.log(
    driver === "neon"
      ? `[integration] driver=neon (@neondatabase/serverless via ws://${proxy!.address} → ${where}, a fresh database per suite)`
      : `[integration] driver=postgres (node-postgres on ${where}, a fresh database per suite)`,
  );
  return async () => {
    await proxy?.close();
    await dropDatabases(serverUrl, databasePrefix);
  };
}

async function assertReachable(url: string) {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot reach TEST_DATABASE_URL (${new URL(url).host}): ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Drops whatever a crashed suite left behind. */
async function dropDatabases(url: string, prefix: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like $1", [`${prefix}%`]);
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await client.end();
  }
}
