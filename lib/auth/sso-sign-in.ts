import "server-only";
import type { Account } from "next-auth";
import type { IdentityProvider, User } from "../db/schema";
import { createJitUser, matchSsoUser, recordIdpTestResult, type SsoMatchRefusal } from "../db/queries/sso";
import { findTenantById, tenantSettings } from "../db/queries/tenants";
import { claimsOfSignIn, fetchUserInfo, type UserInfoSubject } from "./id-token";
import { accountIdFromProfile, claimAsString, legacyAccountIdFromProfile, providerIdFor, type IdpProfile } from "./idp-provider";
import { SSO_FAILURE_MESSAGES, type SsoFailureReason } from "./sso-errors";

export type SsoDecision =
  | { ok: true; user: User; matchedBy: string; claims: IdpProfile; providerAccountId: string; legacyAccountId?: string; jit: boolean }
  | { ok: false; reason: SsoFailureReason; code?: SsoMatchRefusal["code"]; detail?: string; claims?: IdpProfile; user?: User; matchedBy?: string };

/** Claims that only bind the token to this request; not worth showing an admin. */
const PLUMBING_CLAIMS = new Set(["nonce", "at_hash", "c_hash", "s_hash", "sid", "auth_time", "rh", "uti"]);

export function displayableClaims(claims: IdpProfile) {
  return Object.fromEntries(Object.entries(claims).filter(([key]) => !PLUMBING_CLAIMS.has(key)));
}

/** A UserInfo answer is merged only when it names the same subject as the claims so far. */
function userInfoSubject(claims: IdpProfile): UserInfoSubject | undefined {
  if (typeof claims.sub === "string" && claims.sub) return { claim: "sub", value: claims.sub };
  if (typeof claims.id === "string" || typeof claims.id === "number") return { claim: "id", value: String(claims.id) };
  return undefined;
}

/**
 * Decides who an IdP response signs in as, after Auth.js checked state, PKCE and the ID
 * token's claims: verify the ID token's signature and directory (OAuth2 too, when it sent
 * one), read the configured attributes (from UserInfo when the ID token lacks them), then
 * match within the IdP's tenant as its "Match signed-in users by" setting says.
 * `dryRun` (Test sign-in) reports what would happen and never creates a user.
 */
export async function decideSsoSignIn(idp: IdentityProvider, account: Account, profile: IdpProfile, dryRun: boolean): Promise<SsoDecision> {
  const signedIn = await claimsOfSignIn(idp, account.id_token, profile);
  if (!signedIn.ok) return { ok: false, reason: signedIn.reason, detail: signedIn.detail };
  let claims = signedIn.claims as IdpProfile;
  const wanted = [idp.usernameAttribute, idp.displayNameAttribute].filter((c): c is string => Boolean(c));
  const subject = userInfoSubject(claims);
  if (idp.userinfoUrl && account.access_token && subject && wanted.some((claim) => claimAsString(claims, claim) === undefined)) {
    const userinfo = await fetchUserInfo(idp.userinfoUrl, account.access_token, subject);
    if (userinfo) claims = { ...userinfo, ...claims };
  }
  return decideFromClaims(idp, claims, dryRun);
}

/**
 * The matching half of a sign-in, shared by OIDC/OAuth2 (above) and SAML (lib/saml/acs.ts):
 * verified claims in, the user they sign in as (or why nobody) out.
 */
