import { desc } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { auditEvents, sessions, users } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/config";
import { hashSessionToken } from "@/lib/auth/session-store";
import { newSessionToken, setSessionCookie } from "@/test/security/console-session";

vi.mock("next/headers", async () => (await import("@/test/security/console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("@/test/security/console-session")).nextCache);

const { saveIdpAction } = await import("@/app/(console)/identity-providers/actions");

const database = setupTestDatabase();
const FIRST_SECRET = "first-client-secret-value";
const SECOND_SECRET = "second-client-secret-value";

const form = (tenantId: string) => ({
  tenantId,
  newIdpId: crypto.randomUUID(),
  type: "oidc",
  name: "Entra",
  authMethod: "client_secret_post",
  clientId: "client-id",
  clientSecret: FIRST_SECRET,
  authorizationUrl: "https://login.example.test/authorize",
  tokenUrl: "https://login.example.test/token",
  jwksUrl: "https://login.example.test/keys",
  issuer: "https://login.example.test",
  usernameAttribute: "preferred_username",
  secureJwks: "on",
  grantType: "authorization_code",
  scopes: "openid profile email",
  pkce: "on",
});

const lastEvent = async () => (await database.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1))[0];

describe(`identity provider save: the audit row says what changed, never the secret (${testDriver()})`, () => {
  let tenantId: string;

  beforeAll(async () => {
    tenantId = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    const [admin] = await database.db
      .insert(users)
      .values({ tenantId: null, userName: "root@gatehouse.test", userNameNormalized: "root@gatehouse.test", email: "root@gatehouse.test", consoleRole: "platform_admin" })
      .returning({ id: users.id });
    const token = newSessionToken();
    await database.db.insert(sessions).values({ sessionToken: hashSessionToken(token), userId: admin.id, expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) });
    setSessionCookie(token);
  });

  it("keeps secretReplaced and tokenUrl on create, on an endpoint change with a new secret, and on a save without one", async () => {
    const created = await saveIdpAction(null, form(tenantId));
    expect(created).toMatchObject({ ok: true });
    const idpId = (created.data as { id: string }).id;
    const onCreate = await lastEvent();
    expect(onCreate).toMatchObject({ action: "idp.created", details: { secretReplaced: true, tokenUrl: "https://login.example.test/token", clientId: "client-id" } });

    const moved = { ...form(tenantId), idpId, tokenUrl: "https://login2.example.test/token", clientSecret: SECOND_SECRET };
    expect(await saveIdpAction(null, moved)).toMatchObject({ ok: true });
    const onMove = await lastEvent();
    expect(onMove).toMatchObject({
      action: "idp.updated",
      details: {
        secretReplaced: true,
        tokenUrl: "https://login2.example.test/token",
        endpointChanges: [{ field: "tokenUrl", from: "https://login.example.test", to: "https://login2.example.test" }],
      },
    });

    expect(await saveIdpAction(null, { ...moved, name: "Entra (prod)", clientSecret: "" })).toMatchObject({ ok: true });
    const onRename = await lastEvent();
    expect(onRename).toMatchObject({ action: "idp.updated", details: { secretReplaced: false, name: "Entra (prod)", tokenUrl: "https://login2.example.test/token" } });

    for (const event of [onCreate, onMove, onRename]) {
      const stored = JSON.stringify(event);
      expect(stored).not.toContain(FIRST_SECRET);
      expect(stored).not.toContain(SECOND_SECRET);
      expect(Object.keys(event.details ?? {})).not.toContain("clientSecret");
    }
  });
});
