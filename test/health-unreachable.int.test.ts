import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as live } from "@/app/api/health/live/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { closeDb, openDatabase, setDatabase } from "@/lib/db/client";
import packageJson from "@/package.json";

// No test database here: the server's database is a PostgreSQL nobody listens on.
const url = "postgres://gatehouse:hunter2-secret@127.0.0.1:9/gatehouse";

beforeAll(async () => setDatabase(await openDatabase({ driver: "postgres", url })));
afterAll(() => closeDb());

describe("health endpoints with the database unreachable", () => {
  it("/api/health and /ready answer 503 without the connection string, /live 200", async () => {
    const full = await health();
    expect(full.status).toBe(503);
    const text = await full.text();
    expect(JSON.parse(text)).toMatchObject({ status: "degraded", database: "unreachable", version: packageJson.version });
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("127.0.0.1");

    const readiness = await ready();
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toEqual({ status: "not ready", database: "unreachable", pendingMigrations: null });
    expect((await live()).status).toBe(200);
  });
});
