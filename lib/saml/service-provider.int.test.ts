import { randomUUID } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { identityProviders, samlRequests, type IdentityProvider } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { CLAIM, generateSigningKey, responseXml, signAssertion, signResponse, toBase64, type ResponseOptions, type SigningKey } from "@/test/fixtures/saml";
import { newBrowserToken, samlAuthorizeUrl, validateSamlResponse } from "./service-provider";
import { samlSpUrls } from "./urls";
import { samlAssertionConsumer } from "./flow";

const database = setupTestDatabase();
const ORIGIN = "https://gatehouse.example";
const IDP_ENTITY = "https://sts.windows.net/72f988bf-0000-0000-0000-000000000000/";

describe(`SAML response validation (${testDriver()})`, () => {
  let key: SigningKey;
  let otherKey: SigningKey;
  let idp: IdentityProvider;
  let sp: ReturnType<typeof samlSpUrls>;
  const oid = randomUUID();

  beforeAll(() => {
    key = generateSigningKey("Gatehouse test IdP");
    otherKey = generateSigningKey("Someone else");
  });

  async function makeIdp(values: Partial<IdentityProvider> = {}) {
    const tenant = await createTenant({ name: `Contoso ${randomUUID().slice(0, 6)}`, slug: `contoso-${randomUUID().slice(0, 8)}` });
    const [row] = await database.db
      .insert(identityProviders)
      .values({
        tenantId: tenant.id,
        type: "saml",
        name: "Entra SAML",
        clientId: "",
        authorizationUrl: "",
        tokenUrl: "",
        jwksUrl: "",
        issuer: IDP_ENTITY,
        samlSsoUrl: "https://login.microsoftonline.com/72f988bf/saml2",
        samlCertificates: [key.body],
        usernameAttribute: CLAIM.name,
        status: "active",
        ...values,
      })
      .returning();
    return row;
  }

  beforeEach(async () => {
    await database.reset();
    idp = await makeIdp();
    sp = samlSpUrls(ORIGIN, idp.id);
  });

  const base = (extra: Partial<ResponseOptions> = {}): ResponseOptions => ({
    issuer: IDP_ENTITY,
    audience: sp.entityId,
    acsUrl: sp.acsUrl,
    nameId: "megan@contoso.com",
    attributes: { [CLAIM.objectId]: oid, [CLAIM.tenantId]: "72f988bf", [CLAIM.name]: "megan@contoso.com", [CLAIM.displayName]: "Megan Bowen", [CLAIM.email]: "megan@contoso.com" },
    ...extra,
  });

  /** An SP-initiated request from one browser: its token and the AuthnRequest ID. */
  async function startRequest(forIdp = idp) {
    const token = newBrowserToken();
    await samlAuthorizeUrl(forIdp, ORIGIN, token, { callbackUrl: "/me" });
    const [row] = await database.db.select().from(samlRequests).where(eq(samlRequests.idpId, forIdp.id));
    return { token, requestId: row.id };
  }

  const post = (xml: string, token?: string, forIdp = idp) => validateSamlResponse(forIdp, ORIGIN, { SAMLResponse: toBase64(xml) }, token);

  it("accepts a signed assertion answering this browser's request, with Entra's claims mapped", async () => {
    const { token, requestId } = await startRequest();
    const result = await post(signAssertion(responseXml(base({ inResponseTo: requestId })), key), token);
    expect(result).toMatchObject({ ok: true, nameId: "megan@contoso.com", request: { id: requestId, callbackUrl: "/me" } });
    if (!result.ok) return;
    expect(result.claims).toMatchObject({ oid, tid: "72f988bf", sub: "megan@contoso.com", email: "megan@contoso.com", [CLAIM.name]: "megan@contoso.com", [CLAIM.displayName]: "Megan Bowen" });
  });

  it("accepts a response signed as a whole (assertion unsigned)", async () => {
    const { token, requestId } = await startRequest();
    expect(await post(signResponse(responseXml(base({ inResponseTo: requestId })), key), token)).toMatchObject({ ok: true });
  });

  it("accepts a certificate of the rollover list (the second of two)", async () => {
    const rolling = await makeIdp({ samlCertificates: [otherKey.body, key.body] });
    const urls = samlSpUrls(ORIGIN, rolling.id);
    const { token, requestId } = await startRequest(rolling);
    const xml = signAssertion(responseXml(base({ inResponseTo: requestId, audience: urls.entityId, acsUrl: urls.acsUrl })), key);
    expect(await post(xml, token, rolling)).toMatchObject({ ok: true });
  });

  it("refuses an unsigned response", async () => {
    const { token, requestId } = await startRequest();
    expect(await post(responseXml(base({ inResponseTo: requestId })), token)).toMatchObject({ ok: false, reason: "invalid_signature" });
  });

  it("refuses a signature by a certificate that is not configured, even when KeyInfo carries it", async () => {
    const { token, requestId } = await startRequest();
    const xml = signAssertion(responseXml(base({ inResponseTo: requestId })), otherKey);
    expect(xml).toContain("<X509Certificate>"); // xml-crypto embeds the signer's certificate
    expect(await post(xml, token)).toMatchObject({ ok: false, reason: "invalid_signature" });
  });

  it("refuses a signed assertion whose content was changed", async () => {
    const { token, requestId } = await startRequest();
    const xml = signAssertion(responseXml(base({ inResponseTo: requestId })), key).replaceAll("megan@contoso.com", "admin@contoso.com");
    expect(await post(xml, token)).toMatchObject({ ok: false, reason: "invalid_signature" });
  });

  describe("signature wrapping (XSW)", () => {
    const evilAssertion = (signed: string, id?: string) => {
      const original = /<Assertion [\s\S]*<\/Assertion>/.exec(signed)![0];
      return original
        .replace(/<Signature[\s\S]*<\/Signature>/, "")
        .replace(/ID="[^"]+"/, `ID="${id ?? `_${randomUUID()}`}"`)
        .replaceAll("megan@contoso.com", "admin@contoso.com");
    };

    it("XSW3: an evil assertion beside the signed one", async () => {
      const { token, requestId } = await startRequest();
      const signed = signAssertion(responseXml(base({ inResponseTo: requestId })), key);
      const evil = evilAssertion(signed);
      const xml = signed.replace("<Assertion ", `${evil}<Assertion `);
      expect(await post(xml, token)).toMatchObject({ ok: false, reason: "invalid_signature" });
    });

    it("XSW4: the signed assertion wrapped inside an evil one", async () => {
      const { token, requestId } = await startRequest();
      const signed = signAssertion(responseXml(base({ inResponseTo: requestId })), key);
      const original = /<Assertion [\s\S]*<\/Assertion>/.exec(signed)![0];
      const evil = evilAssertion(signed).replace("</Assertion>", `${original}</Assertion>`);
      expect(await post(signed.replace(original, evil), token)).toMatchObject({ ok: false, reason: "invalid_signature" });
    });

    it("XSW7/8: the signed assertion moved into the evil one's Signature, same ID", async () => {
      const { token, requestId } = await startRequest();
      const signed = signAssertion(responseXml(base({ inResponseTo: requestId })), key);
      const original = /<Assertion [\s\S]*<\/Assertion>/.exec(signed)![0];
      const id = /ID="([^"]+)"/.exec(original)![1];
      const signature = /<Signature[\s\S]*<\/Signature>/.exec(original)![0];
      const wrapped = signature.replace("</Signature>", `<Object>${original}</Object></Signature>`);
      const evil = evilAssertion(signed, id).replace("</Issuer>", `</Issuer>${wrapped}`);
      expect(await post(signed.replace(original, evil), token)).toMatchObject({ ok: false, reason: "invalid_signature" });
    });

    it("XSW1/2: a signed response copied into an evil unsigned response", async () => {
      const { token, requestId } = await startRequest();
      const signed = signResponse(responseXml(base({ inResponseTo: requestId })), key);
      const signature = /<Signature[\s\S]*?<\/Signature>/.exec(signed)![0];
      const evilResponse = signed
        .replace(signature, "")
        .replace(/ID="[^"]+"/, `ID="_${randomUUID()}"`)
        .replaceAll("megan@contoso.com", "admin@contoso.com");
      const xml = evilResponse.replace("</Issuer>", `</Issuer>${signature.replace("</Signature>", `<Object>${signed.replace(/<\?xml[^>]*>/, "")}</Object></Signature>`)}`);
      expect(await post(xml, token)).toMatchObject({ ok: false, reason: "invalid_signature" });
    });
  });

  it("reads a NameID or attribute with a comment inside as a whole, never the part before the comment", async () => {
    const { token, requestId } = await startRequest();
    const options = base({ inResponseTo: requestId, nameId: "admin@contoso.com.evil.test" });
    options.attributes![CLAIM.name] = "admin@contoso.com.evil.test";
    const signed = signAssertion(responseXml(options), key);
    // Exclusive c14n drops comments, so the signature still verifies after this.
    const xml = signed.replaceAll("admin@contoso.com.evil.test", "admin@contoso.com<!---->.evil.test");
    const result = await post(xml, token);
    expect(result).toMatchObject({ ok: true, nameId: "admin@contoso.com.evil.test", claims: { [CLAIM.name]: "admin@contoso.com.evil.test", sub: "admin@contoso.com.evil.test" } });
  });

  it("refuses a document with a DTD (entity expansion, external entities)", async () => {
    const { token, requestId } = await startRequest();
    const signed = signAssertion(responseXml(base({ inResponseTo: requestId })), key);
    const xml = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>${signed}`;
    expect(await post(xml, token)).toMatchObject({ ok: false, reason: "invalid_signature", detail: expect.stringContaining("DTD") });
  });

  it("refuses a replayed response: the request is consumed, and the assertion ID is remembered", async () => {
    const { token, requestId } = await startRequest();
    const xml = signAssertion(responseXml(base({ inResponseTo: requestId })), key);
    expect(await post(xml, token)).toMatchObject({ ok: true });
    expect(await post(xml, token)).toMatchObject({ ok: false, reason: "invalid_state" });
    // IdP-initiated: no request to consume; the remembered assertion ID refuses the second post.
    const open = await makeIdp({ samlAllowIdpInitiated: true });
    const urls = samlSpUrls(ORIGIN, open.id);
    const unsolicited = signAssertion(responseXml(base({ audience: urls.entityId, acsUrl: urls.acsUrl })), key);
    expect(await post(unsolicited, undefined, open)).toMatchObject({ ok: true });
    expect(await post(unsolicited, undefined, open)).toMatchObject({ ok: false, reason: "invalid_state", detail: expect.stringContaining("already used") });
  });

  it("refuses an expired assertion and one not yet valid; accepts a clock off by less than the skew", async () => {
    const past = await startRequest();
    expect(await post(signAssertion(responseXml(base({ inResponseTo: past.requestId, offsetMs: -60 * 60 * 1000 })), key), past.token)).toMatchObject({ ok: false, reason: "token_expired" });
    const future = await startRequest();
    expect(await post(signAssertion(responseXml(base({ inResponseTo: future.requestId, offsetMs: 60 * 60 * 1000 })), key), future.token)).toMatchObject({ ok: false });
    const skewed = await startRequest();
    expect(await post(signAssertion(responseXml(base({ inResponseTo: skewed.requestId, offsetMs: 2 * 60 * 1000 })), key), skewed.token)).toMatchObject({ ok: true });
  });

  it("refuses a wrong audience, recipient, destination or issuer", async () => {
    const cases: [Partial<ResponseOptions>, string][] = [
      [{ audience: "https://other.example/sp" }, "invalid_audience"],
      [{ recipient: "https://other.example/acs" }, "invalid_audience"],
      [{ destination: "https://other.example/acs" }, "invalid_audience"],
      [{ issuer: "https://sts.windows.net/someone-else/" }, "invalid_issuer"],
    ];
    for (const [change, reason] of cases) {
      const { token, requestId } = await startRequest();
      const result = await post(signAssertion(responseXml(base({ inResponseTo: requestId, ...change })), key), token);
      expect(result, JSON.stringify(change)).toMatchObject({ ok: false, reason });
    }
  });

  it("binds InResponseTo to the browser and the identity provider that started the request", async () => {
    const { requestId } = await startRequest();
    const xml = signAssertion(responseXml(base({ inResponseTo: requestId })), key);
    expect(await post(xml, newBrowserToken())).toMatchObject({ ok: false, reason: "invalid_state" });
    expect(await post(xml, undefined)).toMatchObject({ ok: false, reason: "invalid_state" });
    const unknown = await startRequest();
    expect(await post(signAssertion(responseXml(base({ inResponseTo: "_made-up" })), key), unknown.token)).toMatchObject({ ok: false, reason: "invalid_state" });
    // The same browser's request at another tenant's IdP does not answer for this one.
    const other = await makeIdp();
    const elsewhere = await startRequest(other);
    expect(await post(signAssertion(responseXml(base({ inResponseTo: elsewhere.requestId })), key), elsewhere.token)).toMatchObject({ ok: false, reason: "invalid_state" });
  });

  it("refuses an unsolicited (IdP-initiated) response unless the identity provider allows it", async () => {
    const xml = signAssertion(responseXml(base()), key);
    expect(await post(xml)).toMatchObject({ ok: false, reason: "invalid_state", detail: expect.stringContaining("IdP-initiated") });
    await database.db.update(identityProviders).set({ samlAllowIdpInitiated: true }).where(eq(identityProviders.id, idp.id));
    const allowed = { ...idp, samlAllowIdpInitiated: true };
    expect(await validateSamlResponse(allowed, ORIGIN, { SAMLResponse: toBase64(signAssertion(responseXml(base()), key)) }, undefined)).toMatchObject({ ok: true });
  });

  it("caps the size of the POST (413 before anything is parsed)", async () => {
    const body = `SAMLResponse=${"A".repeat(300 * 1024)}`;
    const response = await samlAssertionConsumer(new Request(sp.acsUrl, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } }), idp.id);
    expect(response.status).toBe(413);
  });
});
