// The checks verifyIdToken makes on its own, whatever oauth4webapi already compared (OIDC Core
// §3.1.3.7), against a JWKS served from this machine. Entra's rules are from
// https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference (iss, tid)
// and https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-the-issuer:
// v1.0 tokens are issued by https://sts.windows.net/<tid>/, v2.0 tokens by
// https://login.microsoftonline.com/<tid>/v2.0, the multi-tenant discovery document names the
// template https://login.microsoftonline.com/{tenantid}/v2.0, and every directory's tokens are
// signed with the same keys.
import http from "node:http";
import { createHash, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";
import type { IdentityProvider } from "../db/schema";
import { resetEnvCache } from "../env";
import { verifyIdToken } from "./id-token";

const TID = randomUUID();
const OTHER_TID = randomUUID();
const CLIENT_ID = randomUUID();
const V2_ISSUER = `https://login.microsoftonline.com/${TID}/v2.0`;
const V1_ISSUER = `https://sts.windows.net/${TID}/`;

type KeyPair = { privateKey: CryptoKey; publicKey: CryptoKey };
let signing: KeyPair;
let unpublished: KeyPair;
let rotated: KeyPair;
const published: JWK[] = [];
let jwksRequests = 0;
let server: http.Server;
let origin: string;

async function publicJwk(pair: KeyPair, kid: string): Promise<JWK> {
  return { ...(await exportJWK(pair.publicKey)), kid, alg: "RS256", use: "sig" };
}

beforeAll(async () => {
  vi.stubEnv("GATEHOUSE_ALLOW_LOOPBACK_IDP", "1");
  resetEnvCache();
  [signing, unpublished, rotated] = await Promise.all([1, 2, 3].map(() => generateKeyPair("RS256", { extractable: true })));
  published.push(await publicJwk(signing, "k1"));
  server = http.createServer((_req, res) => {
    jwksRequests++;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  resetEnvCache();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** An Entra OIDC provider pinned to TID; each gets its own JWKS URL, so key sets never leak between tests. */
function entraIdp(overrides: Partial<IdentityProvider> = {}): IdentityProvider {
  return {
    id: randomUUID(), type: "oidc", clientId: CLIENT_ID, issuer: V2_ISSUER, secureJwks: false,
    jwksUrl: `${origin}/${randomUUID()}/discovery/v2.0/keys`,
    authorizationUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/authorize`,
    tokenUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/token`,
    ...overrides,
  } as IdentityProvider;
}

const now = () => Math.floor(Date.now() / 1000);

function idToken(claims: Record<string, unknown> = {}, { key = signing.privateKey, kid = "k1" }: { key?: CryptoKey; kid?: string } = {}) {
  return new SignJWT({
    iss: V2_ISSUER, aud: CLIENT_ID, iat: now(), nbf: now(), exp: now() + 3600, ver: "2.0",
    tid: TID, oid: randomUUID(), sub: "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", preferred_username: "MeganB@contoso.com",
    ...claims,
  }).setProtectedHeader({ alg: "RS256", kid, typ: "JWT" }).sign(key);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("OIDC Core §3.1.3.7 (2) ID token validation: the issuer is the one the IdP pins", () => {
  it("accepts the pinned v2.0 issuer", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken())).toMatchObject({ ok: true, claims: { iss: V2_ISSUER, tid: TID } });
  });
  it("refuses Entra's v1.0 issuer (sts.windows.net) of the same directory where v2.0 is pinned, though the same keys sign both", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({ iss: V1_ISSUER, ver: "1.0" }))).toMatchObject({ ok: false, reason: "invalid_issuer" });
  });
  it("a pinned v1.0 issuer accepts v1.0 tokens and refuses the v2.0 issuer", async () => {
    const idp = entraIdp({ issuer: V1_ISSUER });
    expect(await verifyIdToken(idp, await idToken({ iss: V1_ISSUER, ver: "1.0" }))).toMatchObject({ ok: true });
    expect(await verifyIdToken(idp, await idToken())).toMatchObject({ ok: false, reason: "invalid_issuer" });
  });
  it("with no issuer saved, pins the directory the Entra endpoints name", async () => {
    const idp = entraIdp({ issuer: null });
    expect(await verifyIdToken(idp, await idToken())).toMatchObject({ ok: true });
    expect(await verifyIdToken(idp, await idToken({ iss: `https://login.microsoftonline.com/${OTHER_TID}/v2.0`, tid: OTHER_TID }))).toMatchObject({ ok: false, reason: "invalid_issuer" });
  });
  it("refuses a token without an iss claim", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({ iss: undefined }))).toMatchObject({ ok: false, reason: "invalid_issuer" });
  });
});

