import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, defineConfig, devices } from "@playwright/test";
import { e2eAdmin } from "./e2e/fixtures/admin";

// Playwright evaluates this file in its runner and again in every worker: the port and the
// database folder are chosen once and handed to the workers through the environment.
const E2E_PORT = (process.env.E2E_PORT ??= freePort());
// A host application on another origin (e2e/session-handoff.spec.ts serves it), allowed as a handoff target.
const E2E_HOST_APP_PORT = (process.env.E2E_HOST_APP_PORT ??= freePort());
const E2E_DATA_DIR = (process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-e2e-")));
const baseURL = `http://127.0.0.1:${E2E_PORT}`;

// With TEST_DATABASE_URL (CI) the server runs on a fresh PostgreSQL database, so specs can
// also seed it while the server runs (the SSO specs do); otherwise on an embedded PGlite
// folder, which only the server process may open.
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
if (TEST_DATABASE_URL) {
  process.env.E2E_DATABASE_URL ??= createPostgresDatabase(TEST_DATABASE_URL);
  process.env.E2E_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  process.env.E2E_AUTH_SECRET ??= randomBytes(32).toString("base64url");
}
const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL;

function createPostgresDatabase(serverUrl: string): string {
  const name = `gatehouse_e2e_${randomBytes(4).toString("hex")}`;
  const script = `const pg=require('pg');const c=new pg.Client({connectionString:process.argv[1]});c.connect().then(()=>c.query('create database ${name}')).then(()=>c.end()).catch(e=>{console.error(e.message);process.exit(1)})`;
  execFileSync(process.execPath, ["-e", script, serverUrl], { stdio: "inherit" });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

function freePort(): string {
  const script = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim();
}

/** PLAYWRIGHT_CHROMIUM_EXECUTABLE, else Debian's /usr/bin/chromium, else Playwright's own. */
function chromiumExecutable(): string | undefined {
  const configured = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  if (configured) {
    if (!fs.existsSync(configured)) throw new Error(`PLAYWRIGHT_CHROMIUM_EXECUTABLE=${configured} does not exist`);
    return configured;
  }
  if (fs.existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  if (fs.existsSync(chromium.executablePath())) return undefined;
  throw new Error(
    "No Chromium for the browser tests. Install one with `apt-get install chromium` (Debian/Ubuntu) or " +
      "`npx playwright install chromium`, or set PLAYWRIGHT_CHROMIUM_EXECUTABLE to a Chromium binary.",
  );
}

const gatehouse = "node bin/gatehouse.mjs";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  reporter: [["list"]],
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  // The standalone production build (E2E_SKIP_BUILD=1 reuses .next) on a free port with a fresh embedded
  // database, seeded with a known admin; the CLI runs (and releases the folder lock) before
  // the server opens it.
  webServer: {
    command: [
      // `npm run build` is `next build` + scripts/standalone.mjs, as in the Dockerfile; the
      // assembly step is cheap, so a build made with plain `next build` is completed too.
      process.env.E2E_SKIP_BUILD === "1" ? "node scripts/standalone.mjs" : "GATEHOUSE_BUILD_SKIP_TYPECHECK=1 npm run build",
      E2E_DATABASE_URL ? `${gatehouse} db migrate` : "",
      `${gatehouse} db seed`,
      // A tenant + provisioning token for the SCIM specs (e2e/fixtures/scim-tenant.ts reads them).
      `${gatehouse} tenant create --name "Entra Replay" --slug entra-replay --domain entra-replay.test --json > "${path.join(E2E_DATA_DIR, "scim-tenant.json")}"`,
      `${gatehouse} token create --tenant entra-replay --name "Entra provisioning" --json > "${path.join(E2E_DATA_DIR, "scim-token.json")}"`,
      // The container image's entry point (PORT and HOSTNAME from the environment below).
      "node .next/standalone/server.js",
    ]
      .filter(Boolean)
      .join(" && "),
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 600_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      ...(E2E_DATABASE_URL
        ? {
            DATABASE_URL: E2E_DATABASE_URL,
            DATABASE_DRIVER: "postgres",
            ENCRYPTION_KEY: process.env.E2E_ENCRYPTION_KEY!,
            AUTH_SECRET: process.env.E2E_AUTH_SECRET!,
          }
        : { DATABASE_URL: `file:${path.join(E2E_DATA_DIR, "pglite")}` }),
      GATEHOUSE_DATA_DIR: E2E_DATA_DIR,
      APP_URL: baseURL,
      AUTH_URL: baseURL,
      SEED_ADMIN_EMAIL: e2eAdmin.email,
      SEED_ADMIN_PASSWORD: e2eAdmin.password,
      PORT: E2E_PORT,
      HOSTNAME: "127.0.0.1",
      NEXT_TELEMETRY_DISABLED: "1",
      // The e2e OpenID provider runs beside the server on http://127.0.0.1.
      GATEHOUSE_ALLOW_LOOPBACK_IDP: "1",
      HOST_APP_ORIGINS: `http://127.0.0.1:${E2E_HOST_APP_PORT}`,
      // Every spec signs the same admin in from 127.0.0.1; sign-in limits have their own tests.
      SIGNIN_LIMIT_PER_SOURCE: "100000",
      SIGNIN_LIMIT_PER_ACCOUNT: "100000",
    },
  },
});
