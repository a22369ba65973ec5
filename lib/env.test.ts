import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { embeddedDatabaseOnVercel, refuseEmbeddedDatabaseOnVercel, resetEnvCache } from "./env";

const NAMES = [
  "APP_URL",
  "AUTH_URL",
  "VERCEL",
  "VERCEL_ENV",
  "VERCEL_URL",
  "VERCEL_BRANCH_URL",
  "VERCEL_PROJECT_PRODUCTION_URL",
  "DATABASE_URL",
  "DATABASE_DRIVER",
];
let saved: Record<string, string | undefined>;

function setEnv(values: Record<string, string>) {
  for (const name of NAMES) delete process.env[name];
  Object.assign(process.env, values);
  resetEnvCache();
}

beforeEach(() => {
  saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
});

afterEach(() => {
  resetEnvCache();
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  resetEnvCache();
});

describe("the embedded database is refused on Vercel (build and start)", () => {
  it("refuses an unset DATABASE_URL, file: and memory: with one message that says what to set", () => {
    for (const url of [undefined, "file:./.data/pglite", "memory:"]) {
      setEnv(url ? { VERCEL: "1", DATABASE_URL: url } : { VERCEL: "1" });
      const problem = embeddedDatabaseOnVercel();
      expect(problem).toMatch(/^Gatehouse on Vercel needs PostgreSQL, and DATABASE_URL is /);
      expect(problem).toContain("Set DATABASE_URL to a postgres:// URL");
      expect(() => refuseEmbeddedDatabaseOnVercel()).toThrow(problem!);
    }
    setEnv({ VERCEL: "1" });
    expect(embeddedDatabaseOnVercel()).toContain("DATABASE_URL is not set");
  });

  it("never prints more of the URL than its scheme", () => {
    setEnv({ VERCEL: "1", DATABASE_URL: "mysql://admin:hunter2@db.internal/app" });
    const problem = embeddedDatabaseOnVercel()!;
    expect(problem).toContain('DATABASE_URL is "mysql:…"');
    expect(problem).not.toContain("hunter2");
  });

  it("accepts PostgreSQL on Vercel, and anything off Vercel", () => {
    setEnv({ VERCEL: "1", DATABASE_URL: "postgresql://u:p@ep-x-pooler.eu-central-1.aws.neon.tech/db?sslmode=require" });
    expect(embeddedDatabaseOnVercel()).toBeUndefined();
    expect(() => refuseEmbeddedDatabaseOnVercel()).not.toThrow();
    setEnv({});
    expect(embeddedDatabaseOnVercel()).toBeUndefined();
    setEnv({ DATABASE_URL: "file:./.data/pglite" });
    expect(embeddedDatabaseOnVercel()).toBeUndefined();
  });
});
