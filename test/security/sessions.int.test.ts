import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it } from "vitest";
import { rowsOf, setupTestDatabase, testDriver } from "@/test/harness";
import { accounts, identityProviders, sessions, users } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { deleteIdentityProvider, setIdentityProviderStatus } from "@/lib/db/queries/identity-providers";
import { gatehouseAdapter, handlers, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/config";
import { hashSessionToken, SESSION_ABSOLUTE_LIFETIME_SECONDS } from "@/lib/auth/session-store";
import { resetEnvCache } from "@/lib/env";
import { newSessionToken } from "./console-session";

// ASVS 5.0 V7 (session management), through the adapter Auth.js calls and the real
// /api/auth/session route.
const database = setupTestDatabase();

let tenantId: string;
let idpId: string;

beforeEach(async () => {
  await database.reset();
  tenantId = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
  const [idp] = await database.db
    .insert(identityProviders)
    .values({ tenantId, name: "Contoso Entra", clientId: "c", authorizationUrl: "https://idp/auth", tokenUrl: "https://idp/token", jwksUrl: "https://idp/jwks", status: "active" })
    .returning();
  idpId = idp.id;
});

async function person(userName: string) {
  const [row] = await database.db
    .insert(users)
    .values({ tenantId, userName, userNameNormalized: userName, source: "scim", loginMethod: "sso" })
    .returning();
  return row;
}

async function signedIn(userId: string) {
  const token = newSessionToken();
  await gatehouseAdapter(database.db).createSession!({ sessionToken: token, userId, expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) });
  return token;
}

async function sessionEndpoint(token: string) {
  const response = await handlers.GET(new NextRequest("http://localhost:3000/api/auth/session", { headers: { cookie: `authjs.session-token=${token}` } }));
  return response.json();
}

const storedTokens = async () => (await database.db.select({ token: sessions.sessionToken }).from(sessions)).map((r) => r.token);

describe(`ASVS 7.2: session tokens are stored as SHA-256 (${testDriver()})`, () => {
  it("keeps only the hex SHA-256 of the cookie value, and the cookie value still signs in", async () => {
    const ada = await person("ada@contoso.com");
    const token = await signedIn(ada.id);
    expect(await storedTokens()).toEqual([hashSessionToken(token)]);
    expect(hashSessionToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(await sessionEndpoint(token)).toMatchObject({ user: { id: ada.id } });
  });

  it("does not accept the stored hash as a cookie (a database dump opens no session)", async () => {
    const ada = await person("ada@contoso.com");
    await signedIn(ada.id);
    const [stored] = await storedTokens();
    expect(await sessionEndpoint(stored)).toBeNull();
  });

  it("sign-out deletes the row the cookie names", async () => {
    const ada = await person("ada@contoso.com");
    const token = await signedIn(ada.id);
    await gatehouseAdapter(database.db).deleteSession!(token);
    expect(await storedTokens()).toEqual([]);
  });
});

describe("ASVS 7.3.2: an absolute session lifetime", () => {
  it(`ends a session ${SESSION_ABSOLUTE_LIFETIME_SECONDS / 3600} h after it began, however recently it slid forward`, async () => {
    const ada = await person("ada@contoso.com");
    const token = await signedIn(ada.id);
    await database.db.execute(sql`update sessions set created_at = now() - interval '24 hours 1 minute', expires = now() + interval '7 hours'`);
    expect(await sessionEndpoint(token)).toBeNull();
    expect(await storedTokens()).toEqual([]);
  });

  it("never slides the expiry past the absolute end", async () => {
    const ada = await person("ada@contoso.com");
    const token = await signedIn(ada.id);
    // Twenty hours in and last refreshed more than updateAge ago: Auth.js slides it by maxAge (8 h).
    await database.db.execute(sql`update sessions set created_at = now() - interval '20 hours', expires = now() + interval '1 hour'`);
    expect(await sessionEndpoint(token)).toMatchObject({ user: { id: ada.id } });
    const [row] = rowsOf<{ remaining: number }>(
      await database.db.execute(sql`select extract(epoch from (expires - (created_at + interval '24 hours')))::int as remaining from sessions`),
    );
    expect(row.remaining).toBeLessThanOrEqual(0);
    const [after] = rowsOf<{ left: number }>(await database.db.execute(sql`select extract(epoch from (expires - now()))::int as left from sessions`));
    expect(after.left).toBeGreaterThan(3 * 3600);
    expect(after.left).toBeLessThanOrEqual(4 * 3600 + 5);
  });
});

describe("the sessions of a deactivated or deleted identity provider end", () => {
  async function boundTo(userName: string, provider: string) {
    const user = await person(userName);
    await database.db.insert(accounts).values({ userId: user.id, type: "oidc", provider, providerAccountId: randomUUID() });
    return { user, token: await signedIn(user.id) };
  }

  it.each([
    ["deactivated", () => setIdentityProviderStatus(tenantId, idpId, "inactive")],
    ["deleted", () => deleteIdentityProvider(tenantId, idpId)],
  ])("%s: users bound to it are signed out, others stay signed in", async (_label, end) => {
    const [other] = await database.db
      .insert(identityProviders)
      .values({ tenantId, name: "Okta", clientId: "c", authorizationUrl: "https://okta/auth", tokenUrl: "https://okta/token", jwksUrl: "https://okta/jwks", status: "active" })
      .returning();
    const megan = await boundTo("megan@contoso.com", `idp-${idpId}`);
    const alex = await boundTo("alex@contoso.com", `idp-${other.id}`);
    const local = await person("admin@contoso.com");
    const localToken = await signedIn(local.id);
    await end();
    expect(await sessionEndpoint(megan.token)).toBeNull();
    expect(await sessionEndpoint(alex.token)).toMatchObject({ user: { id: alex.user.id } });
    expect(await sessionEndpoint(localToken)).toMatchObject({ user: { id: local.id } });
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, megan.user.id))).toEqual([]);
  });
});

describe("GATEHOUSE_QUERY_LOG", () => {
  it("prints statements without their bound values", async () => {
    const ada = await person("ada@contoso.com");
    const { captureLogs } = await import("@/lib/log");
    const capture = captureLogs("debug");
    process.env.GATEHOUSE_QUERY_LOG = "1";
    resetEnvCache();
    try {
      const token = await signedIn(ada.id);
      await sessionEndpoint(token);
      const output = capture.lines.join("\n");
      expect(output).toContain('"msg":"sql"');
      expect(output).toContain("sessions");
      expect(output).not.toContain(token);
      expect(output).not.toContain(hashSessionToken(token));
      expect(output).not.toContain(ada.id);
    } finally {
      delete process.env.GATEHOUSE_QUERY_LOG;
      resetEnvCache();
      capture.restore();
    }
  });
});
