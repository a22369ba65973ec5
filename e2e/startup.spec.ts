import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";
import { childEnv, standaloneServer } from "./fixtures/server-process";

// Startup validation: a production server on PostgreSQL without its secrets stops at start with
// one line on stderr, instead of listening and answering 500 on every sign-in. The check runs
// before the database is opened, so no PostgreSQL is needed here.
test("a production server on PostgreSQL without AUTH_SECRET and ENCRYPTION_KEY refuses to start", async () => {
  const child = spawn(process.execPath, [standaloneServer], {
    env: {
      ...childEnv({}),
      NODE_ENV: "production",
      DATABASE_URL: "postgres://gatehouse@127.0.0.1:9/gatehouse",
      AUTH_SECRET: "",
      ENCRYPTION_KEY: "",
      HOSTNAME: "127.0.0.1",
      PORT: "0",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));

  expect(code).toBe(1);
  const lines = stderr.trim().split("\n");
  expect(lines).toEqual([
    "Gatehouse cannot start: AUTH_SECRET is not set (openssl rand -base64 32); ENCRYPTION_KEY is not set (openssl rand -base64 32). See .env.example.",
  ]);
});

test("a short AUTH_SECRET is named in the one line too", async () => {
  const child = spawn(process.execPath, [standaloneServer], {
    env: { ...childEnv({}), NODE_ENV: "production", DATABASE_URL: "memory:", AUTH_SECRET: "too-short", HOSTNAME: "127.0.0.1", PORT: "0" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));

  expect(code).toBe(1);
  expect(stderr.trim()).toBe("Gatehouse cannot start: AUTH_SECRET must be at least 32 characters. See .env.example.");
});
