import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { accounts, groupMembers, groups, identityProviders, sessions, users, type IdentityProvider, type User } from "../schema";
import { encryptSecret } from "../../crypto/secret-box";
import { normalizeUserName } from "../../identity/normalize";
import { insertUser } from "./users";
import { recordEvents, userEvent } from "../../events";
import type { SsoMatchRefusalCode } from "../../auth/sso-errors";
import { isUuid } from "../../uuid";

// Queries behind single sign-on. The identity provider's tenant scopes every user lookup:
// an identity at tenant A's IdP can never match a person of tenant B.

/**
 * The IdP an Auth.js request names by id (`idp-<id>` in its path). The only lookup not
 * scoped by tenant, because the callback URL carries the IdP id alone; callers take the
 * tenant from the row.
 */
export async function findIdentityProviderForSignIn(idpId: string): Promise<IdentityProvider | undefined> {
  if (!isUuid(idpId)) return undefined;
  const db = await getDb();
  const [row] = await db.select().from(identityProviders).where(eq(identityProviders.id, idpId)).limit(1);
  return row;
}

export async function listActiveIdentityProviders(tenantId: string) {
  const db = await getDb();
  return db
    .select({ id: identityProviders.id, name: identityProviders.name, buttonLabel: identityProviders.buttonLabel })
    .from(identityProviders)
    .where(and(eq(identityProviders.tenantId, tenantId), eq(identityProviders.status, "active")))
    .orderBy(asc(identityProviders.createdAt));
}

export type SsoMatchBy = "automatic" | "objectId" | "userName";

/** Why no user was matched: a stable code for the audit event and the error page, and the admin's words. */
export type SsoMatchRefusal = {
  code: SsoMatchRefusalCode;
  message: string;
};

export type SsoMatch =
  | { user: User; matchedBy: "binding" | "externalId" | "userName" }
  | { user: undefined; refusal: SsoMatchRefusal };

export type SsoIdentity = {
  /** `idp-<id>`: the IdP row pins the issuer (and, for Entra, the directory). */
  provider: string;
  /** The binding's providerAccountId: Entra's `oid`, else `sub`. */
  accountId: string;
  /** Bindings made before the oid alone was the key (`<tid>/<oid>`); still honoured. */
  legacyAccountId?: string;
  /** What a GUID-shaped externalId is compared with: `oid`, else `sub`. */
  immutableId?: string;
  /** The IdP's username attribute (preferred_username / UPN). */
  userName?: string;
};

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Who an SSO sign-in is. An existing binding of this IdP account decides alone. Otherwise the
 * tenant's "Match signed-in users by" setting: `objectId` — externalId equals oid/sub;
 * `userName` — the username attribute, normalised like SCIM's case-insensitive userName;
 * `automatic` — externalId counts as the object ID only when shaped like one (a GUID: Entra's
 * default mapping sends mailNickname, and guides say externalId need not be the objectId),
 * then the userName, refused when its GUID externalId names a different object. A user
 * already bound to another account, at this IdP (a re-assigned UPN) or at another one, is
 * never handed over.
 * externalId is not unique (RFC 7643), so one matching several users is refused.
 */
export async function matchSsoUser(tenantId: string, identity: SsoIdentity, matchBy: SsoMatchBy = "automatic"): Promise<SsoMatch> {
  const bound = await findBoundUser(tenantId, identity);
  if (bound) return { user: bound, matchedBy: "binding" };
  const candidate = await findCandidate(tenantId, identity, matchBy);
  if (!candidate.user) return candidate;
  const other = await otherBinding(identity, candidate.user);
  if (other?.provider === identity.provider) {
    return refuse("bound_to_other_account", `User ${candidate.user.userName} is already bound to account ${other.accountId} at this identity provider, not ${identity.accountId}; unbind it on the user page if the account really changed`);
  }
  if (other) {
    return refuse("bound_to_other_account", `User ${candidate.user.userName} is already bound to another identity provider (${other.provider}); unbind it on the user page before signing in with this one`);
  }
  return candidate;
}

function refuse(code: SsoMatchRefusal["code"], message: string): SsoMatch {
  return { user: undefined, refusal: { code, message } };
}

function accountIdsOf(identity: SsoIdentity) {
  return identity.legacyAccountId ? [identity.accountId, identity.legacyAccountId] : [identity.accountId];
}

async function findBoundUser(tenantId: string, identity: SsoIdentity) {
  const db = await getDb();
  const [bound] = await db
    .select({ user: users })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.userId))
    .where(and(eq(accounts.provider, identity.provider), inArray(accounts.providerAccountId, accountIdsOf(identity)), eq(users.tenantId, tenantId)))
    .limit(1);
  return bound?.user;
}

