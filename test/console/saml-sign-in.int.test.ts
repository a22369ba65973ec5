import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { accounts, auditEvents, identityProviders, samlRequests, sessions, users } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import type { Viewer } from "@/lib/auth/roles";
import { current } from "@/test/console/viewer-guards";
import { CLAIM, generateSigningKey, responseXml, signAssertion, toBase64, type SigningKey } from "@/test/fixtures/saml";

// Issue 14: a SAML identity provider set up through the console's actions (metadata import,
// save, Test sign-in, activation), then sign-in through the real ACS route handler: the user is
// matched as for OIDC and gets the same database session; refusals get OIDC's reasons and audit.
// next/headers is replaced by a cookie jar (the route handlers' cookies() needs a request).
const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    has: (name: string) => jar.has(name),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string | { name: string }) => void jar.delete(typeof name === "string" ? name : name.name),
  }),
  headers: async () => new Headers({ host: "localhost:3000" }),
}));
vi.mock("@/lib/auth/guards", async () => (await import("@/test/console/viewer-guards")).viewerGuards);
vi.mock("next/cache", async () => (await import("@/test/security/console-session")).nextCache);

const { saveIdpAction, activateIdpAction, importSamlMetadataAction } = await import("@/app/(console)/identity-providers/actions");
const { samlAssertionConsumer, startSamlSignIn } = await import("@/lib/saml/flow");
const { startIdpTest } = await import("@/lib/auth/idp-test-start");
const { samlSpUrls } = await import("@/lib/saml/urls");
const { SAML_BROWSER_COOKIE } = await import("@/lib/saml/service-provider");

const database = setupTestDatabase();
const ORIGIN = "http://localhost:3000";
const ENTITY = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/";

function metadata(cert: string) {
  return `<EntityDescriptor entityID="${ENTITY}" xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${cert}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>` +
    `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/72f988bf/saml2"/>` +
    `</IDPSSODescriptor></EntityDescriptor>`;
}

