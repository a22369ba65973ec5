import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { parseXml2JsFromString } from "@node-saml/node-saml/lib/xml";
import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from "@node-saml/node-saml";
import type { IdentityProvider } from "../db/schema";
import { deleteSamlRequest, findSamlRequest, rememberSamlAssertion, saveSamlRequest, type SamlRequestRow } from "../db/queries/saml";
import type { IdpProfile } from "../auth/idp-provider";
import type { SsoFailureReason } from "../auth/sso-errors";
import { ENTRA_SAML_CLAIMS, samlSpUrls } from "./urls";
import { pemOfCertificate } from "./certificates";

// Gatehouse as a SAML 2.0 service provider, on @node-saml/node-saml (signatures through
// xml-crypto; no XML signature code of our own). What node-saml leaves to its caller is
// done here: the browser binding of InResponseTo, assertion replay across instances, the
// Recipient and Destination checks, the refusal of DTDs, and the mapping to claims.

/** Clock skew accepted on NotBefore / NotOnOrAfter, either way. */
export const SAML_CLOCK_SKEW_MS = 3 * 60 * 1000;
/** How long an AuthnRequest waits for its response. */
export const SAML_REQUEST_TTL_MS = 10 * 60 * 1000;
/** The largest SAMLResponse POST body accepted (Entra's, with group claims, stays far below). */
export const SAML_POST_LIMIT_BYTES = 256 * 1024;
/** The HttpOnly cookie binding an AuthnRequest to the browser that started it. */
export const SAML_BROWSER_COOKIE = "gatehouse.saml-request";

export type SamlRefusal = { ok: false; reason: SsoFailureReason; detail: string; request?: SamlRequestRow };
export type SamlSignIn = {
  ok: true;
  claims: IdpProfile;
  nameId: string;
  assertionId: string;
  /** The AuthnRequest this answers; undefined for an IdP-initiated (unsolicited) response. */
  request?: SamlRequestRow;
  relayState?: string;
};

export function hashBrowserToken(token: string) {
  return createHash("sha256").update(`saml-browser.${token}`, "utf8").digest("hex");
}

export function newBrowserToken() {
  return randomBytes(32).toString("base64url");
}

/**
 * node-saml's request cache, kept in saml_requests: `getAsync` finds a request only when this
 * browser started it (its cookie's hash), `removeAsync` consumes it.
 */
class RequestStore implements CacheProvider {
  found?: SamlRequestRow;
  constructor(
    private readonly idp: IdentityProvider,
    private readonly browserHash: string | undefined,
    private readonly pending?: { callbackUrl: string; testAdminUserId?: string },
  ) {}
  async saveAsync(key: string, value: string) {
    if (!this.browserHash || !this.pending) throw new Error("No browser binding for this request");
    await saveSamlRequest({
      id: key,
      tenantId: this.idp.tenantId,
      idpId: this.idp.id,
      browserHash: this.browserHash,
      callbackUrl: this.pending.callbackUrl,
      testAdminUserId: this.pending.testAdminUserId,
      expiresAt: new Date(Date.now() + SAML_REQUEST_TTL_MS),
    });
    return { value, createdAt: Date.now() };
  }
  async getAsync(key: string) {
    if (!this.browserHash) return null;
    const row = this.found?.id === key ? this.found : await findSamlRequest(this.idp.tenantId, this.idp.id, key, this.browserHash);
    if (!row) return null;
    this.found = row;
    return row.createdAt.toISOString();
  }
  async removeAsync(key: string | null) {
    if (key) await deleteSamlRequest(this.idp.tenantId, this.idp.id, key);
    return key;
  }
}

function samlFor(idp: IdentityProvider, origin: string, store: RequestStore) {
  const sp = samlSpUrls(origin, idp.id);
  const certificates = (idp.samlCertificates ?? []).map(pemOfCertificate);
  return new SAML({
    entryPoint: idp.samlSsoUrl ?? undefined,
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    audience: sp.entityId,
    idpIssuer: idp.issuer ?? undefined,
    // The configured certificates only; never a KeyInfo the message carries.
    idpCert: certificates.length > 0 ? certificates : "-",
    // A signature on the response or on the assertion (node-saml requires one of them).
    wantAuthnResponseSigned: false,
    wantAssertionsSigned: false,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.ifPresent,
    requestIdExpirationPeriodMs: SAML_REQUEST_TTL_MS,
    cacheProvider: store,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    generateUniqueId: () => `_${randomBytes(20).toString("hex")}`,
  });
}

