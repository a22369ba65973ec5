import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { rowsOf, setupTestDatabase, testDriver } from "@/test/harness";
import { users } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { gatehouseAdapter, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/config";
import { proxy } from "@/proxy";
import { newSessionToken, setSessionCookie } from "./console-session";

// M-8: refusals cost an anonymous caller nothing, so they may not cost the append-only audit
// log a row each; refusals of a signed-in person are still audited one by one. The proxy
// sends a made-up session cookie to /login instead of to a console page or action.
vi.mock("next/headers", async () => (await import("./console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("./console-session")).nextCache);

const { tenantAction } = await import("@/lib/actions/action");
const database = setupTestDatabase();

let tenantId: string;
beforeEach(async () => {
  await database.reset();
  tenantId = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
});

const rename = tenantAction(z.object({ tenantId: z.uuid() }), async () => {}, { action: "test.refusal_probe" });

const refusalRows = async () =>
  rowsOf<{ actor_label: string | null; actor_id: string | null }>(
    await database.db.execute(sql`select actor_label, actor_id from audit_events where action = 'test.refusal_probe' and outcome = 'failure'`),
  );

async function sessionOf(userName: string, consoleRole?: "tenant_admin") {
  const [user] = await database.db
    .insert(users)
    .values({ tenantId, userName, userNameNormalized: userName, email: userName, loginMethod: "password", ...(consoleRole ? { consoleRole } : {}) })
    .returning();
  const token = newSessionToken();
  await gatehouseAdapter(database.db).createSession!({ sessionToken: token, userId: user.id, expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) });
  return { user, token };
}

describe(`M-8: anonymous refusals are aggregated (${testDriver()})`, () => {
  it("50 anonymous calls (no cookie, a made-up cookie, forged tenant ids) add at most one audit row", async () => {
    for (let i = 0; i < 50; i++) {
      setSessionCookie(i % 2 ? "x" : null);
      const forged = i % 5 === 0 ? crypto.randomUUID() : tenantId;
      const answer = await rename(null, { tenantId: forged });
      expect(answer).toMatchObject({ ok: false, error: "You do not have permission to do that." });
    }
    const rows = await refusalRows();
    expect(rows.length).toBeLessThanOrEqual(1);
    expect(rows.every((r) => r.actor_label === "anonymous")).toBe(true);
  });

  it("a signed-in person's refusals are audited one row each", async () => {
    const { user, token } = await sessionOf("enduser@contoso.com");
    setSessionCookie(token);
    for (let i = 0; i < 3; i++) expect(await rename(null, { tenantId })).toMatchObject({ ok: false });
    const rows = await refusalRows();
    expect(rows.filter((r) => r.actor_id === user.id)).toHaveLength(3);
  });
});

describe("M-8: proxy.ts checks the session, not the cookie's name", () => {
  const visit = (cookie?: string) => proxy(new NextRequest("http://localhost:3000/dashboard", { headers: cookie ? { cookie } : {} }));
  const sentToLogin = (response: Response) => (response.headers.get("location") ?? "").includes("/login?callbackUrl=%2Fdashboard");

  it.each([undefined, "authjs.session-token=x", "__Secure-authjs.session-token=x", `authjs.session-token=${"a".repeat(4000)}`])("%#: a made-up or missing cookie → /login", async (cookie) => {
    expect(sentToLogin(await visit(cookie))).toBe(true);
  });

  it("a live session passes; an expired or ended one does not", async () => {
    const { token } = await sessionOf("admin@contoso.com", "tenant_admin");
    expect(sentToLogin(await visit(`authjs.session-token=${token}`))).toBe(false);
    await database.db.execute(sql`update sessions set created_at = now() - interval '25 hours'`);
    expect(sentToLogin(await visit(`authjs.session-token=${token}`))).toBe(true);
  });
});
