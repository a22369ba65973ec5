import "server-only";
import NextAuth, { type NextAuthConfig } from "next-auth";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { Adapter, AdapterUser } from "next-auth/adapters";
import type { Provider } from "next-auth/providers";
import { getDb, type Db } from "../db/client";
import { accounts, sessions, users, verificationTokens, type IdentityProvider } from "../db/schema";
import { authSecret } from "../crypto/keys";
import { decryptSecret, encryptSecret } from "../crypto/secret-box";
import { isProduction } from "../env";
import { findIdentityProviderForSignIn, linkSsoAccount, recordSuccessfulSsoSignIn } from "../db/queries/sso";
import { authContext, failSignIn } from "./request-context";
import { buildIdpProvider, claimAsString, idpIdFromProviderId, type IdpProfile } from "./idp-provider";
import { decideSsoSignIn, recordIdpTestDecision } from "./sso-sign-in";
import { classifyAuthError, type SSO_FAILURE_MESSAGES } from "./sso-errors";
import { idpTestResultPath } from "./idp-test";
import { safeCallbackPath } from "./callback-url";
import { createAuthRouteHandlers } from "./route-handlers";
import { errorSummary } from "../error-summary";
import { requestLogger } from "../log";
import { sessionRow, withHashedSessions } from "./session-store";

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

// Our tables extend the adapter's shape (uuid ids, tenant columns); the adapter's generic
// typing cannot express that, so it is called through a plain signature.
const createAdapter = DrizzleAdapter as unknown as (db: Db, tables: Record<string, unknown>) => Adapter;

/**
 * The Auth.js adapter, narrowed to what Gatehouse allows: users come from SCIM, the console
 * or our own just-in-time path (lib/auth/sso-sign-in.ts), so Auth.js may never create one or
 * match one by email; an inactive user's session is no session.
 */
export function gatehouseAdapter(db: Db): Adapter {
  const drizzleAdapter = createAdapter(db, {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  });
  const base = withHashedSessions(drizzleAdapter, db);
  return {
    ...base,
    async createUser() {
      throw new Error("Gatehouse users are provisioned, never created by Auth.js");
    },
    async getUserByEmail() {
      return null;
    },
    async linkAccount(account) {
      const sealed = account.refresh_token ? encryptSecret(account.refresh_token) : account.refresh_token;
      await base.linkAccount!({ ...account, refresh_token: sealed, access_token: undefined });
    },
    async getSessionAndUser(sessionToken) {
      const found = await base.getSessionAndUser!(sessionToken);
      if (!found) return null;
      if (!(found.user as AdapterUser & { active?: boolean }).active) {
        await base.deleteSession!(sessionToken);
        return null;
      }
      return found;
    },
  };
}

async function loadIdp(idpId: string | undefined): Promise<{ idp: IdentityProvider; provider: Provider } | undefined> {
  if (!idpId) return undefined;
  const idp = await findIdentityProviderForSignIn(idpId);
  if (!idp?.clientSecretEnc) return undefined;
  const testing = authContext()?.test?.idpId === idp.id;
  if (idp.status !== "active" && !testing) return undefined;
  return { idp, provider: buildIdpProvider(idp, decryptSecret(idp.clientSecretEnc)) };
}

function errorPath(reason: keyof typeof SSO_FAILURE_MESSAGES) {
  return `/login/error?reason=${reason}`;
}

async function buildConfig(): Promise<NextAuthConfig> {
  const db = await getDb();
  // Providers are per request: only the identity provider this request signs in with is
  // loaded (active, or the draft under test); session reads load none.
  const context = authContext();
  const loaded = await loadIdp(context?.idpId);
  return {
    adapter: gatehouseAdapter(db),
    secret: authSecret(),
    trustHost: true,
    session: { strategy: "database", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 15 * 60 },
    providers: loaded ? [loaded.provider] : [],
    pages: { signIn: "/login", error: "/login/error" },
    useSecureCookies: isProduction() ? undefined : false,
    logger: {
      error(error) {
        const classified = classifyAuthError(error);
        failSignIn(classified.reason, classified.detail);
        void requestLogger().then((log) => log.warn({ reason: classified.reason, err: errorSummary(error) }, "sign-in failed"), () => {});
      },
      warn() {},
    },
    callbacks: {
      async signIn({ account, profile }) {
        const idpId = idpIdFromProviderId(account?.provider);
        if (!account || !idpId || !loaded || loaded.idp.id !== idpId) {
          failSignIn("provider_unavailable");
          return errorPath("provider_unavailable");
        }
        const idp = loaded.idp;
        const test = authContext()?.test;
        const decision = await decideSsoSignIn(idp, account, (profile ?? {}) as IdpProfile, Boolean(test));
        if (test) {
          await recordIdpTestDecision(idp, decision, test.adminUserId);
          test.recorded = true;
          return idpTestResultPath(idp.id);
        }
        if (!decision.ok) {
          failSignIn(decision.reason, decision.detail, decision.code);
          return errorPath(decision.reason);
        }
        await linkSsoAccount(idp.tenantId, decision.user.id, {
          provider: account.provider,
          providerAccountId: decision.providerAccountId,
          legacyAccountId: decision.legacyAccountId,
          type: idp.type === "oidc" ? "oidc" : "oauth",
          tokens: account,
        });
        // Auth.js looks the account up again and signs in its user; it must be ours, so
        // the providerAccountId it uses is the one we linked.
        account.providerAccountId = decision.providerAccountId;
        await recordSuccessfulSsoSignIn(idp.tenantId, idp.id, decision.user.id, claimAsString(decision.claims, idp.displayNameAttribute));
        // Signing in as someone else while a session exists switches user instead of linking.
        const current = context?.sessionToken;
        if (current) {
          await db.delete(sessions).where(sessionRow(current));
        }
        if (context) context.signedIn = { userId: decision.user.id, tenantId: idp.tenantId, matchedBy: decision.matchedBy };
        return true;
      },
      redirect({ url, baseUrl }) {
        if (url.startsWith("/")) return `${baseUrl}${safeCallbackPath(url, "/")}`;
        try {
          const parsed = new URL(url);
          if (parsed.origin === baseUrl) return `${baseUrl}${safeCallbackPath(`${parsed.pathname}${parsed.search}`, "/")}`;
        } catch {
          // fall through
        }
        return `${baseUrl}/`;
      },
      session({ session, user }) {
        const row = user as unknown as typeof users.$inferSelect;
        return { ...session, user: { ...session.user, id: row.id, tenantId: row.tenantId, active: row.active } };
      },
    },
  };
}

const nextAuth = NextAuth(buildConfig);

export const { auth, signIn, signOut } = nextAuth;
/** The /api/auth/* route handlers (lib/auth/route-handlers.ts). */
export const handlers = createAuthRouteHandlers(buildConfig);
