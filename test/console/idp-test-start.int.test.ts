import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { auditEvents, identityProviders } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { signInConsoleUser } from "@/test/security/signed-in-admin";

// Mocked: only Next's request context (the browser's session cookie, console-session.ts).
// The session, the guard and the audit log are real.
vi.mock("next/headers", async () => (await import("@/test/security/console-session")).nextHeaders);

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
    adminId = await signInConsoleUser(database.db, { tenantId, userName: "megan", userNameNormalized: "megan", email: "megan@contoso.test", consoleRole: "tenant_admin" });
  });

  it("labels the start by the admin's email, as every other console event (lib/audit.ts actors.admin)", async () => {
    await startIdpTest(idpId);
    const [event] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "idp.test_sign_in.start"), eq(auditEvents.targetId, idpId)));
    expect(event).toMatchObject({ actorType: "admin", actorId: adminId, actorLabel: "megan@contoso.test", outcome: "success" });
  });
});
