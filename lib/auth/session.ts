import "server-only";
import { randomBytes } from "node:crypto";
import { cookies, headers } from "next/headers";
import { eq } from "drizzle-orm";
import { getDb } from "../db/client";
import { sessions, users } from "../db/schema";
import { gatehouseAdapter, SESSION_MAX_AGE_SECONDS } from "./config";
import { isProduction } from "../env";

export async function usesSecureCookies() {
  if (!isProduction()) return false;
  const h = await headers();
  return (h.get("x-forwarded-proto") ?? "https").split(",")[0].trim() === "https";
}

export async function sessionCookieName() {
  return (await usesSecureCookies()) ? "__Secure-authjs.session-token" : "authjs.session-token";
}

/**
 * Password sign-in ends in the same database session row an SSO sign-in creates (through
 * the Auth.js adapter), so deactivating a user revokes every kind of session at once.
 */
export async function startDatabaseSession(userId: string) {
  const db = await getDb();
  const adapter = gatehouseAdapter(db);
  const sessionToken = randomBytes(32).toString("base64url");
  const expires = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  await adapter.createSession!({ sessionToken, userId, expires });
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, userId));
  const jar = await cookies();
  jar.set(await sessionCookieName(), sessionToken, {
    httpOnly: true,
    sameSite: "lax",
    secure: await usesSecureCookies(),
    path: "/",
    expires,
  });
}

export async function endCurrentSession() {
  const jar = await cookies();
  const name = await sessionCookieName();
  const token = jar.get(name)?.value;
  if (token) {
    const db = await getDb();
    await db.delete(sessions).where(eq(sessions.sessionToken, token));
  }
  jar.delete(name);
}

/** Ends every session of a user: deactivation, deletion, "Sign out everywhere". */
export async function revokeUserSessions(userId: string) {
  const db = await getDb();
  const rows = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ token: sessions.sessionToken });
  return rows.length;
}
