import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "./env";
import { startupProblems } from "./startup";

const key = "Z2F0ZWhvdXNlLXRlc3Qta2V5LW5vdC1hLXNlY3JldCE=";
const secret = "a-production-auth-secret-of-at-least-32-chars";

function withEnv(values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
  resetEnvCache();
  return startupProblems();
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("startup validation in production", () => {
  const postgres = { NODE_ENV: "production", DATABASE_URL: "postgres://gatehouse@db:5432/gatehouse" };

  it("names every missing secret for a shared database", () => {
    expect(withEnv({ ...postgres, AUTH_SECRET: "", ENCRYPTION_KEY: "" })).toEqual([
      "AUTH_SECRET is not set (openssl rand -base64 32)",
      "ENCRYPTION_KEY is not set (openssl rand -base64 32)",
    ]);
    expect(withEnv({ ...postgres, AUTH_SECRET: secret, ENCRYPTION_KEY: "" })).toEqual(["ENCRYPTION_KEY is not set (openssl rand -base64 32)"]);
  });

  it("reports a malformed value once, without repeating its name", () => {
    expect(withEnv({ ...postgres, AUTH_SECRET: "short", ENCRYPTION_KEY: key })).toEqual(["AUTH_SECRET must be at least 32 characters"]);
    expect(withEnv({ ...postgres, AUTH_SECRET: secret, ENCRYPTION_KEY: "abc" })).toEqual([
      "ENCRYPTION_KEY must be 32 bytes, base64 encoded (openssl rand -base64 32)",
    ]);
  });

  it("passes with both secrets set", () => {
    expect(withEnv({ ...postgres, AUTH_SECRET: secret, ENCRYPTION_KEY: key })).toEqual([]);
  });

  it("lets the embedded database start without them: it generates its own in GATEHOUSE_DATA_DIR", () => {
    expect(withEnv({ NODE_ENV: "production", DATABASE_URL: "", AUTH_SECRET: "", ENCRYPTION_KEY: "" })).toEqual([]);
    expect(withEnv({ NODE_ENV: "production", DATABASE_URL: "file:/data/pglite", AUTH_SECRET: "", ENCRYPTION_KEY: "" })).toEqual([]);
  });

  it("does not ask for them outside production", () => {
    expect(withEnv({ ...postgres, NODE_ENV: "development", AUTH_SECRET: "", ENCRYPTION_KEY: "" })).toEqual([]);
  });
});
