import { describe, expect, it } from "vitest";
import type { IdentityProvider } from "../db/schema";
import { buildIdpProvider } from "./idp-provider";

const idp = {
  id: "0b8e2d5c-7a51-4c4e-9a0f-1f2e3d4c5b6a", name: "Entra", buttonLabel: null, clientId: "c", authMethod: "client_secret_post",
  issuer: "https://login.example/v2.0", authorizationUrl: "https://login.example/authorize", tokenUrl: "https://login.example/token",
  jwksUrl: "https://login.example/keys", userinfoUrl: null, scopes: "openid profile", resource: null, audience: null, pkce: true,
} as unknown as IdentityProvider;

// Auth.js stores each listed check in a cookie and oauth4webapi compares it on the callback;
// the comparisons themselves are classified in sso-errors (invalid_state, pkce_failed, invalid_nonce).
describe("OIDC Core §3.1.2.1 / §3.1.3.7 (11) nonce, RFC 6749 §10.12 state, RFC 7636 PKCE: the checks a sign-in carries", () => {
  it("an OIDC provider sends and compares a nonce, state and, when on, PKCE", () => {
    expect(buildIdpProvider({ ...idp, type: "oidc" }, "s").checks).toEqual(["state", "pkce", "nonce"]);
  });
  it("an OAuth2 provider sends no nonce: its ID token, if any, carries none to compare", () => {
    expect(buildIdpProvider({ ...idp, type: "oauth2" }, "s").checks).toEqual(["state", "pkce"]);
  });
  it("PKCE can be turned off for a provider that refuses it; state never can", () => {
    expect(buildIdpProvider({ ...idp, type: "oidc", pkce: false }, "s").checks).toEqual(["state", "nonce"]);
  });
});
