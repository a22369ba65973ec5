import "server-only";
import NextAuth, { type NextAuthConfig } from "next-auth";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { Adapter } from "next-auth/adapters";
import { getDb, type Db } from "../db/client";
import { accounts, sessions, users, verificationTokens } from "../db/schema";
import { authSecret } from "../crypto/keys";
import { isProduction } from "../env";

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

// Our tables extend the adapter's shape (uuid ids, tenant columns); the adapter's generic
// typing cannot express that, so it is called through a plain signature.
const createAdapter = DrizzleAdapter as unknown as (db: Db, tables: Record<string, unknown>) => Adapter;

export function gatehouseAdapter(db: Db) {
  return createAdapter(db, {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  });
}

async function buildConfig(): Promise<NextAuthConfig> {
  const db = await getDb();
  return {
    adapter: gatehouseAdapter(db),
    secret: authSecret(),
    trustHost: true,
    session: { strategy: "database", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 15 * 60 },
    providers: [],
    pages: { signIn: "/login", error: "/login/error" },
    useSecureCookies: isProduction() ? undefined : false,
    callbacks: {
      session({ session, user }) {
        const row = user as unknown as typeof users.$inferSelect;
        return { ...session, user: { ...session.user, id: row.id, tenantId: row.tenantId, active: row.active } };
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(buildConfig);