/** The SP metadata Entra (or any IdP) can import: entity ID and ACS URL. */
export function serviceProviderMetadata(idp: IdentityProvider, origin: string) {
  const sp = samlSpUrls(origin, idp.id);
  return samlFor(idp, origin, new RequestStore(idp, undefined)).generateServiceProviderMetadata(null, null).replace(
    "</SPSSODescriptor>",
    `<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${sp.logoutUrl}"/></SPSSODescriptor>`,
  );
}

/**
 * The IdP URL an SP-initiated sign-in goes to (HTTP-Redirect binding), with the AuthnRequest
 * saved and bound to `browserToken`'s browser.
 */
export async function samlAuthorizeUrl(
  idp: IdentityProvider,
  origin: string,
  browserToken: string,
  pending: { callbackUrl: string; testAdminUserId?: string; loginHint?: string },
): Promise<string> {
  if (!idp.samlSsoUrl) throw new Error("No SAML sign-on URL is saved");
  const store = new RequestStore(idp, hashBrowserToken(browserToken), pending);
  const saml = samlFor(idp, origin, store);
  const params = pending.loginHint ? { additionalParams: { login_hint: pending.loginHint } } : {};
  return saml.getAuthorizeUrlAsync("", undefined, params);
}

function refuse(reason: SsoFailureReason, detail: string): SamlRefusal {
  return { ok: false, reason, detail: detail.slice(0, 500) };
}

/** What node-saml threw, as the reasons OIDC refusals use. */
function classify(error: unknown): SamlRefusal {
  const message = error instanceof Error ? error.message : String(error);
  if (/InResponseTo|SubjectInResponseTo/i.test(message)) return refuse("invalid_state", message);
  if (/signature|Invalid document/i.test(message)) return refuse("invalid_signature", message);
  // node-saml reports a SubjectConfirmation outside its time window as "no valid subject confirmation".
  if (/expired|NotBefore|NotOnOrAfter|not yet valid|No valid subject confirmation/i.test(message)) return refuse("token_expired", message);
  if (/audience/i.test(message)) return refuse("invalid_audience", message);
  if (/issuer/i.test(message)) return refuse("invalid_issuer", message);
  if (/SAML provider returned/i.test(message)) return refuse("idp_error", message);
  return refuse("configuration", message);
}

type XmlNode = { $?: Record<string, string>; _?: string; [child: string]: unknown };
const first = (value: unknown) => (Array.isArray(value) ? (value[0] as XmlNode | undefined) : undefined);

function attributeString(value: unknown): string | string[] | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const strings = value.filter((v): v is string => typeof v === "string");
    return strings.length > 0 ? strings : undefined;
  }
  return undefined;
}

