// `npm start`: the standalone server that `npm run build` assembled, as the container runs it.
// It changes into .next/standalone, so what is relative to the project is made absolute here:
// .env files, the embedded database's folder and a relative DATABASE_URL=file:… . PostgreSQL and
// Neon are migrated first; embedded PGlite migrates itself when the server opens it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import nextEnv from "@next/env";
import { gatehouse, root } from "./processes.mjs";

const server = path.join(root, ".next/standalone/server.js");
if (!fs.existsSync(server)) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}
nextEnv.loadEnvConfig(root, false, { info() {}, error: console.error });
process.env.GATEHOUSE_DATA_DIR = path.resolve(root, process.env.GATEHOUSE_DATA_DIR || ".data");
const databaseUrl = process.env.DATABASE_URL?.trim();
if (databaseUrl?.startsWith("file:") && !databaseUrl.startsWith("file:/")) {
  process.env.DATABASE_URL = `file:${path.resolve(root, databaseUrl.slice("file:".length))}`;
}

const migrated = await gatehouse(["db", "migrate", "--skip-embedded"]);
if (migrated.code !== 0) process.exit(migrated.code);
process.stdout.write(migrated.stdout);

// As `next start`: -p/--port (else PORT, else 3000) and -H/--hostname (else all interfaces; a
// HOSTNAME inherited from the shell or a container names the machine, not an address to bind).
const { values: flags } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
const listen = { PORT: flags.port ?? process.env.PORT ?? "3000", HOSTNAME: flags.hostname ?? "0.0.0.0" };
const child = spawn(process.execPath, [server], { stdio: "inherit", env: { ...process.env, ...listen } });
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  process.exit(code ?? 1);
});
