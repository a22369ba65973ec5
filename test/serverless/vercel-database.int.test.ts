import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb, openDatabase } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { runCli } from "../cli";

// With VERCEL=1 (set by Vercel at build and at run time) and no PostgreSQL URL, every door
// stops with one message: `next build` (next.config.ts), `db migrate` (vercel-build's first
// step, and `npm start`'s), and the first database use of a function. Nothing creates a
// PGlite folder: on Vercel that would be a throw-away database on a read-only filesystem.

const MESSAGE = /Gatehouse on Vercel needs PostgreSQL, and DATABASE_URL is not set: the embedded PGlite database cannot run on Vercel/;
const root = path.resolve(import.meta.dirname, "../..");
let dataDir: string;
const saved = { VERCEL: process.env.VERCEL, DATABASE_URL: process.env.DATABASE_URL, GATEHOUSE_DATA_DIR: process.env.GATEHOUSE_DATA_DIR };

beforeAll(() => {
  dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-vercel-")), "data");
});

afterEach(async () => {
  await closeDb().catch(() => {});
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
});

afterAll(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));

/** The environment Vercel gives a deployment whose DATABASE_URL was never set. */
function vercelWithoutDatabase() {
  return { VERCEL: "1", VERCEL_ENV: "preview", DATABASE_URL: "", GATEHOUSE_DATA_DIR: dataDir };
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("the embedded database on Vercel", { timeout: 120_000 }, () => {
  it("stops `next build` when next.config.ts is evaluated", async () => {
    const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
    const evaluate = [tsx, "-e", "import('./next.config.ts').catch((error) => { console.error(error.message); process.exit(1); })"];
    const refused = await run(evaluate, vercelWithoutDatabase());
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(MESSAGE);
    const fine = await run(evaluate, { ...vercelWithoutDatabase(), DATABASE_URL: "postgres://u@db.example/app" });
    expect(fine.stderr).not.toMatch(MESSAGE);
    expect(fine.code).toBe(0);
  });

  it("stops `db migrate` (vercel-build, npm start) before anything is opened", async () => {
    for (const args of [["db", "migrate"], ["db", "migrate", "--skip-embedded"]]) {
      const migrated = await runCli(args, vercelWithoutDatabase());
      expect(migrated.code).toBe(1);
      expect(migrated.stderr).toMatch(MESSAGE);
    }
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it("refuses the first database use at run time, and every explicit PGlite handle", async () => {
    Object.assign(process.env, vercelWithoutDatabase());
    resetEnvCache();
    await expect(getDb()).rejects.toThrow(MESSAGE);
    // Not cached: the next request is refused the same way, not served from a half-open handle.
    await expect(getDb()).rejects.toThrow(MESSAGE);
    await expect(openDatabase({ driver: "pglite", dataDir: path.join(dataDir, "pglite") })).rejects.toThrow(/needs PostgreSQL, and DATABASE_URL is "file:…"/);
    await expect(openDatabase({ driver: "pglite", dataDir: null })).rejects.toThrow(/needs PostgreSQL, and DATABASE_URL is "memory:…"/);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it("still opens the embedded database off Vercel", async () => {
    process.env.DATABASE_URL = "memory:";
    delete process.env.VERCEL;
    resetEnvCache();
    await expect(getDb()).resolves.toBeDefined();
  });
});
