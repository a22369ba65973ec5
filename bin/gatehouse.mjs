#!/usr/bin/env node
// `npx gatehouse …`: runs the TypeScript CLI in-process through tsx, from the project root
// (like `npm run`), so .env files, .data/ and drizzle/ are found from any subfolder.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

process.chdir(fileURLToPath(new URL("..", import.meta.url)));
register();
await import("../cli/main.ts");
