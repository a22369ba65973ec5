// `npm audit --omit=dev` gate for CI: fails on any high or critical advisory in production
// dependencies that is not listed in security/audit-exceptions.json (see docs/SECURITY.md).
// When the registry's audit service cannot be reached the check says so and does not fail.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { root } from "./processes.mjs";

const exceptionsFile = path.join(root, "security/audit-exceptions.json");
const exceptions = new Set(
  (fs.existsSync(exceptionsFile) ? JSON.parse(fs.readFileSync(exceptionsFile, "utf8")) : []).map((e) => String(e.advisory)),
);

const result = spawnSync("npm", ["audit", "--omit=dev", "--json"], { cwd: root, encoding: "utf8" });
let report;
try {
  report = JSON.parse(result.stdout);
} catch {
  report = undefined;
}
if (!report || report.error) {
  const reason = report?.error?.summary ?? (result.stderr.trim().split("\n").pop() || "no answer");
  console.log(`npm audit: the advisory service could not be reached (${reason}); dependency audit skipped.`);
  process.exit(0);
}

const blocking = [];
for (const [name, vulnerability] of Object.entries(report.vulnerabilities ?? {})) {
  if (vulnerability.severity !== "high" && vulnerability.severity !== "critical") continue;
  const advisories = (vulnerability.via ?? []).filter((v) => typeof v === "object");
  const open = advisories.filter((a) => !exceptions.has(String(a.url ?? a.source)));
  if (open.length || advisories.length === 0) blocking.push(`${name} (${vulnerability.severity}): ${open.map((a) => a.url ?? a.title).join(", ") || "via a dependency"}`);
}
if (blocking.length) {
  console.error(`npm audit: ${blocking.length} high/critical advisories in production dependencies:\n  ${blocking.join("\n  ")}`);
  console.error("Fix them, or record an exception in security/audit-exceptions.json as docs/SECURITY.md describes.");
  process.exit(1);
}
console.log("npm audit: no high or critical advisories in production dependencies.");
