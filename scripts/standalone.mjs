// After `next build`: completes .next/standalone into a folder that runs on its own with
// `node .next/standalone/server.js` (the container image and the browser tests run exactly it).
// Next copies the traced server files (and drizzle/, next.config.ts outputFileTracingIncludes)
// but leaves the browser assets to the deployment: .next/static and public/.
import fs from "node:fs";
import path from "node:path";
import { root } from "./processes.mjs";

const standalone = path.join(root, ".next/standalone");
if (!fs.existsSync(path.join(standalone, "server.js"))) {
  console.error('No .next/standalone/server.js: run `next build` first (next.config.ts sets output: "standalone").');
  process.exit(1);
}
for (const folder of [".next/static", "public"]) {
  const from = path.join(root, folder);
  const to = path.join(standalone, folder);
  fs.rmSync(to, { recursive: true, force: true });
  if (fs.existsSync(from)) fs.cpSync(from, to, { recursive: true });
}
console.log("Standalone server ready: node .next/standalone/server.js");
