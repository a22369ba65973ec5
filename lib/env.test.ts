import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appUrl, embeddedDatabaseOnVercel, env, refuseEmbeddedDatabaseOnVercel, resetEnvCache } from "./env";

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

// Vercel's system variables (vercel.com/docs/environment-variables/system-environment-variables):
// VERCEL_URL is the deployment's own host, new on every push; VERCEL_BRANCH_URL is the
// branch's git alias; VERCEL_PROJECT_PRODUCTION_URL the shortest production domain.
const preview = {
  VERCEL: "1",
  VERCEL_ENV: "preview",
  VERCEL_URL: "gatehouse-k3j2h1g0f-acme.vercel.app",
  VERCEL_BRANCH_URL: "gatehouse-git-feature-sso-acme.vercel.app",
  VERCEL_PROJECT_PRODUCTION_URL: "id.acme.example",
};

describe("the public origin: APP_URL, AUTH_URL, the Vercel branch or production URL, else the request", () => {
  it("takes APP_URL before anything else (without its trailing slash)", () => {
    setEnv({ ...preview, APP_URL: "https://qa.acme.example/", AUTH_URL: "https://qa.acme.example/api/auth" });
    expect(appUrl()).toBe("https://qa.acme.example");
  });

  it("refuses APP_URL and AUTH_URL on two origins: the sign-in start and its callback would disagree", () => {
    setEnv({ APP_URL: "https://qa.acme.example", AUTH_URL: "https://auth.acme.example/api/auth" });
    expect(() => env()).toThrow(/AUTH_URL: names https:\/\/auth\.acme\.example but APP_URL names https:\/\/qa\.acme\.example/);
  });

  it("takes AUTH_URL's origin when APP_URL is unset", () => {
    setEnv({ ...preview, AUTH_URL: "https://auth.acme.example/api/auth" });
    expect(appUrl()).toBe("https://auth.acme.example");
  });

  it("uses the branch URL on a preview, never the per-deployment VERCEL_URL", () => {
    setEnv(preview);
    expect(appUrl()).toBe("https://gatehouse-git-feature-sso-acme.vercel.app");
  });

  it("uses the project's production domain in Vercel production", () => {
    setEnv({ ...preview, VERCEL_ENV: "production" });
    expect(appUrl()).toBe("https://id.acme.example");
  });

  it("leaves it to the request's headers off Vercel, and on a preview without a branch URL", () => {
    setEnv({});
    expect(appUrl()).toBeUndefined();
    setEnv({ VERCEL: "1", VERCEL_ENV: "preview", VERCEL_URL: preview.VERCEL_URL });
    expect(appUrl()).toBeUndefined();
    setEnv({ VERCEL: "1", VERCEL_ENV: "development", VERCEL_BRANCH_URL: preview.VERCEL_BRANCH_URL });
    expect(appUrl()).toBeUndefined();
  });

  it("hands Auth.js the same origin through AUTH_URL, so the sign-in start and the callback agree", () => {
    setEnv(preview);
    expect(env().AUTH_URL).toBe("https://gatehouse-git-feature-sso-acme.vercel.app");
    expect(process.env.AUTH_URL).toBe("https://gatehouse-git-feature-sso-acme.vercel.app");
    resetEnvCache();
    expect(process.env.AUTH_URL).toBeUndefined();
  });

  it("never overrides a configured AUTH_URL, and sets none when the request decides", () => {
    setEnv({ ...preview, AUTH_URL: "https://auth.acme.example" });
    env();
    expect(process.env.AUTH_URL).toBe("https://auth.acme.example");
    setEnv({});
    env();
    expect(process.env.AUTH_URL).toBeUndefined();
  });
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