/** A verified profile as the claims OIDC matching reads: oid/tid from Entra's claims, sub = NameID. */
export function claimsOfProfile(profile: Profile): IdpProfile {
  const claims: IdpProfile = {};
  for (const [name, value] of Object.entries(profile)) {
    if (!/^[a-z]+:\/\//i.test(name) && !name.startsWith("urn:")) continue;
    const text = attributeString(value);
    if (text !== undefined) claims[name] = text;
  }
  if (profile.nameID) claims.sub = profile.nameID;
  const oid = claims[ENTRA_SAML_CLAIMS.objectId];
  if (typeof oid === "string" && oid) claims.oid = oid;
  const tid = claims[ENTRA_SAML_CLAIMS.tenantId];
  if (typeof tid === "string" && tid) claims.tid = tid;
  const email = claims[ENTRA_SAML_CLAIMS.email] ?? profile.email ?? profile.mail;
  if (typeof email === "string" && email) claims.email = email;
  else if (profile.nameIDFormat === "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" && profile.nameID) claims.email = profile.nameID;
  return claims;
}

/**
 * Validates a posted SAMLResponse for this IdP. node-saml verifies the signature (response or
 * assertion, configured certificates only, the signed element being the one read), issuer,
 * audience, NotBefore/NotOnOrAfter with bounded skew and InResponseTo against requests this
 * browser started; here: no DTD, Destination and Recipient = our ACS, an unsolicited response
 * only when the IdP allows IdP-initiated sign-in, and each assertion ID once.
 */
export async function validateSamlResponse(
  idp: IdentityProvider,
  origin: string,
  form: { SAMLResponse?: string; RelayState?: string },
  browserToken: string | undefined,
): Promise<SamlSignIn | SamlRefusal> {
  if (!form.SAMLResponse) return refuse("configuration", "The POST carried no SAMLResponse");
  if (!/^[A-Za-z0-9+/=\s]+$/.test(form.SAMLResponse)) return refuse("configuration", "SAMLResponse is not base64");
  const xml = Buffer.from(form.SAMLResponse, "base64").toString("utf8");
  // No DTD, hence no entity expansion or external entity: a SAML message never needs one.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return refuse("invalid_signature", "The response contains a DTD, which SAML messages never need");
  if (idp.samlCertificates.length === 0) return refuse("configuration", "No signing certificate is saved for this identity provider");
  const sp = samlSpUrls(origin, idp.id);
  const store = new RequestStore(idp, browserToken ? hashBrowserToken(browserToken) : undefined);
  let profile: Profile | null;
  try {
    ({ profile } = await samlFor(idp, origin, store).validatePostResponseAsync({ SAMLResponse: form.SAMLResponse }));
  } catch (error) {
    return { ...classify(error), request: store.found };
  }
  if (!profile) return refuse("configuration", "The response carried no assertion");
  const inResponseTo = typeof profile.inResponseTo === "string" ? profile.inResponseTo : undefined;
  if (!inResponseTo && !idp.samlAllowIdpInitiated) {
    return refuse("invalid_state", "Unsolicited response (IdP-initiated sign-in), which this identity provider does not allow");
  }
  const request = inResponseTo ? store.found : undefined;
  if (inResponseTo && !request) return refuse("invalid_state", "InResponseTo names no request this browser started");
  const refuseFor = (reason: SsoFailureReason, detail: string): SamlRefusal => ({ ...refuse(reason, detail), request });
  // node-saml checks `idpIssuer` on logout messages only: the signed assertion's Issuer is checked here.
  if (idp.issuer && profile.issuer !== idp.issuer) return refuseFor("invalid_issuer", `Issuer ${profile.issuer ?? "(none)"} is not this identity provider's entity ID`);
  const response = await responseAttributes(xml);
  if (response.issuer && idp.issuer && response.issuer !== idp.issuer) return refuseFor("invalid_issuer", `Response issuer ${response.issuer} is not this identity provider's entity ID`);
  if (response.destination && response.destination !== sp.acsUrl) {
    return refuseFor("invalid_audience", `Destination ${response.destination} is not this identity provider's Reply URL`);
  }
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlNode } | undefined)?.Assertion;
  const assertionId = assertion?.$?.ID;
  if (!assertion || !assertionId) return refuseFor("configuration", "The assertion has no ID");
  const confirmations = (first(assertion.Subject)?.SubjectConfirmation as XmlNode[] | undefined) ?? [];
  const data = confirmations.map((c) => first(c.SubjectConfirmationData)?.$).filter((d): d is Record<string, string> => Boolean(d));
  if (!data.some((d) => d.Recipient === sp.acsUrl)) return refuseFor("invalid_audience", "No SubjectConfirmation names this Reply URL as its Recipient");
  const notOnOrAfter = [...data.map((d) => d.NotOnOrAfter), first(assertion.Conditions)?.$?.NotOnOrAfter]
    .map((v) => (v ? Date.parse(v) : NaN))
    .filter((v) => Number.isFinite(v));
  const expires = new Date((notOnOrAfter.length ? Math.max(...notOnOrAfter) : Date.now() + 60 * 60 * 1000) + SAML_CLOCK_SKEW_MS);
  if (!(await rememberSamlAssertion(idp.tenantId, idp.id, assertionId, expires))) {
    return refuseFor("invalid_state", `Assertion ${assertionId} was already used (replay)`);
  }
  if (!profile.nameID) return refuseFor("missing_claim", "The assertion has no NameID");
  return { ok: true, claims: claimsOfProfile(profile), nameId: profile.nameID, assertionId, request, relayState: form.RelayState };
}

async function responseAttributes(xml: string): Promise<{ destination?: string; issuer?: string }> {
  const doc = (await parseXml2JsFromString(xml)) as { Response?: XmlNode };
  const issuer = first(doc.Response?.Issuer);
  return { destination: doc.Response?.$?.Destination, issuer: typeof issuer === "string" ? issuer : issuer?._ };
}
