// `npm run dev`: on the first start (no platform admin yet) seed the demo data and show the
// admin's sign-in once, then hand over to `next dev`. The seed runs in its own process, so
// the embedded database is closed (and its folder lock released) before Next opens it.
import { gatehouse, runNext } from "./processes.mjs";

const seed = await gatehouse(["db", "seed", "--if-no-admin", "--json"]);
if (seed.code !== 0) {
  console.error("\nCould not prepare the database (see above). Nothing was started.");
  process.exit(seed.code);
}
const result = JSON.parse(seed.stdout);
if (result.seeded && result.admin.created) {
  const lines = [
    "Gatehouse is seeded: demo tenant Acme Corp (acme.test) with SCIM users and groups.",
    "",
    "Platform admin (break-glass sign-in at /login):",
    `  Email:    ${result.admin.email}`,
    result.admin.password
      ? `  Password: ${result.admin.password}`
      : "  Password: the value of SEED_ADMIN_PASSWORD",
    "",
    result.admin.password ? "This password is shown only now. Reset it any time with:" : "Reset it any time with:",
    `  npx gatehouse admin create --email ${result.admin.email}`,
  ];
  const width = Math.max(...lines.map((line) => line.length));
  console.log(`\n╔${"═".repeat(width + 2)}╗`);
  for (const line of lines) console.log(`║ ${line.padEnd(width)} ║`);
  console.log(`╚${"═".repeat(width + 2)}╝\n`);
}

// Server logs as readable lines rather than JSON (lib/log.ts), unless the shell chose a format.
process.env.LOG_FORMAT ??= "pretty";
runNext(["dev", ...process.argv.slice(2)]);
