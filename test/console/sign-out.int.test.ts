import { readFileSync } from "node:fs";
import { desc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { accounts, auditEvents, identityProviders, sessions, users } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/config";
import { hashSessionToken } from "@/lib/auth/session-store";
import { newSessionToken, nextOutcome, setSessionCookie } from "@/test/security/console-session";

// Mocked: only Next's request context. Auth.js, the session row, the audit log and the IdP's
// Logout URL are the real ones.
vi.mock("next/headers", async () => (await import("@/test/security/console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("@/test/security/console-session")).nextCache);

const { signOutAction } = await import("@/lib/actions/sign-out");

const database = setupTestDatabase();
const LOGOUT_URL = "https://login.example.test/oauth2/v2.0/logout";

async function signIn(userId: string) {
  const token = newSessionToken();
  await database.db.insert(sessions).values({ sessionToken: hashSessionToken(token), userId, expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) });
  setSessionCookie(token);
}

/** Runs a sign-out action as the browser would and answers where it sends the browser. */
async function signOutVia(action: () => Promise<unknown>) {
  try {
    await action();
  } catch (error) {
    const outcome = nextOutcome(error);
    if (outcome && "redirect" in outcome) return outcome.redirect;
    throw error;
  }
  throw new Error("sign-out did not redirect");
}

const lastEvent = async () => (await database.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1))[0];

describe(`one sign-out path for the console menu and /me (${testDriver()})`, () => {
  let tenantId: string;
  let adminId: string;

  beforeEach(async () => {
    await database.reset();
    tenantId = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    const [idp] = await database.db
      .insert(identityProviders)
      .values({ tenantId, name: "Contoso Entra", clientId: "contoso-client", authorizationUrl: "https://login.example.test/authorize", tokenUrl: "https://login.example.test/token", jwksUrl: "https://login.example.test/keys", logoutUrl: LOGOUT_URL, status: "active" })
      .returning();
    const [admin] = await database.db
      .insert(users)
      .values({ tenantId, userName: "megan@contoso.test", userNameNormalized: "megan@contoso.test", source: "scim", loginMethod: "sso", consoleRole: "tenant_admin" })
      .returning();
    adminId = admin.id;
    await database.db.insert(accounts).values({ userId: adminId, type: "oidc", provider: `idp-${idp.id}`, providerAccountId: "megan-oid", id_token: "header.payload.signature" });
  });

  it("the console menu and /me's button both call the shared sign-out action", () => {
    for (const file of ["components/console/user-menu.tsx", "app/me/_components/sign-out-button.tsx"]) {
      expect(readFileSync(file, "utf8"), file).toMatch(/import \{ signOutAction \} from "@\/lib\/actions\/sign-out";/);
    }
  });

  it("ends the session, records auth.sign_out and sends the browser to the IdP's Logout URL", async () => {
    await signIn(adminId);
    const next = new URL(await signOutVia(signOutAction));
    expect(next.origin + next.pathname).toBe(LOGOUT_URL);
    expect(next.searchParams.get("id_token_hint")).toBe("header.payload.signature");
    expect(next.searchParams.get("client_id")).toBe("contoso-client");
    expect(next.searchParams.get("post_logout_redirect_uri")).toBe("http://localhost:3000/login?signedOut=1");
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, adminId))).toEqual([]);
    expect(await lastEvent()).toMatchObject({
      tenantId,
      action: "auth.sign_out",
      actorType: "user",
      actorId: adminId,
      targetId: adminId,
      outcome: "success",
      details: { idpLogout: true },
    });
  });

  it("without a Logout URL the browser goes to the sign-in page, and the event is still recorded", async () => {
    await database.db.update(identityProviders).set({ logoutUrl: null });
    await signIn(adminId);
    expect(await signOutVia(signOutAction)).toBe("/login?signedOut=1");
    expect(await lastEvent()).toMatchObject({ action: "auth.sign_out", actorId: adminId, details: null });
  });
});
