import { execFileSync } from "node:child_process";
import type { NextConfig } from "next";
import { isProduction, refuseEmbeddedDatabaseOnVercel } from "./lib/env";

refuseEmbeddedDatabaseOnVercel();

const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ...(isProduction()
    ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]
    : []),
];

/** The commit being built, for /api/health; none outside a git checkout (a container build passes GATEHOUSE_COMMIT). */
function gitCommit() {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

const nextConfig: NextConfig = {
  // `node .next/standalone/server.js` is what the image runs and what the browser tests start
  // (scripts/standalone.mjs adds .next/static, which Next leaves out).
  output: "standalone",
  // Read from disk at run time, so no import traces them: the migrations every start applies,
  // and PGlite's WebAssembly, data and extension bundles.
  outputFileTracingIncludes: {
    "/**": ["./drizzle/**/*", "./node_modules/@electric-sql/pglite/dist/{pglite.wasm,pglite.data,initdb.wasm,pg_trgm.tar.gz}"],
  },
  // PGlite ships WebAssembly and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "@neondatabase/serverless", "ws"],
  poweredByHeader: false,
  env: { GATEHOUSE_BUILD_COMMIT: gitCommit() },
  // The browser-test build skips `next build`'s own type check: CI runs `npm run typecheck` first.
  typescript: { ignoreBuildErrors: process.env.GATEHOUSE_BUILD_SKIP_TYPECHECK === "1" },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