async function findCandidate(tenantId: string, identity: SsoIdentity, matchBy: SsoMatchBy): Promise<SsoMatch> {
  const { immutableId, userName } = identity;
  if (matchBy !== "userName" && immutableId && (matchBy === "objectId" || isUuid(immutableId))) {
    const byExternalId = await findByExternalId(tenantId, immutableId);
    if (byExternalId.length > 1) {
      return refuse("external_id_ambiguous", `externalId ${immutableId} belongs to ${byExternalId.length} users (${byExternalId.map((u) => u.userName).join(", ")}); sign-in cannot tell which one`);
    }
    if (byExternalId[0]) return { user: byExternalId[0], matchedBy: "externalId" };
    if (matchBy === "objectId") return refuse("no_match", `No user with externalId ${immutableId} (tenant matches by externalId = object ID)`);
  }
  if (!userName) return refuse("no_match", `No user with externalId ${immutableId ?? "-"}, and the token carries no username attribute`);
  const db = await getDb();
  const [byUserName] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.userNameNormalized, normalizeUserName(userName))))
    .limit(1);
  if (!byUserName) return refuse("no_match", `No user with userName ${userName}${matchBy === "userName" ? "" : ` or externalId ${immutableId ?? "-"}`}`);
  const externalId = byUserName.externalId;
  if (matchBy === "automatic" && externalId && isUuid(externalId) && immutableId && !sameId(externalId, immutableId)) {
    return refuse("external_id_mismatch", `User ${byUserName.userName} has the object ID ${externalId} as externalId, but the token's is ${immutableId}`);
  }
  return { user: byUserName, matchedBy: "userName" };
}

async function findByExternalId(tenantId: string, immutableId: string) {
  const db = await getDb();
  const spellings = [...new Set([immutableId, immutableId.toLowerCase(), immutableId.toUpperCase()])];
  return db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.externalId, spellings)))
    .limit(5);
}

/**
 * A binding of the user to any other account: another one at this IdP (a re-assigned UPN) or
 * any at another IdP of the tenant, which chooses its own usernames and subjects (review M-6).
 */
async function otherBinding(identity: SsoIdentity, user: User) {
  const db = await getDb();
  const rows = await db
    .select({ provider: accounts.provider, accountId: accounts.providerAccountId })
    .from(accounts)
    .where(eq(accounts.userId, user.id))
    .limit(10);
  const mine = accountIdsOf(identity);
  return rows.find((r) => r.provider !== identity.provider || !mine.includes(r.accountId));
}

export type SsoTokens = {
  access_token?: string;
  refresh_token?: string;
  id_token?: string;
  expires_at?: number;
  token_type?: string;
  scope?: string;
  session_state?: string;
};

/**
 * Binds the IdP account to a matched user at its first successful sign-in (boundAt), or
 * refreshes its tokens later; the refresh token is stored encrypted. A binding kept under its
 * legacy `<tid>/<oid>` key is re-keyed to the oid, keeping its boundAt.
 */
export async function linkSsoAccount(
  tenantId: string,
  userId: string,
  account: { provider: string; providerAccountId: string; legacyAccountId?: string; type: "oauth" | "oidc" | "saml"; tokens: SsoTokens },
) {
  const db = await getDb();
  const [user] = await db.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, userId))).limit(1);
  if (!user) throw new Error("User is not in the identity provider's tenant");
  if (account.legacyAccountId) {
    await db
      .update(accounts)
      .set({ providerAccountId: account.providerAccountId })
      .where(and(eq(accounts.provider, account.provider), eq(accounts.providerAccountId, account.legacyAccountId), eq(accounts.userId, userId)));
  }
  const t = account.tokens;
  const values = {
    userId,
    type: account.type,
    provider: account.provider,
    providerAccountId: account.providerAccountId,
    refresh_token: t.refresh_token ? encryptSecret(t.refresh_token) : null,
    access_token: null,
    expires_at: t.expires_at ?? null,
    token_type: t.token_type ?? null,
    scope: t.scope ?? null,
    // Kept as the id_token_hint for RP-initiated logout (OIDC RP-Initiated Logout §2).
    id_token: t.id_token ?? null,
    session_state: t.session_state ?? null,
  };
  await db
    .insert(accounts)
    .values(values)
    .onConflictDoUpdate({
      target: [accounts.provider, accounts.providerAccountId],
      set: {
        refresh_token: sql`coalesce(excluded.refresh_token, ${accounts.refresh_token})`,
        expires_at: values.expires_at,
        token_type: values.token_type,
        scope: values.scope,
        id_token: values.id_token,
        session_state: values.session_state,
      },
    });
}

export type SsoBinding = { provider: string; idpId: string; idpName: string; accountId: string; boundAt: Date };

