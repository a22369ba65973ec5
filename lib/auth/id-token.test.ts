import http from "node:http";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SignJWT, exportJWK } from "jose";
import type { IdentityProvider } from "../db/schema";
import { resetEnvCache } from "../env";
import { claimsOfSignIn } from "./id-token";

// The OAuth2 type as the Cantara guide sets it up with Entra: scope openid makes the token
// response carry a v2.0 ID token next to the Graph access token.
const TID = randomUUID();
const OID = randomUUID();
const CLIENT_ID = randomUUID();
const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
let server: http.Server;
let idp: IdentityProvider;

beforeAll(async () => {
  // The JWKS is served from this machine, over http.
  vi.stubEnv("GATEHOUSE_ALLOW_LOOPBACK_IDP", "1");
  resetEnvCache();
  const jwk = { ...(await exportJWK(key)), kid: "k1", alg: "RS256", use: "sig" };
  delete (jwk as Record<string, unknown>).d;
  for (const p of ["p", "q", "dp", "dq", "qi"]) delete (jwk as Record<string, unknown>)[p];
  server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  idp = {
    id: randomUUID(), type: "oauth2", clientId: CLIENT_ID, issuer: `https://login.microsoftonline.com/${TID}/v2.0`, secureJwks: false,
    jwksUrl: `http://127.0.0.1:${port}/discovery/v2.0/keys`,
    authorizationUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/authorize`, tokenUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/token`,
  } as IdentityProvider;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  resetEnvCache();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function idToken(overrides: Record<string, unknown> = {}, signWith = key) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: `https://login.microsoftonline.com/${TID}/v2.0`, aud: CLIENT_ID, iat: now, nbf: now, exp: now + 3600, ver: "2.0",
    oid: OID, tid: TID, sub: "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", preferred_username: "MeganB@contoso.com", name: "Megan Bowen",
    ...overrides,
  }).setProtectedHeader({ alg: "RS256", kid: "k1", typ: "JWT" }).sign(signWith);
}

// Graph's /me answer (what Auth.js hands over as the OAuth2 profile): no oid/tid claims.
const graphProfile = { id: "graph-id", userPrincipalName: "stale@contoso.com", preferred_username: "stale@contoso.com", displayName: "Megan" };

describe("OAuth2 type: an ID token in the token response is validated (OIDC Core §3.1.3.7)", () => {
  it("takes oid, tid and preferred_username from the verified ID token, not from Graph's UserInfo", async () => {
    const result = await claimsOfSignIn(idp, await idToken(), graphProfile);
    expect(result).toMatchObject({ ok: true, claims: { oid: OID, tid: TID, preferred_username: "MeganB@contoso.com", userPrincipalName: "stale@contoso.com" } });
  });
  it("§3.1.3.7 (6): refuses a signature the JWKS does not publish", async () => {
    expect(await claimsOfSignIn(idp, await idToken({}, stranger), graphProfile)).toMatchObject({ ok: false, reason: "invalid_signature" });
  });
  it("§3.1.3.7 (2): refuses another issuer", async () => {
    expect(await claimsOfSignIn(idp, await idToken({ iss: `https://login.microsoftonline.com/${randomUUID()}/v2.0` }), graphProfile)).toMatchObject({ ok: false, reason: "invalid_issuer" });
  });
  it("§3.1.3.7 (3): refuses another audience", async () => {
    expect(await claimsOfSignIn(idp, await idToken({ aud: randomUUID() }), graphProfile)).toMatchObject({ ok: false, reason: "invalid_audience" });
  });
  it("§3.1.3.7 (9): refuses an expired token", async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    expect(await claimsOfSignIn(idp, await idToken({ iat: past, nbf: past, exp: past + 60 }), graphProfile)).toMatchObject({ ok: false, reason: "token_expired" });
  });
  it("refuses a tid other than the directory the issuer pins", async () => {
    expect(await claimsOfSignIn(idp, await idToken({ tid: randomUUID() }), graphProfile)).toMatchObject({ ok: false, reason: "tenant_mismatch" });
  });
  it("without an ID token (no openid scope) uses the UserInfo profile as before", async () => {
    expect(await claimsOfSignIn(idp, undefined, graphProfile)).toEqual({ ok: true, claims: graphProfile });
  });
  it("without an ID token on Entra's common endpoints, refuses: nothing names the account's directory", async () => {
    const common = "https://login.microsoftonline.com/common/oauth2/v2.0";
    const multiTenant = { ...idp, issuer: null, authorizationUrl: `${common}/authorize`, tokenUrl: `${common}/token` } as IdentityProvider;
    expect(await claimsOfSignIn(multiTenant, undefined, graphProfile)).toMatchObject({ ok: false, reason: "configuration", detail: expect.stringContaining("multi-tenant") });
  });
});

describe("OIDC type: the ID token is required", () => {
  it("refuses a token response without one", async () => {
    expect(await claimsOfSignIn({ ...idp, type: "oidc" }, undefined, graphProfile)).toMatchObject({ ok: false, reason: "configuration" });
  });
  it("decides on the verified ID token's claims", async () => {
    const result = await claimsOfSignIn({ ...idp, type: "oidc" }, await idToken(), graphProfile);
    expect(result).toMatchObject({ ok: true, claims: { oid: OID, preferred_username: "MeganB@contoso.com" } });
    expect(result.ok && result.claims.userPrincipalName).toBeUndefined();
  });
});
