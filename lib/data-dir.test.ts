import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "./env";
import { dataPath } from "./data-dir";
import { resolveDatabaseTarget } from "./db/client";

describe("the data folder (GATEHOUSE_DATA_DIR) is one folder", () => {
  const saved = { GATEHOUSE_DATA_DIR: process.env.GATEHOUSE_DATA_DIR, AUTH_SECRET: process.env.AUTH_SECRET };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete (process.env as Record<string, string | undefined>)[name];
      else (process.env as Record<string, string | undefined>)[name] = value;
    }
    resetEnvCache();
  });

  it("defaults to .data below the working directory", () => {
    delete process.env.GATEHOUSE_DATA_DIR;
    resetEnvCache();
    expect(dataPath("pglite")).toBe(path.resolve(".data", "pglite"));
  });

  it("holds the embedded database when DATABASE_URL is unset, beside the secrets generated for it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-data-"));
    process.env.GATEHOUSE_DATA_DIR = dir;
    delete process.env.AUTH_SECRET;
    resetEnvCache();
    expect(resolveDatabaseTarget(undefined)).toEqual({ driver: "pglite", dataDir: path.join(dir, "pglite") });
    const { authSecret } = await import("./crypto/keys");
    const secret = authSecret();
    expect(JSON.parse(fs.readFileSync(path.join(dir, "secrets.json"), "utf8")).authSecret).toBe(secret);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
