import { describe, expect, it } from "vitest";
import type { IdentityProvider } from "../db/schema";
import { accountIdFromProfile, buildIdpProvider, idpIdFromProviderId, parseScopes, providerIdFor } from "./idp-provider";
import { classifyAuthError } from "./sso-errors";

describe("provider ids match the console's Redirect URL (/api/auth/callback/idp-<id>)", () => {
  it("round-trips an IdP id and rejects anything else", () => {
    const id = "0b8e2d5c-7a51-4c4e-9a0f-1f2e3d4c5b6a";
    expect(idpIdFromProviderId(providerIdFor(id))).toBe(id);
    expect(idpIdFromProviderId("github")).toBeUndefined();
    expect(idpIdFromProviderId("idp-../../etc")).toBeUndefined();
  });
});

describe("scopes are space or comma separated", () => {
  it("splits, de-duplicates and puts openid first for OIDC", () => {
    expect(parseScopes("profile, email  offline_access,profile", "oidc")).toEqual(["openid", "profile", "email", "offline_access"]);
    expect(parseScopes("read:user", "oauth2")).toEqual(["read:user"]);
  });
});

describe("the account is identified by Entra's immutable oid (+ tid), never by email", () => {
  it("prefers oid (the IdP row pins the directory), then sub", () => {
    expect(accountIdFromProfile({ oid: "o1", tid: "t1", sub: "pairwise", email: "a@b.c" })).toBe("o1");
    expect(accountIdFromProfile({ sub: "s1", email: "a@b.c" })).toBe("s1");
    expect(accountIdFromProfile({ email: "a@b.c" })).toBeUndefined();
  });
});

describe("Auth.js / oauth4webapi failures map to end-user reasons", () => {
  const wrapped = (err: unknown) => Object.assign(new Error(""), { cause: { err } });
  it("names the claim that failed comparison (OIDC Core §3.1.3.7)", () => {
    const ope = (claim: string) => Object.assign(new Error(`unexpected JWT "${claim}" claim value`), { code: "OAUTH_JWT_CLAIM_COMPARISON_FAILED", cause: { claim } });
    expect(classifyAuthError(wrapped(ope("iss"))).reason).toBe("invalid_issuer");
    expect(classifyAuthError(wrapped(ope("aud"))).reason).toBe("invalid_audience");
    expect(classifyAuthError(wrapped(ope("nonce"))).reason).toBe("invalid_nonce");
  });
  it("recognises state, PKCE and client-authentication failures", () => {
    expect(classifyAuthError(wrapped(new Error('unexpected "state" response parameter value'))).reason).toBe("invalid_state");
    expect(classifyAuthError(wrapped(new Error("pkceCodeVerifier value could not be parsed"))).reason).toBe("pkce_failed");
    const body = Object.assign(new Error("server responded with an error in the response body"), { name: "ResponseBodyError", error: "invalid_client", cause: { error: "invalid_client" } });
    expect(classifyAuthError(wrapped(body))).toMatchObject({ reason: "invalid_client", detail: expect.stringContaining("invalid_client") });
  });
});

describe("an Entra IdP saved without an Issuer still pins one (no invalid_issuer on every sign-in)", () => {
  it("builds the provider with the issuer its directory id implies", () => {
    const tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const idp = {
      id: "0b8e2d5c-7a51-4c4e-9a0f-1f2e3d4c5b6a", type: "oidc", name: "Entra", buttonLabel: null, issuer: null, clientId: "c", authMethod: "client_secret_post",
      authorizationUrl: `https://login.microsoftonline.com/${tid}/oauth2/v2.0/authorize`, tokenUrl: `https://login.microsoftonline.com/${tid}/oauth2/v2.0/token`,
      userinfoUrl: null, scopes: "openid profile", resource: null, audience: null, pkce: true,
    } as unknown as IdentityProvider;
    expect(buildIdpProvider(idp, "secret").issuer).toBe(`https://login.microsoftonline.com/${tid}/v2.0`);
  });
});

describe("an OAuth2 provider saved without a User Info URL takes the claims of its ID token", () => {
  const base = { id: "0b8e2d5c-7a51-4c4e-9a0f-1f2e3d4c5b6a", tenantId: "t", name: "Entra", clientId: "c", authorizationUrl: "https://login.example/authorize", tokenUrl: "https://login.example/token", jwksUrl: "https://login.example/keys", issuer: "https://login.example/v2.0", scopes: "openid profile", resource: null, audience: null, pkce: true, authMethod: "client_secret_post", buttonLabel: null } as unknown as IdentityProvider;
  const idToken = (claims: Record<string, unknown>) =>
    [Buffer.from('{"alg":"RS256"}').toString("base64url"), Buffer.from(JSON.stringify(claims)).toString("base64url"), "sig"].join(".");

  it("builds a profile from the token response instead of failing for want of an endpoint", async () => {
    const provider = buildIdpProvider({ ...base, type: "oauth2", userinfoUrl: null }, "secret");
    const request = (provider.userinfo as { request?: (context: { tokens: { id_token?: string } }) => unknown }).request;
    expect(request).toBeTypeOf("function");
    expect(await request!({ tokens: { id_token: idToken({ oid: "o1", preferred_username: "megan@contoso.com" }) } })).toMatchObject({ oid: "o1", preferred_username: "megan@contoso.com" });
    expect(await request!({ tokens: {} })).toEqual({});
    expect(await request!({ tokens: { id_token: "not a jwt" } })).toEqual({});
  });

  it("keeps the configured User Info URL, and OIDC reads the ID token itself", () => {
    expect(buildIdpProvider({ ...base, type: "oauth2", userinfoUrl: "https://graph.example/oidc/userinfo" }, "s").userinfo).toEqual({ url: "https://graph.example/oidc/userinfo" });
    expect(buildIdpProvider({ ...base, type: "oidc", userinfoUrl: null }, "s").userinfo).toBeUndefined();
  });
});