describe("Entra tid pinning: the directory in the pinned issuer is the token's tid", () => {
  it("refuses another directory's tid under the pinned issuer, also when the issuer was derived from the endpoints", async () => {
    const token = await idToken({ tid: OTHER_TID });
    expect(await verifyIdToken(entraIdp(), token)).toMatchObject({ ok: false, reason: "tenant_mismatch", detail: expect.stringContaining(OTHER_TID) });
    expect(await verifyIdToken(entraIdp({ issuer: null }), token)).toMatchObject({ ok: false, reason: "tenant_mismatch" });
  });
  it("compares directory ids without regard to case (GUIDs)", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({ tid: TID.toUpperCase() }))).toMatchObject({ ok: true });
    const upperIssuer = `https://login.microsoftonline.com/${TID.toUpperCase()}/v2.0`;
    expect(await verifyIdToken(entraIdp({ issuer: upperIssuer }), await idToken({ iss: upperIssuer }))).toMatchObject({ ok: true });
    expect(await verifyIdToken(entraIdp({ issuer: upperIssuer }), await idToken({ iss: upperIssuer, tid: OTHER_TID }))).toMatchObject({ ok: false, reason: "tenant_mismatch" });
  });
  it("refuses a token without tid when the provider pins a directory: Entra puts tid in every ID token", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({ tid: undefined }))).toMatchObject({ ok: false, reason: "tenant_mismatch", detail: expect.stringContaining("without tid") });
  });
  it("a pinned v1.0 issuer (https://sts.windows.net/<tid>/) pins its directory too", async () => {
    const idp = entraIdp({ issuer: V1_ISSUER });
    expect(await verifyIdToken(idp, await idToken({ iss: V1_ISSUER, ver: "1.0", tid: OTHER_TID }))).toMatchObject({ ok: false, reason: "tenant_mismatch", detail: expect.stringContaining(OTHER_TID) });
    expect(await verifyIdToken(idp, await idToken({ iss: V1_ISSUER, ver: "1.0", tid: TID.toUpperCase() }))).toMatchObject({ ok: true });
  });
  it("with no issuer saved, pins the directory the v1.0 endpoints name (login.microsoftonline.com/<tid>/oauth2/…)", async () => {
    const idp = entraIdp({
      type: "oauth2", issuer: null,
      authorizationUrl: `https://login.microsoftonline.com/${TID}/oauth2/authorize`, tokenUrl: `https://login.microsoftonline.com/${TID}/oauth2/token`,
    });
    expect(await verifyIdToken(idp, await idToken({ iss: V1_ISSUER, ver: "1.0" }))).toMatchObject({ ok: true });
    const stranger = await idToken({ iss: `https://sts.windows.net/${OTHER_TID}/`, ver: "1.0", tid: OTHER_TID });
    expect(await verifyIdToken(idp, stranger)).toMatchObject({ ok: false, reason: "tenant_mismatch" });
  });
  it("compares no tid for an issuer that names no directory (not Entra)", async () => {
    const issuer = "https://idp.example.com";
    const idp = entraIdp({ issuer, authorizationUrl: `${issuer}/authorize`, tokenUrl: `${issuer}/token` });
    expect(await verifyIdToken(idp, await idToken({ iss: issuer, tid: OTHER_TID }))).toMatchObject({ ok: true });
  });
});

