import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

// Fixed throwaway secrets so tests never create .data/secrets.json in the working tree.
const testSecrets = {
  ENCRYPTION_KEY: "Z2F0ZWhvdXNlLXRlc3Qta2V5LW5vdC1hLXNlY3JldCE=", // "gatehouse-test-key-not-a-secret!"
  AUTH_SECRET: "test-auth-secret-that-is-at-least-32-characters-long",
};

export default defineConfig({
  resolve: {
    alias: [
      // lib/db/queries import "server-only" (it throws outside a React Server bundle).
      { find: /^server-only$/, replacement: path.join(root, "test/empty-module.ts") },
      { find: /^@\//, replacement: `${root}/` },
    ],
  },
  test: {
    env: testSecrets,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "cli/**/*.test.ts", "bench/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["lib/**/*.int.test.ts", "cli/**/*.int.test.ts", "test/**/*.int.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          // next-auth imports "next/server" without an extension (Next's bundler resolves it);
          // processing it through Vite lets the console tests run the real Auth.js session read.
          server: { deps: { inline: [/node_modules\/next-auth\//] } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
