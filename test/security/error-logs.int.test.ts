import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { users, sessions } from "@/lib/db/schema";
import { gatehouseAdapter, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/config";
import { scimRoute } from "@/lib/scim-server/route";
import { createScimTenant } from "@/test/scim/client";
import { newSessionToken, setSessionCookie } from "./console-session";

// L-6: a failing insert's log line names the error, its SQLSTATE and constraint, and none of
// the values the statement carried (ASVS V16: no secrets or PII in logs).
vi.mock("next/headers", async () => (await import("./console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("./console-session")).nextCache);

const { platformAction } = await import("@/lib/actions/action");
const database = setupTestDatabase();

async function capturedErrors(run: () => Promise<unknown>) {
  const { captureLogs } = await import("@/lib/log");
  const capture = captureLogs("debug");
  try {
    await run();
  } finally {
    capture.restore();
  }
  return capture.lines.join("\n");
}

/** An insert that fails on its foreign key, carrying a secret-looking value. */
const failingInsert = (secret: string) =>
  database.db.insert(users).values({ tenantId: randomUUID(), userName: secret, userNameNormalized: secret, passwordHash: `scrypt$${secret}` });

describe(`L-6: error logs carry no bound parameters (${testDriver()})`, () => {
  it("console actions log name, SQLSTATE and constraint only", async () => {
    const [admin] = await database.db
      .insert(users)
      .values({ tenantId: null, userName: "root@gatehouse.test", userNameNormalized: "root@gatehouse.test", consoleRole: "platform_admin", loginMethod: "password" })
      .returning();
    const token = newSessionToken();
    await gatehouseAdapter(database.db).createSession!({ sessionToken: token, userId: admin.id, expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) });
    setSessionCookie(token);
    const secret = `secret-${randomBytes(12).toString("hex")}`;
    const action = platformAction(z.object({}), async () => {
      await failingInsert(secret);
    });
    let answer: unknown;
    const output = await capturedErrors(async () => void (answer = await action(null, {})));
    expect(answer).toMatchObject({ ok: false, error: expect.stringContaining("Something went wrong") });
    expect(output).toContain("23503");
    expect(output).toContain("users_tenant_id_tenants_id_fk");
    expect(output).not.toContain(secret);
    expect(output).not.toContain("Failed query");
    expect(output).not.toContain(admin.id);
    await database.db.delete(sessions);
  });

  it("SCIM 500s log name, SQLSTATE and constraint only", async () => {
    const { tenant, token } = await createScimTenant();
    const secret = `secret-${randomBytes(12).toString("hex")}`;
    const handler = scimRoute(async () => {
      await failingInsert(secret);
      return new Response(null);
    });
    let status = 0;
    const output = await capturedErrors(async () => {
      const response = await handler(new Request(`http://gatehouse.test/scim/v2/${tenant.id}/Users`, { headers: { authorization: `Bearer ${token}` } }), {
        params: Promise.resolve({ tenantId: tenant.id }),
      });
      status = response.status;
    });
    expect(status).toBe(500);
    expect(output).toContain("23503");
    expect(output).not.toContain(secret);
    expect(output).not.toContain("insert into");
  });
});