// §3.1.3.7 (4)–(5), azp for several audiences, is compared by oauth4webapi for every token
// response that carries an ID token (validateIdTokenAuthorizedParty); verifyIdToken checks aud.
describe("OIDC Core §3.1.3.7 (3) ID token validation: the audience contains our client_id", () => {
  it("accepts an aud array that lists the client_id among others", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({ aud: [randomUUID(), CLIENT_ID], azp: CLIENT_ID }))).toMatchObject({ ok: true });
  });
  it("refuses an aud array without the client_id, even when azp names it", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({ aud: [randomUUID(), randomUUID()], azp: CLIENT_ID }))).toMatchObject({ ok: false, reason: "invalid_audience" });
  });
  it("refuses a token without an aud claim", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({ aud: undefined }))).toMatchObject({ ok: false, reason: "invalid_audience" });
  });
});

describe("OIDC Core §3.1.3.7 (6)–(8) ID token validation: signed (RFC 7515) by a key the JWKS publishes (RFC 7517)", () => {
  it("refuses a kid the JWKS does not publish", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({}, { key: unpublished.privateKey, kid: "k-unknown" }))).toMatchObject({ ok: false, reason: "invalid_signature" });
  });
  it("refuses a published kid whose key did not make the signature", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({}, { key: unpublished.privateKey }))).toMatchObject({ ok: false, reason: "invalid_signature" });
  });
  it("refuses a payload changed after signing", async () => {
    const [header, , signature] = (await idToken()).split(".");
    const forged = b64url({ iss: V2_ISSUER, aud: CLIENT_ID, tid: TID, exp: now() + 3600, preferred_username: "admin@contoso.com" });
    expect(await verifyIdToken(entraIdp(), `${header}.${forged}.${signature}`)).toMatchObject({ ok: false, reason: "invalid_signature" });
  });
  it('refuses alg "none" (an unsecured JWT, RFC 7519 §6)', async () => {
    const unsecured = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ iss: V2_ISSUER, aud: CLIENT_ID, tid: TID, exp: now() + 3600 })}.`;
    expect(await verifyIdToken(entraIdp(), unsecured)).toMatchObject({ ok: false, reason: "invalid_signature" });
  });
  it("refuses HS256 keyed with the published public key (algorithm confusion)", async () => {
    const publicKey = published[0];
    const secret = createHash("sha256").update(JSON.stringify(publicKey)).digest();
    const token = await new SignJWT({ iss: V2_ISSUER, aud: CLIENT_ID, tid: TID, iat: now(), exp: now() + 3600 })
      .setProtectedHeader({ alg: "HS256", kid: "k1", typ: "JWT" })
      .sign(secret);
    expect(await verifyIdToken(entraIdp(), token)).toMatchObject({ ok: false, reason: "invalid_signature" });
  });
  it("finds a rotated key by refetching the JWKS for an unknown kid, at most every 30 s", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const idp = entraIdp();
    expect(await verifyIdToken(idp, await idToken())).toMatchObject({ ok: true });
    published.push(await publicJwk(rotated, "k2"));
    try {
      const before = jwksRequests;
      const token = await idToken({}, { key: rotated.privateKey, kid: "k2" });
      expect(await verifyIdToken(idp, token)).toMatchObject({ ok: false, reason: "invalid_signature" });
      expect(jwksRequests).toBe(before);
      vi.advanceTimersByTime(31_000);
      expect(await verifyIdToken(idp, token)).toMatchObject({ ok: true });
      expect(jwksRequests).toBe(before + 1);
    } finally {
      published.pop();
    }
  });
  it("fetches a JWKS on plain http only while Secure JWKS URL is off", async () => {
    expect(await verifyIdToken(entraIdp({ secureJwks: true }), await idToken())).toMatchObject({ ok: false, reason: "configuration" });
  });
});

describe("OIDC Core §3.1.3.7 (9) ID token validation: exp and nbf, with 60 s of clock skew", () => {
  it("accepts a token that expired within the skew and refuses one that expired before it", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({ iat: now() - 3600, nbf: now() - 3600, exp: now() - 30 }))).toMatchObject({ ok: true });
    expect(await verifyIdToken(entraIdp(), await idToken({ iat: now() - 3600, nbf: now() - 3600, exp: now() - 120 }))).toMatchObject({ ok: false, reason: "token_expired" });
  });
  it("accepts an nbf within the skew and refuses one further in the future", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({ nbf: now() + 30 }))).toMatchObject({ ok: true });
    expect(await verifyIdToken(entraIdp(), await idToken({ nbf: now() + 120 }))).toMatchObject({ ok: false, reason: "token_expired" });
  });
});

// Entra's multi-tenant authorities (common: any directory and personal accounts; organizations:
// any directory; consumers: personal accounts) name no directory, and their discovery documents
// name the issuer https://login.microsoftonline.com/{tenantid}/v2.0, a template to fill with
// the token's tid (v2-protocols-oidc#find-your-apps-openid-configuration-document-uri). A
// provider belongs to one Gatehouse tenant, so it accepts one directory's tokens or none.
describe("Entra multi-tenant endpoints: the {tenantid} issuer template is filled with the configured directory, never with any", () => {
  const TEMPLATE = "https://login.microsoftonline.com/{tenantid}/v2.0";
  const stranger = () => idToken({ iss: `https://login.microsoftonline.com/${OTHER_TID}/v2.0`, tid: OTHER_TID });
  const multiTenant = (authority: string, overrides: Partial<IdentityProvider> = {}) => entraIdp({
    type: "oauth2", issuer: null,
    authorizationUrl: `https://login.microsoftonline.com/${authority}/oauth2/v2.0/authorize`,
    tokenUrl: `https://login.microsoftonline.com/${authority}/oauth2/v2.0/token`,
    ...overrides,
  });

  it("refuses, as a configuration error, a provider on the common, organizations or consumers endpoints that names no directory", async () => {
    for (const authority of ["common", "organizations", "consumers"]) {
      expect(await verifyIdToken(multiTenant(authority), await stranger())).toMatchObject({ ok: false, reason: "configuration", detail: expect.stringContaining("directory") });
      expect(await verifyIdToken(multiTenant(authority, { type: "oidc", issuer: TEMPLATE }), await idToken())).toMatchObject({ ok: false, reason: "configuration" });
    }
  });
  it("fills the template issuer with the directory the endpoints name: that directory's token passes, another's does not", async () => {
    const idp = entraIdp({ issuer: TEMPLATE });
    expect(await verifyIdToken(idp, await idToken())).toMatchObject({ ok: true, claims: { iss: V2_ISSUER, tid: TID } });
    expect(await verifyIdToken(idp, await stranger())).toMatchObject({ ok: false, reason: "invalid_issuer" });
    expect(await verifyIdToken(idp, await idToken({ tid: OTHER_TID }))).toMatchObject({ ok: false, reason: "tenant_mismatch" });
  });
  it("a common authorize URL next to a directory's token URL pins that directory", async () => {
    const idp = multiTenant("common", { tokenUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/token` });
    expect(await verifyIdToken(idp, await idToken())).toMatchObject({ ok: true });
    expect(await verifyIdToken(idp, await stranger())).toMatchObject({ ok: false, reason: "invalid_issuer" });
  });
});

describe("OIDC Core §2 and §3.1.3.7 (10): iss, sub, aud, exp and iat are REQUIRED; iat is not in the future", () => {
  it("refuses a token without sub, exp or iat", async () => {
    for (const claim of ["sub", "exp", "iat"]) {
      expect(await verifyIdToken(entraIdp(), await idToken({ [claim]: undefined })), claim).toMatchObject({ ok: false });
    }
    expect(await verifyIdToken(entraIdp(), await idToken({ sub: undefined }))).toMatchObject({ ok: false, reason: "missing_claim" });
  });
  it("accepts an iat within the 60 s of clock skew and refuses one further in the future", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({ iat: now() + 30, nbf: undefined }))).toMatchObject({ ok: true });
    expect(await verifyIdToken(entraIdp(), await idToken({ iat: now() + 600, nbf: undefined, exp: now() + 4200 }))).toMatchObject({ ok: false, reason: "token_expired", detail: expect.stringContaining("iat") });
  });
  it("refuses a token issued more than an hour ago, however far away its exp", async () => {
    expect(await verifyIdToken(entraIdp(), await idToken({ iat: now() - 7200, nbf: now() - 7200, exp: now() + 3600 }))).toMatchObject({ ok: false, reason: "token_expired", detail: expect.stringContaining("iat") });
  });
});