/** The IdP accounts bound to a user, with the IdP's name, for the user page. */
export async function listUserBindings(tenantId: string, userId: string): Promise<SsoBinding[]> {
  const db = await getDb();
  return db
    .select({ provider: accounts.provider, idpId: identityProviders.id, idpName: identityProviders.name, accountId: accounts.providerAccountId, boundAt: accounts.boundAt })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.userId))
    .innerJoin(identityProviders, eq(sql`'idp-' || ${identityProviders.id}::text`, accounts.provider))
    .where(and(eq(accounts.userId, userId), eq(users.tenantId, tenantId), eq(identityProviders.tenantId, tenantId)))
    .orderBy(asc(accounts.boundAt));
}

/** Removes a user's binding at one IdP; the next sign-in matches afresh. Returns the rows removed. */
export async function unbindSsoAccount(tenantId: string, userId: string, provider: string) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const inTenant = tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
    const removed = await tx
      .delete(accounts)
      .where(and(eq(accounts.userId, userId), eq(accounts.provider, provider), inArray(accounts.userId, inTenant)))
      .returning({ accountId: accounts.providerAccountId });
    // An admin unbinds because the binding is wrong: whoever signed in through it is signed out.
    if (removed.length > 0) await tx.delete(sessions).where(eq(sessions.userId, userId));
    return removed.length;
  });
}

/**
 * Just-in-time creation, when the tenant allows it: an SSO user of that tenant. It is a Local
 * user (source "local"): nothing provisioned it, so SCIM neither sees nor changes it.
 */
export async function createJitUser(
  tenantId: string,
  input: { userName: string; externalId?: string; name?: string; email?: string },
) {
  const db = await getDb();
  return db.transaction(async (tx) =>
    insertUser(tx as unknown as Db, tenantId, {
      userName: input.userName,
      externalId: input.externalId ?? null,
      name: input.name ?? null,
      email: input.email?.toLowerCase() ?? null,
      workEmails: input.email ? [input.email.toLowerCase()] : [],
      source: "local",
      loginMethod: "sso",
      active: true,
    }),
  );
}

/**
 * Stamps the sign-in; the display name follows the IdP's Display Name Attribute when it sent
 * one. The `user.signed_in` event (lib/events) is written in the same transaction.
 */
export async function recordSuccessfulSsoSignIn(tenantId: string, idpId: string, userId: string, displayName?: string) {
  const db = await getDb();
  const now = new Date();
  await db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set(displayName ? { lastSignInAt: now, name: displayName } : { lastSignInAt: now })
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
      .returning({ id: users.id, userName: users.userName });
    await tx
      .update(identityProviders)
      .set({ lastSuccessfulSignInAt: now })
      .where(and(eq(identityProviders.tenantId, tenantId), eq(identityProviders.id, idpId)));
    if (user) await recordEvents(tx as unknown as Db, [userEvent("user.signed_in", tenantId, user, { method: "sso", identityProviderId: idpId })]);
  });
}

export type IdpTestResult = {
  ok: boolean;
  /** A passing test that still needs the admin's attention (e.g. nobody provisioned yet). */
  warning?: string;
  reason?: string;
  message?: string;
  detail?: string;
  claims?: Record<string, unknown>;
  mappedUser?: { id: string; userName: string; name: string | null; active: boolean; loginMethod: string; matchedBy: string } | null;
  testedBy?: string;
};

export async function recordIdpTestResult(tenantId: string, idpId: string, result: IdpTestResult) {
  const db = await getDb();
  await db
    .update(identityProviders)
    .set({ lastTestedAt: new Date(), lastTestOk: result.ok, lastTestResult: result })
    .where(and(eq(identityProviders.tenantId, tenantId), eq(identityProviders.id, idpId)));
}

export async function listUserGroupNames(tenantId: string, userId: string) {
  const db = await getDb();
  const rows = await db
    .select({ displayName: groups.displayName })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groupMembers.tenantId, tenantId), eq(groupMembers.userId, userId)))
    .orderBy(asc(groups.displayName));
  return rows.map((r) => r.displayName);
}

/** The id_token kept for logout, for the IdP the user signed in with most recently. */
export async function findLogoutHint(tenantId: string, userId: string) {
  const db = await getDb();
  const rows = await db
    .select({ provider: accounts.provider, idToken: accounts.id_token, logoutUrl: identityProviders.logoutUrl, status: identityProviders.status })
    .from(accounts)
    .innerJoin(identityProviders, eq(sql`'idp-' || ${identityProviders.id}::text`, accounts.provider))
    .where(and(eq(accounts.userId, userId), eq(identityProviders.tenantId, tenantId), inArray(identityProviders.status, ["active"])))
    .limit(5);
  return rows.find((r) => r.logoutUrl) ?? rows[0];
}
