import { register } from "node:module";
import nextEnv from "@next/env";

// Entry point for both `npx gatehouse` (bin/gatehouse.mjs) and `tsx cli/main.ts`.
register("./server-only-hook.mjs", import.meta.url);
// The same .env files as `next dev` reads, so the CLI opens the app's DATABASE_URL.
nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", { info() {}, error: console.error });

const { runCli } = await import("./program");
process.exitCode = await runCli(process.argv.slice(2));
