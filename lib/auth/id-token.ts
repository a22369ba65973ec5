import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import type { IdentityProvider } from "../db/schema";
import { OUTBOUND_FAILURE_MESSAGE, OutboundRequestError, outboundFetch } from "../net/outbound";
import type { SsoFailureReason } from "./sso-errors";
import { directoryOf, issuerOf, MULTI_TENANT_UNPINNED, pinsNoDirectory } from "./entra";

export type IdTokenCheck = { ok: true; claims: JWTPayload } | { ok: false; reason: SsoFailureReason; detail: string };

// Least recently used first: every URL an admin saves must not stay in memory for good.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
const MAX_KEY_SETS = 100;
const MAX_JWKS_BYTES = 256 * 1024;
const MAX_USERINFO_BYTES = 64 * 1024;

function keySetFor(jwksUrl: string) {
  let keySet = keySets.get(jwksUrl);
  if (keySet) keySets.delete(jwksUrl);
  else {
    // jose caches the keys and refetches (at most every 30 s) when a token names an unknown kid.
    keySet = createRemoteJWKSet(new URL(jwksUrl), {
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
      [customFetch]: (url: string, init: RequestInit) => outboundFetch(url, init, { maxBytes: MAX_JWKS_BYTES }),
    });
    if (keySets.size >= MAX_KEY_SETS) keySets.delete(keySets.keys().next().value!);
  }
  keySets.set(jwksUrl, keySet);
  return keySet;
}

// 60 s of clock skew for exp, nbf and iat. An ID token is verified the moment the token endpoint
// returns it, so an iat older than Entra's default ID token lifetime, one hour
// (https://learn.microsoft.com/en-us/entra/identity-platform/configurable-token-lifetimes), is
// a replayed token, not a slow network; an admin's longer lifetime policy moves exp, not iat.
const CLOCK_TOLERANCE_SECONDS = 60;
const MAX_TOKEN_AGE_SECONDS = 60 * 60;
// OIDC Core §2: iss, sub, aud, exp and iat are REQUIRED. jose demands iss and aud through the
// issuer and audience options, iat through maxTokenAge; sub and exp are named here.
const REQUIRED_CLAIMS = ["iss", "sub", "aud", "exp", "iat"];


function reasonOfClaim(claim: string): SsoFailureReason {
  if (claim === "iss") return "invalid_issuer";
  if (claim === "aud") return "invalid_audience";
  if (claim === "sub") return "missing_claim";
  return "token_expired";
}

/**
 * Verifies the ID token's signature against the configured JWKS URL. oauth4webapi already
 * compared iss/aud/azp/exp/iat/nonce but, per OIDC Core §3.1.3.7 (6), skips the signature for
 * tokens received directly from the token endpoint; we do not rely on TLS alone, because
 * the admin may point the token URL anywhere. The claims OIDC Core §2 requires must be
 * present and iat neither in the future nor stale (§3.1.3.7 (10)). Then, as Entra signs every
 * tenant's tokens with the same keys, the `tid` claim must name the directory the provider
 * pins (v2.0 or v1.0 issuer, or the endpoints), and a provider on the multi-tenant endpoints
 * that names no directory accepts nobody.
 */
export async function verifyIdToken(idp: IdentityProvider, idToken: string): Promise<IdTokenCheck> {
  if (idp.secureJwks && new URL(idp.jwksUrl).protocol !== "https:") {
    return { ok: false, reason: "configuration", detail: "The JWKS URL must use https while Secure JWKS URL is on" };
  }
  if (pinsNoDirectory(idp)) return { ok: false, reason: "configuration", detail: MULTI_TENANT_UNPINNED };
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(idToken, keySetFor(idp.jwksUrl), {
      issuer: issuerOf(idp),
      audience: idp.clientId,
      requiredClaims: REQUIRED_CLAIMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: MAX_TOKEN_AGE_SECONDS,
    }));
  } catch (error) {
    if (error instanceof OutboundRequestError) return { ok: false, reason: "configuration", detail: OUTBOUND_FAILURE_MESSAGE };
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWSSignatureVerificationFailed) {
      return { ok: false, reason: "invalid_signature", detail };
    }
    if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: "token_expired", detail };
    if (error instanceof joseErrors.JWTClaimValidationFailed) return { ok: false, reason: reasonOfClaim(error.claim), detail };
    return { ok: false, reason: "invalid_signature", detail };
  }
  const directoryId = directoryOf(idp);
  // Entra puts tid in every ID token (v1.0 and v2.0): one without it is not from that directory.
  if (directoryId && (typeof claims.tid !== "string" || claims.tid.toLowerCase() !== directoryId)) {
    const tid = typeof claims.tid === "string" ? `tid ${claims.tid}` : "A token without tid";
    return { ok: false, reason: "tenant_mismatch", detail: `${tid} is not the configured directory ${directoryId}` };
  }
  return { ok: true, claims };
}

/** The claim a UserInfo answer must repeat to be about the person signing in. */
export type UserInfoSubject = { claim: "sub" | "id"; value: string };

/**
 * OIDC Core §5.3: claims the ID token lacks may be read from the UserInfo endpoint; its
 * `sub` must equal the ID token's (§5.3.4) or the response is discarded. OAuth2 profiles
 * (Graph /me) carry `id` instead, which must match the same way. Only a JSON object counts,
 * and the request goes through lib/net/outbound.ts: no redirect is followed.
 */
export async function fetchUserInfo(userinfoUrl: string, accessToken: string, subject: UserInfoSubject): Promise<Record<string, unknown> | undefined> {
  const response = await outboundFetch(
    userinfoUrl,
    { headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" } },
    { maxBytes: MAX_USERINFO_BYTES },
  ).catch(() => undefined);
  if (!response?.ok) return undefined;
  const body: unknown = await response.json().catch(() => undefined);
  if (!body || typeof body !== "object" || Array.isArray(body)) return undefined;
  const value = (body as Record<string, unknown>)[subject.claim];
  if ((typeof value !== "string" && typeof value !== "number") || String(value) !== subject.value) return undefined;
  return body as Record<string, unknown>;
}

export type SignInClaims = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: SsoFailureReason; detail: string };

/**
 * The claims a sign-in is decided on. OIDC: the verified ID token, which is required. OAuth2
 * (the Cantara guide's type with Entra): the UserInfo profile (Graph /me), unless the token
 * response carries an ID token (scope openid) — then it is verified like an OIDC one
 * (signature, issuer, audience, expiry, tid) and its oid, tid and preferred_username win. No
 * nonce was sent for OAuth2, so none can be compared.
 */
export async function claimsOfSignIn(idp: IdentityProvider, idToken: string | undefined, profile: Record<string, unknown>): Promise<SignInClaims> {
  if (!idToken) {
    if (idp.type === "oidc") return { ok: false, reason: "configuration", detail: "The token response had no id_token" };
    // Without an ID token nothing says which directory the account is from.
    if (pinsNoDirectory(idp)) return { ok: false, reason: "configuration", detail: MULTI_TENANT_UNPINNED };
    return { ok: true, claims: { ...profile } };
  }
  const verified = await verifyIdToken(idp, idToken);
  if (!verified.ok) return verified;
  return { ok: true, claims: idp.type === "oidc" ? { ...verified.claims } : { ...profile, ...verified.claims } };
}
