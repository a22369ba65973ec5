import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { accounts, auditEvents, identityProviders, tenants, users } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Viewer } from "@/lib/auth/roles";
import { current } from "@/test/console/viewer-guards";
import { serializeTree } from "@/test/security/console-session";

// Issue 16, items 5–7, 9 and the "Match signed-in users by" setting: the console's IdP set-up
// as Entra's guides walk it. The guards read the Auth.js session; here each test sets the viewer.
vi.mock("@/lib/auth/guards", async () => (await import("@/test/console/viewer-guards")).viewerGuards);
vi.mock("next/headers", async () => (await import("@/test/security/console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("@/test/security/console-session")).nextCache);

const { saveIdpAction, activateIdpAction } = await import("@/app/(console)/identity-providers/actions");
const { default: IdentityProviderPage } = await import("@/app/(console)/identity-providers/[idpId]/page");
const { updateTenantAction } = await import("@/app/(console)/tenants/actions");
const { idpSchema, ISSUER_REQUIRED } = await import("@/lib/admin/identity-provider-schema");
const { NobodyCanSignInCallout } = await import("@/app/(console)/tenants/_components/nobody-can-sign-in-callout");

const database = setupTestDatabase();
const DIRECTORY = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const ENTRA = `https://login.microsoftonline.com/${DIRECTORY}`;

const admin = (tenantId: string): Viewer => ({
  userId: "00000000-0000-0000-0000-0000000000a1",
  name: null,
  email: "admin@contoso.test",
  userName: "admin@contoso.test",
  tenantId,
  platformRole: null,
  tenantRole: "tenant_admin",
});

function idpForm(tenantId: string, overrides: Record<string, string> = {}) {
  const form = new FormData();
  const fields: Record<string, string> = {
    tenantId,
    idpId: "",
    newIdpId: randomUUID(),
    type: "oidc",
    name: "Microsoft Entra ID",
    authMethod: "client_secret_post",
    clientId: "11111111-2222-3333-4444-555555555555",
    clientSecret: "entra-client-secret",
    authorizationUrl: `${ENTRA}/oauth2/v2.0/authorize`,
    tokenUrl: `${ENTRA}/oauth2/v2.0/token`,
    jwksUrl: `${ENTRA}/discovery/v2.0/keys`,
    usernameAttribute: "preferred_username",
    issuer: `${ENTRA}/v2.0`,
    grantType: "authorization_code",
    scopes: "openid profile email",
    secureJwks: "on",
    pkce: "on",
    ...overrides,
  };
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return form;
}

describe(`identity provider set-up in the console (${testDriver()})`, () => {
  let tenantId: string;
  let otherTenantId: string;

  beforeAll(async () => {
    tenantId = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    otherTenantId = (await createTenant({ name: "Fabrikam", slug: "fabrikam" })).id;
  });
  beforeEach(() => {
    current.viewer = admin(tenantId);
  });

  const lastEvent = async () => (await database.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1))[0];

  describe("item 5: OpenID Connect needs an Issuer URI", () => {
    it("refuses an OIDC provider without an issuer, with the error on the Issuer URI field", async () => {
      const other = "https://idp.example.test";
      const state = await saveIdpAction(null, idpForm(tenantId, { issuer: "", authorizationUrl: `${other}/authorize`, tokenUrl: `${other}/token`, jwksUrl: `${other}/keys` }));
      expect(state.ok).toBe(false);
      expect(state.fieldErrors?.issuer).toBe(ISSUER_REQUIRED);
    });

    it("says so on the first Save of an empty form, beside the other missing fields", async () => {
      const empty = idpForm(tenantId, { name: "", clientId: "", authorizationUrl: "", tokenUrl: "", jwksUrl: "", issuer: "" });
      const state = await saveIdpAction(null, empty);
      expect(state.fieldErrors).toMatchObject({ name: expect.any(String), authorizationUrl: expect.any(String), issuer: ISSUER_REQUIRED });
    });

    it("accepts an OAuth2 provider without an issuer", () => {
      const parsed = idpSchema.safeParse(Object.fromEntries(idpForm(tenantId, { type: "oauth2", issuer: "", scopes: "openid profile" })));
      expect(parsed.success).toBe(true);
    });

    it("saves the issuer an Entra Authentication URL's directory ID implies, when none is entered", async () => {
      const newIdpId = randomUUID();
      expect(await saveIdpAction(null, idpForm(tenantId, { newIdpId, issuer: "" }))).toMatchObject({ ok: true });
      const [row] = await database.db.select().from(identityProviders).where(eq(identityProviders.id, newIdpId));
      expect(row.issuer).toBe(`${ENTRA}/v2.0`);
    });

    it("still refuses an Entra \"common\" endpoint without an issuer: it names no directory", async () => {
      const common = "https://login.microsoftonline.com/common/oauth2/v2.0";
      const state = await saveIdpAction(null, idpForm(tenantId, { issuer: "", authorizationUrl: `${common}/authorize`, tokenUrl: `${common}/token` }));
      expect(state.fieldErrors?.issuer).toBe(ISSUER_REQUIRED);
    });

    it("refuses the {tenantid} template issuer, and an OAuth2 provider, on the common endpoints: they would accept any directory", async () => {
      const common = "https://login.microsoftonline.com/common/oauth2/v2.0";
      const endpoints = { authorizationUrl: `${common}/authorize`, tokenUrl: `${common}/token` };
      const template = await saveIdpAction(null, idpForm(tenantId, { issuer: "https://login.microsoftonline.com/{tenantid}/v2.0", ...endpoints }));
      expect(template.fieldErrors?.issuer).toMatch(/multi-tenant endpoints .* names no directory/);
      const oauth2 = await saveIdpAction(null, idpForm(tenantId, { type: "oauth2", issuer: "", ...endpoints }));
      expect(oauth2.fieldErrors?.issuer).toMatch(/multi-tenant endpoints/);
      const pinned = await saveIdpAction(null, idpForm(tenantId, { type: "oauth2", issuer: `${ENTRA}/v2.0`, ...endpoints }));
      expect(pinned.fieldErrors?.issuer).toBeUndefined();
    });
  });

  describe("item 5: a provider saved earlier without an issuer", () => {
    async function saved(values: Partial<typeof identityProviders.$inferInsert>) {
      const [row] = await database.db
        .insert(identityProviders)
        .values({ tenantId, name: "Legacy", clientId: "c", authorizationUrl: "https://idp.example.test/authorize", tokenUrl: "https://idp.example.test/token", jwksUrl: "https://idp.example.test/keys", ...values })
        .returning({ id: identityProviders.id });
      return serializeTree(await IdentityProviderPage({ params: Promise.resolve({ idpId: row.id }) }));
    }

    it("warns on its page that every sign-in fails", async () => {
      expect(await saved({ issuer: null })).toContain("No Issuer URI.");
    });

    it("shows the issuer an Entra directory implies, and no warning once one is saved", async () => {
      const entra = { authorizationUrl: `${ENTRA}/oauth2/v2.0/authorize`, tokenUrl: `${ENTRA}/oauth2/v2.0/token` };
      expect(await saved({ ...entra, issuer: null })).toContain(`${ENTRA}/v2.0`);
      expect(await saved({ issuer: `${ENTRA}/v2.0` })).not.toContain("No Issuer URI");
    });
  });

  describe("item 6: the Redirect URL is final before the first Save", () => {
    it("inserts the provider under the id the form was opened with", async () => {
      const newIdpId = randomUUID();
      const state = await saveIdpAction(null, idpForm(tenantId, { newIdpId }));
      expect(state).toMatchObject({ ok: true, data: { id: newIdpId } });
      const [row] = await database.db.select().from(identityProviders).where(eq(identityProviders.id, newIdpId));
      expect(row.tenantId).toBe(tenantId);
    });

    it("refuses an id that is not a uuid", async () => {
      const state = await saveIdpAction(null, idpForm(tenantId, { newIdpId: "idp-1" }));
      expect(state.ok).toBe(false);
      expect(state.fieldErrors?.newIdpId).toMatch(/Reload the page/);
    });

    it("refuses an id already taken, in this tenant or another, without touching that provider", async () => {
      const newIdpId = randomUUID();
      current.viewer = admin(otherTenantId);
      expect((await saveIdpAction(null, idpForm(otherTenantId, { newIdpId, name: "Fabrikam IdP" }))).ok).toBe(true);
      current.viewer = admin(tenantId);
      const state = await saveIdpAction(null, idpForm(tenantId, { newIdpId, name: "Hijack" }));
      expect(state.ok).toBe(false);
      expect(state.fieldErrors?.newIdpId).toMatch(/already saved/);
      expect(state.error).not.toContain("Fabrikam");
      const [row] = await database.db.select().from(identityProviders).where(eq(identityProviders.id, newIdpId));
      expect(row).toMatchObject({ tenantId: otherTenantId, name: "Fabrikam IdP" });
    });

    it("a second Save of the same new form does not create a second provider", async () => {
      const newIdpId = randomUUID();
      expect((await saveIdpAction(null, idpForm(tenantId, { newIdpId, name: "Twice" }))).ok).toBe(true);
      expect((await saveIdpAction(null, idpForm(tenantId, { newIdpId, name: "Twice" }))).ok).toBe(false);
      const rows = await database.db.select().from(identityProviders).where(and(eq(identityProviders.tenantId, tenantId), eq(identityProviders.name, "Twice")));
      expect(rows).toHaveLength(1);
    });
  });

  describe("item 7: activation wants a passing Test sign-in from the last 24 hours", () => {
    async function draft(test: { lastTestedAt?: Date; lastTestOk?: boolean } = {}) {
      const [row] = await database.db
        .insert(identityProviders)
        .values({
          tenantId,
          name: `Entra ${randomUUID().slice(0, 8)}`,
          clientId: "client",
          clientSecretEnc: encryptSecret("secret"),
          authorizationUrl: `${ENTRA}/oauth2/v2.0/authorize`,
          tokenUrl: `${ENTRA}/oauth2/v2.0/token`,
          jwksUrl: `${ENTRA}/discovery/v2.0/keys`,
          issuer: `${ENTRA}/v2.0`,
          ...test,
        })
        .returning({ id: identityProviders.id });
      return row.id;
    }
    const statusOf = async (id: string) => (await database.db.select().from(identityProviders).where(eq(identityProviders.id, id)))[0].status;
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

    it("refuses without any test unless forced", async () => {
      const idpId = await draft();
      const state = await activateIdpAction(null, { tenantId, idpId });
      expect(state.ok).toBe(false);
      expect(state.error).toMatch(/Test sign-in/);
      expect(await statusOf(idpId)).toBe("draft");
    });

    it("refuses after a failed test, or a passing one older than 24 hours", async () => {
      for (const idpId of [await draft({ lastTestedAt: hoursAgo(1), lastTestOk: false }), await draft({ lastTestedAt: hoursAgo(25), lastTestOk: true })]) {
        expect((await activateIdpAction(null, { tenantId, idpId })).ok).toBe(false);
        expect(await statusOf(idpId)).toBe("draft");
      }
    });

    it("activates after a passing test within 24 hours", async () => {
      const idpId = await draft({ lastTestedAt: hoursAgo(2), lastTestOk: true });
      expect(await activateIdpAction(null, { tenantId, idpId })).toMatchObject({ ok: true });
      expect(await statusOf(idpId)).toBe("active");
      expect((await lastEvent()).details).toMatchObject({ withoutRecentTest: false });
    });

    it("“Activate anyway” (force) activates and records that no recent test passed", async () => {
      const idpId = await draft();
      const form = new FormData();
      form.set("tenantId", tenantId);
      form.set("idpId", idpId);
      form.set("force", "true");
      expect(await activateIdpAction(null, form)).toMatchObject({ ok: true });
      expect(await statusOf(idpId)).toBe("active");
      expect(await lastEvent()).toMatchObject({ action: "idp.activated", targetId: idpId, details: { withoutRecentTest: true, lastTestedAt: null } });
    });
  });

  describe("item 9: an SSO-only tenant with nobody to let in says so", () => {
    it("shows the callout with both fixes when the tenant has no users and JIT is off", async () => {
      const text = await serializeTree(NobodyCanSignInCallout({ tenantId, userCount: 0, jitProvisioning: false }));
      expect(text).toContain("Nobody can sign in to this tenant yet");
      expect(text).toContain("Generate a provisioning token");
      expect(text).toContain(`/tenants/${tenantId}#provisioning-tokens`);
      expect(text).toContain("Enable just-in-time provisioning");
    });

    it("stays quiet once there are users or JIT is on", () => {
      expect(NobodyCanSignInCallout({ tenantId, userCount: 1, jitProvisioning: false })).toBeNull();
      expect(NobodyCanSignInCallout({ tenantId, userCount: 0, jitProvisioning: true })).toBeNull();
    });
  });

  describe("tenant setting “Match signed-in users by”", () => {
    function tenantForm(ssoMatchBy?: string) {
      const form = new FormData();
      for (const [key, value] of Object.entries({ tenantId, name: "Contoso", slug: "contoso", domains: "", userLinking: "conflict", defaultTokenDays: "30" })) {
        form.set(key, value);
      }
      if (ssoMatchBy !== undefined) form.set("ssoMatchBy", ssoMatchBy);
      return form;
    }
    const settingsOf = async () => (await database.db.select().from(tenants).where(eq(tenants.id, tenantId)))[0].settings;

    it("saves userName into tenants.settings.ssoMatchBy and audits it", async () => {
      expect(await updateTenantAction(null, tenantForm("userName"))).toMatchObject({ ok: true });
      expect((await settingsOf()).ssoMatchBy).toBe("userName");
      expect(await lastEvent()).toMatchObject({ action: "tenant.updated", details: { settings: { ssoMatchBy: "userName" } } });
    });

    it("saves objectId, and refuses an unknown value", async () => {
      expect(await updateTenantAction(null, tenantForm("objectId"))).toMatchObject({ ok: true });
      expect((await settingsOf()).ssoMatchBy).toBe("objectId");
      const state = await updateTenantAction(null, tenantForm("email"));
      expect(state.fieldErrors?.ssoMatchBy).toBe("Choose how signed-in users are matched");
      expect((await settingsOf()).ssoMatchBy).toBe("objectId");
    });
  });

  describe("security review M-2: a saved provider's endpoints or issuer change only with the client secret re-entered", () => {
    const ATTACKER = "https://attacker.example";
    async function activeIdp() {
      const newIdpId = randomUUID();
      expect(await saveIdpAction(null, idpForm(tenantId, { newIdpId }))).toMatchObject({ ok: true });
      await database.db
        .update(identityProviders)
        .set({ status: "active", lastTestOk: true, lastTestedAt: new Date() })
        .where(eq(identityProviders.id, newIdpId));
      return newIdpId;
    }
    const rowOf = async (id: string) => (await database.db.select().from(identityProviders).where(eq(identityProviders.id, id)))[0];
    const edit = (idpId: string, overrides: Record<string, string>) => saveIdpAction(null, idpForm(tenantId, { idpId, newIdpId: "", clientSecret: "", ...overrides }));

    for (const [field, value] of [
      ["tokenUrl", `${ATTACKER}/token`],
      ["authorizationUrl", `${ATTACKER}/authorize`],
      ["jwksUrl", `${ATTACKER}/keys`],
      ["userinfoUrl", `${ATTACKER}/userinfo`],
      ["logoutUrl", `${ATTACKER}/logout`],
      ["issuer", `${ATTACKER}/v2.0`],
    ] as const) {
      it(`refuses a changed ${field} with the secret left blank, and keeps the provider as it was`, async () => {
        const idpId = await activeIdp();
        const before = await rowOf(idpId);
        const state = await edit(idpId, { [field]: value });
        expect(state).toMatchObject({ ok: false, fieldErrors: { clientSecret: expect.stringContaining("Re-enter the client secret") } });
        expect(await rowOf(idpId)).toEqual(before);
      });
    }

    it("with the secret re-entered, saves, moves an active provider to inactive until a new Test sign-in, and audits old and new origins", async () => {
      const idpId = await activeIdp();
      const state = await edit(idpId, { tokenUrl: `${ATTACKER}/token`, clientSecret: "retyped-secret" });
      expect(state).toMatchObject({ ok: true, message: expect.stringContaining("inactive") });
      expect(await rowOf(idpId)).toMatchObject({ tokenUrl: `${ATTACKER}/token`, status: "inactive", lastTestOk: null, lastTestedAt: null });
      const event = await lastEvent();
      expect(event).toMatchObject({
        action: "idp.updated",
        details: { endpointChanges: [{ field: "tokenUrl", from: "https://login.microsoftonline.com", to: ATTACKER }], deactivated: true },
      });
      expect(JSON.stringify(event.details)).not.toContain("retyped-secret");
      expect(await activateIdpAction(null, { tenantId, idpId })).toMatchObject({ ok: false, error: expect.stringMatching(/Test sign-in/) });
    });

    it("keeps an active provider active when only its name or button label changes, secret blank", async () => {
      const idpId = await activeIdp();
      expect(await edit(idpId, { name: "Entra (renamed)", buttonLabel: "Sign in with Contoso" })).toMatchObject({ ok: true, message: "Identity Provider saved" });
      expect(await rowOf(idpId)).toMatchObject({ name: "Entra (renamed)", status: "active", lastTestOk: true });
    });

    it("takes a provider saved without an issuer as having the one its Entra directory implies: saving it again is no change", async () => {
      const idpId = await activeIdp();
      await database.db.update(identityProviders).set({ issuer: null }).where(eq(identityProviders.id, idpId));
      expect(await edit(idpId, { issuer: "" })).toMatchObject({ ok: true, message: "Identity Provider saved" });
      expect(await rowOf(idpId)).toMatchObject({ issuer: `${ENTRA}/v2.0`, status: "active" });
    });

    it("a changed issuer removes the provider's account bindings: subjects of another issuer are other people", async () => {
      const idpId = await activeIdp();
      const [user] = await database.db
        .insert(users)
        .values({ tenantId, userName: `bound-${idpId}@contoso.test`, userNameNormalized: `bound-${idpId}@contoso.test`, source: "scim", loginMethod: "sso" })
        .returning();
      await database.db.insert(accounts).values({ userId: user.id, type: "oidc", provider: `idp-${idpId}`, providerAccountId: randomUUID() });
      const OTHER = "https://login.microsoftonline.com/0b0b0b0b-0000-4000-8000-000000000000/v2.0";
      expect(await edit(idpId, { issuer: OTHER, clientSecret: "retyped-secret" })).toMatchObject({ ok: true });
      expect(await database.db.select().from(accounts).where(eq(accounts.provider, `idp-${idpId}`))).toEqual([]);
      expect((await lastEvent()).details).toMatchObject({ bindingsRemoved: 1 });
    });
  });
});
