import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";

// eslint-config-next registers eslint-plugin-import as "import", with the TypeScript resolver for "@/…".
// Product code: the files that ship. Tests, e2e, bench and scripts may reach across layers.
const productCode = ["app/**", "components/**", "lib/**", "cli/**", "proxy.ts", "instrumentation.ts"];
const testCode = ["**/*.test.ts", "**/*.test.tsx", "**/*.test-helper.ts"];

// The floors of docs/ARCHITECTURE.md: app → components → lib, and lib/scim is pure protocol.
const layers = {
  zones: [
    {
      target: ["./components", "./lib", "./cli", "./proxy.ts", "./instrumentation.ts"],
      from: "./app",
      message: "Only app/ imports from app/: move the shared code down to components/ or lib/.",
    },
    {
      target: "./lib",
      from: "./components",
      message: "lib/ sits below components/: move the shared code into lib/.",
    },
    {
      target: "./lib/scim",
      from: [
        "./lib/db",
        "./lib/scim-server",
        "./lib/auth",
        "./lib/admin",
        "./lib/actions",
        "./node_modules/next",
        "./node_modules/server-only",
        "./node_modules/next-auth",
        "./node_modules/@auth",
        "./node_modules/drizzle-orm",
      ],
      message: "lib/scim is pure protocol (RFC 7643/7644): no database, HTTP, auth or Next.js imports.",
    },
  ],
};

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", ".data/**", "node_modules/**", "drizzle/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": [
        "warn",
        { fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
      ],
    },
  },
  {
    files: productCode,
    ignores: testCode,
    // Cycles are searched through our own files only; parsing node_modules would triple lint time.
    settings: { "import/ignore": ["node_modules"] },
    rules: {
      "import/no-restricted-paths": ["error", layers],
      "import/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    files: productCode,
    ignores: testCode,
    plugins: { drizzle },
    rules: {
      // A multi-tenant table without a WHERE touches every tenant's rows.
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx", "handle"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx", "handle"] }],
    },
  },
];

export default config;