describe(`SAML identity provider: console set-up and sign-in (${testDriver()})`, () => {
  let key: SigningKey;
  let tenantId: string;
  let idpId: string;
  const admin = (): Viewer => ({ userId: randomUUID(), name: null, email: "admin@contoso.test", userName: "admin@contoso.test", tenantId, platformRole: null, tenantRole: "tenant_admin" });

  beforeAll(async () => {
    key = generateSigningKey();
    tenantId = (await createTenant({ name: "Contoso", slug: "contoso-saml" })).id;
  });
  beforeEach(() => {
    jar.clear();
    current.viewer = admin();
  });

  function samlForm(overrides: Record<string, string> = {}) {
    const form = new FormData();
    const fields: Record<string, string> = {
      tenantId, idpId: "", newIdpId: randomUUID(), type: "saml", name: "Entra SAML", description: "",
      authMethod: "client_secret_post", clientId: "", authorizationUrl: "", tokenUrl: "", jwksUrl: "", userinfoUrl: "", resource: "", audience: "",
      grantType: "authorization_code", scopes: "openid profile email", secureJwks: "true", pkce: "true",
      issuer: ENTITY, samlSsoUrl: "https://login.microsoftonline.com/72f988bf/saml2", samlCertificates: key.cert, logoutUrl: "",
      usernameAttribute: CLAIM.name, displayNameAttribute: CLAIM.displayName, buttonLabel: "",
      ...overrides,
    };
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return form;
  }

  /** The browser's round trip: start, then post the IdP's signed answer to the ACS with the cookies it holds. */
  async function signIn(attributes: Record<string, string | string[]>, start: () => Promise<Response>) {
    const started = await start();
    const [request] = await database.db.select().from(samlRequests).where(eq(samlRequests.idpId, idpId)).orderBy(desc(samlRequests.createdAt)).limit(1);
    const urls = samlSpUrls(ORIGIN, idpId);
    const xml = signAssertion(responseXml({ issuer: ENTITY, audience: urls.entityId, acsUrl: urls.acsUrl, inResponseTo: request.id, nameId: String(attributes[CLAIM.name]), attributes }), key);
    const response = await samlAssertionConsumer(new Request(urls.acsUrl, { method: "POST", body: new URLSearchParams({ SAMLResponse: toBase64(xml) }) }), idpId);
    return { started, response, location: response.headers.get("location") ?? "" };
  }

  const spStart = () => startSamlSignIn(new Request(`${ORIGIN}/api/auth/saml/${idpId}/login?callbackUrl=/me`), idpId);
  const claims = (upn: string, oid = randomUUID()) => ({ [CLAIM.objectId]: oid, [CLAIM.name]: upn, [CLAIM.displayName]: "Megan Bowen", [CLAIM.email]: upn });

  it("imports the metadata, saves without a client secret, tests and activates; then matches, binds and starts a session", async () => {
    const imported = await importSamlMetadataAction(null, { tenantId, xml: metadata(key.body) });
    expect(imported).toMatchObject({ ok: true, data: { entityId: ENTITY, certificates: [key.body] } });
    const refused = await saveIdpAction(null, samlForm({ samlCertificates: "", issuer: "" }));
    expect(refused.fieldErrors).toMatchObject({ samlCertificates: expect.stringContaining("certificate"), issuer: expect.stringContaining("entity ID") });
    const form = samlForm();
    idpId = String(form.get("newIdpId"));
    expect(await saveIdpAction(null, form)).toMatchObject({ ok: true });
    const [row] = await database.db.select().from(identityProviders).where(eq(identityProviders.id, idpId));
    expect(row).toMatchObject({ type: "saml", clientSecretEnc: null, samlCertificates: [key.body], issuer: ENTITY, samlAllowIdpInitiated: false });

    // Test sign-in of the draft: a report, no session, even though nobody is provisioned yet.
    const tested = await signIn(claims("megan@contoso.com"), () => startIdpTest(idpId));
    expect(tested.started.headers.get("location")).toMatch(/^https:\/\/login\.microsoftonline\.com\/72f988bf\/saml2\?SAMLRequest=/);
    expect(tested.location).toBe(`${ORIGIN}/idp-test/${idpId}`);
    const [afterTest] = await database.db.select().from(identityProviders).where(eq(identityProviders.id, idpId));
    expect(afterTest.lastTestOk).toBe(true);
    expect(await database.db.select().from(sessions)).toHaveLength(0);
    expect(await activateIdpAction(null, { tenantId, idpId })).toMatchObject({ ok: true });

    const [megan] = await database.db.insert(users).values({ tenantId, userName: "megan@contoso.com", userNameNormalized: "megan@contoso.com", source: "scim", loginMethod: "sso" }).returning();
    const oid = randomUUID();
    const signedIn = await signIn(claims("megan@contoso.com", oid), spStart);
    expect(signedIn.location).toBe(`${ORIGIN}/me`);
    const [session] = await database.db.select().from(sessions).where(eq(sessions.userId, megan.id));
    expect(session).toBeDefined();
    expect(jar.get("authjs.session-token")).toBeTruthy();
    const [binding] = await database.db.select().from(accounts).where(eq(accounts.userId, megan.id));
    expect(binding).toMatchObject({ provider: `idp-${idpId}`, providerAccountId: oid, type: "saml" });
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "auth.sign_in.sso")).orderBy(desc(auditEvents.id)).limit(1);
    expect(event).toMatchObject({ outcome: "success", targetId: idpId });

    // After the first sign-in the binding decides: a renamed UPN with the same object id is still Megan.
    const renamed = await signIn(claims("megan.bowen@contoso.com", oid), spStart);
    expect(renamed.location).toBe(`${ORIGIN}/me`);
  });

  // Entra's default SAML claim set, whole (https://learn.microsoft.com/en-us/entra/identity-platform/reference-saml-tokens):
  // givenname, surname, name (UPN), emailaddress (user.mail: absent for a user without a mailbox),
  // tenantid, objectidentifier, identityprovider, displayname, and authnmethodsreferences once per
  // method used. A cloud-only user without a mailbox must still sign in by the UPN.
  it("signs in a user without a mailbox from Entra's whole default claim set, multi-valued claims included", async () => {
    const [lynne] = await database.db.insert(users).values({ tenantId, userName: "lynne@contoso.com", userNameNormalized: "lynne@contoso.com", source: "scim", loginMethod: "sso" }).returning();
    const directory = randomUUID();
    const signedIn = await signIn(
      {
        [CLAIM.tenantId]: directory,
        [CLAIM.objectId]: randomUUID(),
        [CLAIM.name]: "lynne@contoso.com",
        [CLAIM.givenName]: "Lynne",
        [CLAIM.surname]: "Robbins",
        [CLAIM.displayName]: "Lynne Robbins",
        [CLAIM.identityProvider]: `https://sts.windows.net/${directory}/`,
        [CLAIM.authnMethods]: ["http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password", "http://schemas.microsoft.com/claims/multipleauthn"],
      },
      spStart,
    );
    expect(signedIn.location).toBe(`${ORIGIN}/me`);
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, lynne.id))).toHaveLength(1);
  });

  it("refuses an inactive and an unprovisioned user with OIDC's reasons, page and audit", async () => {
    await database.db.insert(users).values({ tenantId, userName: "adele@contoso.com", userNameNormalized: "adele@contoso.com", source: "scim", loginMethod: "sso", active: false });
    const inactive = await signIn(claims("adele@contoso.com"), spStart);
    expect(new URL(inactive.location).pathname).toBe("/login/error");
    expect(new URL(inactive.location).searchParams.get("reason")).toBe("inactive");
    const nobody = await signIn(claims("nobody@contoso.com"), spStart);
    expect(new URL(nobody.location).searchParams.get("reason")).toBe("not_provisioned");
    const events = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "auth.sign_in.sso"), eq(auditEvents.outcome, "failure"))).orderBy(desc(auditEvents.id)).limit(2);
    expect(events.map((e) => (e.details as { reason?: string }).reason)).toEqual(["not_provisioned", "inactive"]);
  });

  it("refuses a response posted without the browser cookie the request set", async () => {
    const { location } = await signIn(claims("megan.bowen@contoso.com"), async () => {
      const response = await spStart();
      jar.delete(SAML_BROWSER_COOKIE);
      return response;
    });
    expect(new URL(location).searchParams.get("reason")).toBe("invalid_state");
  });
});
