import type { OAuthConfig } from "@auth/core/providers";
import { customFetch } from "@auth/core";
import { decodeJwt } from "jose";
import type { IdentityProvider } from "../db/schema";
import { issuerOf } from "./entra";
import { isUuid } from "../uuid";
import { outboundFetch } from "../net/outbound";

export const PROVIDER_ID_PREFIX = "idp-";

/** The Auth.js provider id; the console's Redirect URL is `<origin>/api/auth/callback/<this>`. */
export function providerIdFor(idpId: string) {
  return `${PROVIDER_ID_PREFIX}${idpId}`;
}

export function idpIdFromProviderId(providerId: string | undefined | null): string | undefined {
  if (!providerId?.startsWith(PROVIDER_ID_PREFIX)) return undefined;
  const id = providerId.slice(PROVIDER_ID_PREFIX.length);
  return isUuid(id) ? id : undefined;
}

/** The admin may separate scopes with spaces or commas; OIDC needs `openid` first. */
export function parseScopes(value: string | null | undefined, type: IdentityProvider["type"]): string[] {
  const scopes = (value ?? "").split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  const unique = [...new Set(scopes)];
  if (type === "oidc" && !unique.includes("openid")) unique.unshift("openid");
  return unique;
}

export function providerLabel(idp: Pick<IdentityProvider, "buttonLabel" | "name">) {
  return idp.buttonLabel?.trim() || `Sign in with ${idp.name}`;
}

/** The claims an IdP profile carries, as Auth.js hands them to us. */
export type IdpProfile = Record<string, unknown> & { sub?: string; oid?: string; tid?: string };

/**
 * The stable identifier of a person at this IdP, the key of its binding. Entra: the immutable
 * object id `oid` (the IdP row pins the issuer, hence the directory) — never `email` or
 * `preferred_username`, which can change or be reassigned, nor Entra's pairwise `sub`. Other
 * OIDC providers: `sub` (OIDC Core §2: unique and never reassigned).
 */
export function accountIdFromProfile(profile: IdpProfile): string | undefined {
  if (typeof profile.oid === "string" && profile.oid) return profile.oid;
  if (typeof profile.sub === "string" && profile.sub) return profile.sub;
  if (typeof profile.id === "string" || typeof profile.id === "number") return String(profile.id);
  return undefined;
}

/** The key bindings had before the oid alone was used: `<tid>/<oid>`. */
export function legacyAccountIdFromProfile(profile: IdpProfile): string | undefined {
  return typeof profile.oid === "string" && typeof profile.tid === "string" ? `${profile.tid}/${profile.oid}` : undefined;
}

export function claimAsString(profile: IdpProfile, claim: string | null | undefined): string | undefined {
  if (!claim) return undefined;
  const value = profile[claim];
  if (typeof value === "string" && value.trim()) return value.trim();
  if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  return undefined;
}

/**
 * The profile of an OAuth2 provider saved without a User Info URL (the guides call that field
 * optional): the claims of the ID token the token response carried (scope `openid`), or none.
 * The token is only read here; the signIn callback verifies it (claimsOfSignIn) before anyone
 * is signed in, and refuses a sign-in whose claims name nobody.
 */
export function claimsOfTokenResponse({ tokens }: { tokens: { id_token?: string } }): IdpProfile {
  if (!tokens.id_token) return {};
  try {
    return decodeJwt(tokens.id_token) as IdpProfile;
  } catch {
    return {};
  }
}

/**
 * An Auth.js provider built from the admin's fields. Endpoints are explicit (no discovery),
 * so the issuer is pinned to what the admin configured: for Entra the tenant-specific
 * `https://login.microsoftonline.com/<tid>/v2.0`, never `common` unless they typed it.
 * Auth.js + oauth4webapi then verify state, PKCE, and the ID token's iss, aud, azp, exp,
 * iat and nonce; the signature and `tid` are verified by us (lib/auth/id-token.ts), since
 * oauth4webapi skips signature checks for ID tokens from the token endpoint.
 */
export function buildIdpProvider(idp: IdentityProvider, clientSecret: string): OAuthConfig<IdpProfile> {
  const isOidc = idp.type === "oidc";
  const scope = parseScopes(idp.scopes, idp.type).join(" ");
  const authorizationParams: Record<string, string> = { scope };
  if (idp.resource) authorizationParams.resource = idp.resource;
  if (idp.audience) authorizationParams.audience = idp.audience;
  const checks: ("pkce" | "state" | "nonce")[] = ["state"];
  if (idp.pkce) checks.push("pkce");
  if (isOidc) checks.push("nonce");
  const tokenExtras = new URLSearchParams();
  if (idp.resource) tokenExtras.set("resource", idp.resource);
  if (idp.audience) tokenExtras.set("audience", idp.audience);
  return {
    id: providerIdFor(idp.id),
    name: providerLabel(idp),
    type: isOidc ? "oidc" : "oauth",
    issuer: issuerOf(idp),
    clientId: idp.clientId,
    clientSecret,
    client: { token_endpoint_auth_method: idp.authMethod },
    authorization: { url: idp.authorizationUrl, params: authorizationParams },
    token: { url: idp.tokenUrl },
    userinfo: idp.userinfoUrl ? { url: idp.userinfoUrl } : isOidc ? undefined : { request: claimsOfTokenResponse },
    checks,
    // Our signIn callback decides who this is; the profile only names the account.
    profile(profile) {
      return { id: accountIdFromProfile(profile) ?? "", name: null, email: null };
    },
    // Every request Auth.js makes for this provider (token, UserInfo, any discovery) goes
    // through lib/net/outbound.ts. RFC 8707 `resource` (and Auth0-style `audience`) belong in
    // the token request too.
    [customFetch]: async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (tokenExtras.size && url === idp.tokenUrl && init?.body instanceof URLSearchParams) {
        for (const [key, value] of tokenExtras) if (!init.body.has(key)) init.body.set(key, value);
      }
      return outboundFetch(input, init);
    },
  } as OAuthConfig<IdpProfile>;
}
