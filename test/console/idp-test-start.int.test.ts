import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { auditEvents, identityProviders, sessions, users } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/config";
import { hashSessionToken } from "@/lib/auth/session-store";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { randomBytes } from "node:crypto";

// Mocked: only Next's request context (the browser's session cookie). The session, the guard
// and the audit log are real.
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    has: (name: string) => jar.has(name),
    set: () => {},
    delete: () => {},
  }),
  headers: async () => new Headers({ host: "localhost:3000", cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; ") }),
}));

const { startIdpTest } = await import("@/lib/auth/idp-test-start");

const database = setupTestDatabase();

describe(`"Test sign-in" is audited with the console's admin actor (${testDriver()})`, () => {
  let idpId: string;
  let adminId: string;

  beforeEach(async () => {
    await database.reset();
    const tenantId = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    const [idp] = await database.db
      .insert(identityProviders)
      .values({
        tenantId,
        name: "Contoso Entra",
        clientId: "contoso-client",
        clientSecretEnc: encryptSecret("contoso-secret"),
        authorizationUrl: "https://login.example.test/authorize",
        tokenUrl: "https://login.example.test/token",
        jwksUrl: "https://login.example.test/keys",
        status: "draft",
      })
      .returning();
    idpId = idp.id;
    const [admin] = await database.db
      .insert(users)
      .values({ tenantId, userName: "megan", userNameNormalized: "megan", email: "megan@contoso.test", consoleRole: "tenant_admin" })
      .returning();
    adminId = admin.id;
    const token = randomBytes(32).toString("base64url");
    await database.db.insert(sessions).values({ sessionToken: hashSessionToken(token), userId: adminId, expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) });
    jar.clear();
    jar.set("authjs.session-token", token);
  });

  it("labels the start by the admin's email, as every other console event (lib/audit.ts actors.admin)", async () => {
    await startIdpTest(idpId);
    const [event] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "idp.test_sign_in.start"), eq(auditEvents.targetId, idpId)));
    expect(event).toMatchObject({ actorType: "admin", actorId: adminId, actorLabel: "megan@contoso.test", outcome: "success" });
  });
});
