import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "../client";
import { accounts, groupMembers, groups, identityProviders, tenants, users, type IdentityProvider, type User } from "../schema";
import { encryptSecret } from "../../crypto/secret-box";
import { normalizeEmail } from "./admins";

// Queries behind single sign-on. The identity provider's tenant scopes every user lookup:
// an identity at tenant A's IdP can never match a person of tenant B.

/**
 * The IdP an Auth.js request names by id (`idp-<id>` in its path). The only lookup not
 * scoped by tenant, because the callback URL carries the IdP id alone; callers take the
 * tenant from the row.
 */
export async function findIdentityProviderForSignIn(idpId: string): Promise<IdentityProvider | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(idpId)) return undefined;
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

export type SsoMatch = { user: User; matchedBy: "link" | "externalId" | "userName" } | { user: undefined; conflict?: string };

/**
 * Who may sign in, in the order the issue fixes: an existing link of this IdP account, then
 * the user whose externalId is the IdP's immutable id (SCIM sets externalId = Entra oid),
 * then the user whose userName equals the username attribute, normalised like SCIM's
 * case-insensitive userName. A userName match is refused when that user is already bound
 * to a different immutable id: a reassigned username must not hand over an account.
 */
export async function matchSsoUser(
  tenantId: string,
  identity: { provider: string; providerAccountId: string; immutableId?: string; userName?: string },
): Promise<SsoMatch> {
  const db = await getDb();
  const [linked] = await db
    .select({ user: users })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.userId))
    .where(and(eq(accounts.provider, identity.provider), eq(accounts.providerAccountId, identity.providerAccountId), eq(users.tenantId, tenantId)))
    .limit(1);
  if (linked) return { user: linked.user, matchedBy: "link" };
  if (identity.immutableId) {
    const [byExternalId] = await db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.externalId, identity.immutableId)))
      .limit(1);
    if (byExternalId) return (await linkConflict(identity.provider, byExternalId)) ?? { user: byExternalId, matchedBy: "externalId" };
  }
  if (identity.userName) {
    const [byUserName] = await db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.userNameNormalized, normalizeEmail(identity.userName))))
      .limit(1);
    if (byUserName) {
      if (byUserName.externalId && identity.immutableId && byUserName.externalId !== identity.immutableId) {
        return { user: undefined, conflict: "userName matches a user bound to a different externalId" };
      }
      return (await linkConflict(identity.provider, byUserName)) ?? { user: byUserName, matchedBy: "userName" };
    }
  }
  return { user: undefined };
}

async function linkConflict(provider: string, user: User): Promise<SsoMatch | undefined> {
  const db = await getDb();
  const [other] = await db
    .select({ id: accounts.providerAccountId })
    .from(accounts)
    .where(and(eq(accounts.provider, provider), eq(accounts.userId, user.id)))
    .limit(1);
  return other ? { user: undefined, conflict: "user is linked to a different account at this identity provider" } : undefined;
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

/** Links (or refreshes) the IdP account of a matched user; the refresh token is stored encrypted. */
export async function linkSsoAccount(
  tenantId: string,
  userId: string,
  account: { provider: string; providerAccountId: string; type: "oauth" | "oidc"; tokens: SsoTokens },
) {
  const db = await getDb();
  const [user] = await db.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, userId))).limit(1);
  if (!user) throw new Error("User is not in the identity provider's tenant");
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

/** Just-in-time creation, when the tenant allows it: an SSO user of that tenant. */
export async function createJitUser(
  tenantId: string,
  input: { userName: string; externalId?: string; name?: string; email?: string },
) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({
        tenantId,
        userName: input.userName,
        userNameNormalized: normalizeEmail(input.userName),
        externalId: input.externalId ?? null,
        name: input.name ?? null,
        email: input.email?.toLowerCase() ?? null,
        workEmails: input.email ? [input.email.toLowerCase()] : [],
        source: "local",
        loginMethod: "sso",
        active: true,
      })
      .returning();
    await tx.update(tenants).set({ userCount: sql`${tenants.userCount} + 1` }).where(eq(tenants.id, tenantId));
    return row;
  });
}

/** Stamps the sign-in; the display name follows the IdP's Display Name Attribute when it sent one. */
export async function recordSuccessfulSsoSignIn(tenantId: string, idpId: string, userId: string, displayName?: string) {
  const db = await getDb();
  const now = new Date();
  await db
    .update(users)
    .set(displayName ? { lastSignInAt: now, name: displayName } : { lastSignInAt: now })
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  await db
    .update(identityProviders)
    .set({ lastSuccessfulSignInAt: now })
    .where(and(eq(identityProviders.tenantId, tenantId), eq(identityProviders.id, idpId)));
}

export type IdpTestResult = {
  ok: boolean;
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