export async function decideFromClaims(idp: IdentityProvider, claims: IdpProfile, dryRun: boolean): Promise<SsoDecision> {
  const providerAccountId = accountIdFromProfile(claims);
  if (!providerAccountId) return { ok: false, reason: "missing_claim", detail: "No oid or sub claim", claims };
  const legacyAccountId = legacyAccountIdFromProfile(claims);
  const userName = claimAsString(claims, idp.usernameAttribute);
  const immutableId = typeof claims.oid === "string" ? claims.oid : typeof claims.sub === "string" ? claims.sub : undefined;
  const settings = tenantSettings((await findTenantById(idp.tenantId))?.settings);
  const identity = { provider: providerIdFor(idp.id), accountId: providerAccountId, legacyAccountId, immutableId, userName };
  const match = await matchSsoUser(idp.tenantId, identity, settings.ssoMatchBy ?? "automatic");
  if (!match.user) {
    const { code, message } = match.refusal;
    if (code !== "no_match" || !settings.jitProvisioning) return { ok: false, reason: "not_provisioned", code, detail: message, claims };
    if (!userName) return { ok: false, reason: "missing_claim", detail: `Username attribute "${idp.usernameAttribute}" missing`, claims };
    const displayName = claimAsString(claims, idp.displayNameAttribute);
    const email = claimAsString(claims, "email");
    const draft = { id: "", userName, name: displayName ?? null, active: true, loginMethod: "sso" } as User;
    if (dryRun) return { ok: true, user: draft, matchedBy: "jit (would be created)", claims, providerAccountId, jit: true };
    const created = await createJitUser(idp.tenantId, { userName, externalId: immutableId, name: displayName, email });
    return { ok: true, user: created, matchedBy: "jit", claims, providerAccountId, jit: true };
  }
  const user = match.user;
  if (!user.active) return { ok: false, reason: "inactive", detail: `User ${user.userName} is inactive`, claims, user, matchedBy: match.matchedBy };
  if (user.loginMethod !== "sso") {
    return { ok: false, reason: "wrong_login_method", detail: `User ${user.userName} signs in with a password`, claims, user, matchedBy: match.matchedBy };
  }
  return { ok: true, user, matchedBy: match.matchedBy, claims, providerAccountId, legacyAccountId, jit: false };
}

export const NOT_PROVISIONED_YET_WARNING =
  "The configuration works: the identity provider's claims arrived and were verified. No Gatehouse user matches them yet — provision users by SCIM (or turn on just-in-time provisioning) before people sign in.";

/**
 * A refusal that says nothing is wrong with the provider's configuration: verified claims with
 * an account id and the username attribute, naming a person nobody has provisioned yet.
 */
export function isNotProvisionedYet(decision: SsoDecision, idp: Pick<IdentityProvider, "usernameAttribute">): boolean {
  if (decision.ok || decision.reason !== "not_provisioned" || decision.code !== "no_match" || !decision.claims) return false;
  return Boolean(accountIdFromProfile(decision.claims) && claimAsString(decision.claims, idp.usernameAttribute));
}

/**
 * Records a Test sign-in's outcome on the IdP, from OIDC or SAML alike: verified claims that name
 * a person nobody provisioned yet still pass, with a warning (the guides set up sign-in before
 * SCIM has run). Returns whether the test passed.
 */
export async function recordIdpTestDecision(
  idp: Pick<IdentityProvider, "id" | "tenantId" | "usernameAttribute">,
  decision: SsoDecision,
  testedBy: string,
): Promise<boolean> {
  const mapped = decision.ok || decision.user ? (decision.user ?? null) : null;
  const configurationWorks = !decision.ok && isNotProvisionedYet(decision, idp);
  await recordIdpTestResult(idp.tenantId, idp.id, {
    ok: decision.ok || configurationWorks,
    warning: configurationWorks ? NOT_PROVISIONED_YET_WARNING : undefined,
    reason: decision.ok ? undefined : decision.code ? `${decision.reason}/${decision.code}` : decision.reason,
    message: decision.ok ? undefined : SSO_FAILURE_MESSAGES[decision.reason].title,
    detail: decision.ok ? undefined : decision.detail,
    claims: decision.claims ? displayableClaims(decision.claims) : undefined,
    mappedUser: mapped
      ? { id: mapped.id, userName: mapped.userName, name: mapped.name, active: mapped.active, loginMethod: mapped.loginMethod, matchedBy: decision.matchedBy ?? "" }
      : null,
    testedBy,
  });
  return decision.ok || configurationWorks;
}
