// `npm test`: unit tests, integration suites on PGlite (and, when TEST_DATABASE_URL is set,
// on PostgreSQL through node-postgres, and the suites that exercise the database driver through
// the Neon serverless driver), then the Playwright browser tests. Every step runs; the last line
// sums them all. TEST_NEON_ALL=1 runs every integration suite through Neon as well.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { root } from "./processes.mjs";

const reports = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-test-reports-"));
const vitest = path.join(root, "node_modules/vitest/vitest.mjs");
const testDatabaseUrl = process.env.TEST_DATABASE_URL;
const NEON_SUITES = ["test/scim/", "test/api/", "test/events/", "test/webhooks/", "test/serverless/", "test/entra/", "test/perf/", "lib/"];

const steps = [
  { title: "unit tests", kind: "vitest", args: ["--project", "unit"] },
  { title: "integration tests on pglite (embedded PGlite, in memory)", kind: "vitest", args: ["--project", "integration"], env: { GATEHOUSE_TEST_DRIVER: "pglite" } },
];
if (testDatabaseUrl) {
  const host = new URL(testDatabaseUrl).host;
  steps.push(
    { title: `integration tests on postgres (node-postgres → ${host})`, kind: "vitest", args: ["--project", "integration"], env: { GATEHOUSE_TEST_DRIVER: "postgres" } },
    {
      title: `integration tests on neon (@neondatabase/serverless → local WebSocket proxy → ${host})${process.env.TEST_NEON_ALL ? "" : ": the driver-facing suites"}`,
      kind: "vitest",
      // SCIM, the API, events and webhooks, serverless pools and locks, the Entra cycles and lib/:
      // every statement shape and transaction the app sends. The console and security matrices
      // add no new shape and run on PGlite and PostgreSQL.
      args: ["--project", "integration", ...(process.env.TEST_NEON_ALL ? [] : NEON_SUITES)],
      env: { GATEHOUSE_TEST_DRIVER: "neon" },
    },
  );
} else {
  console.log("TEST_DATABASE_URL is not set: integration suites run on PGlite only (set it to also run PostgreSQL and Neon).");
}
steps.push({ title: "browser tests (Playwright, production build)", kind: "playwright" });

let passed = 0;
let failed = 0;
const summary = [];
for (const [index, step] of steps.entries()) {
  console.log(`\n━━ ${step.title} ━━`);
  const report = path.join(reports, `${index}.json`);
  const code =
    step.kind === "vitest"
      ? await run(process.execPath, [vitest, "run", ...step.args, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], step.env)
      : await run("npm", ["run", "test:e2e", "--", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_FILE: report });
  const counts = readCounts(step.kind, report);
  // A run that crashed before reporting still counts as a failure.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  passed += counts.passed;
  failed += counts.failed;
  summary.push(`${code === 0 ? "ok  " : "FAIL"}  ${step.title}: ${counts.passed} passed, ${counts.failed} failed`);
  // The names of what failed go into the last lines too: CI logs are often read from the end.
  for (const name of counts.failedNames.slice(0, 10)) summary.push(`        ✗ ${name}`);
}
fs.rmSync(reports, { recursive: true, force: true });

console.log(`\n${summary.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("error", () => resolve(1));
    child.on("close", (code) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? 1);
    });
  });
}

function readCounts(kind, file) {
  try {
    const report = JSON.parse(fs.readFileSync(file, "utf8"));
    if (kind === "vitest") {
      const failedNames = (report.testResults ?? []).flatMap((suite) =>
        (suite.assertionResults ?? [])
          .filter((test) => test.status === "failed")
          .map((test) => `${path.relative(root, suite.name)} › ${test.fullName ?? test.title}`),
      );
      return { passed: report.numPassedTests ?? 0, failed: report.numFailedTests ?? 0, failedNames };
    }
    const failedNames = [];
    const walk = (suite, file) => {
      for (const spec of suite.specs ?? []) {
        if (spec.ok === false) failedNames.push(`${spec.file ?? file} › ${spec.title}`);
      }
      for (const child of suite.suites ?? []) walk(child, suite.file ?? file);
    };
    for (const suite of report.suites ?? []) walk(suite, suite.file);
    return { passed: (report.stats?.expected ?? 0) + (report.stats?.flaky ?? 0), failed: report.stats?.unexpected ?? 0, failedNames };
  } catch {
    return { passed: 0, failed: 0, failedNames: [] };
  }
}
