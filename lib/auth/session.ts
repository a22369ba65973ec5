import "server-only";
import { randomBytes } from "node:crypto";
import { cookies, headers } from "next/headers";
import { eq, sql } from "drizzle-orm";
import { getDb, type Db } from "../db/client";
import { directoryEvents, sessions, users } from "../db/schema";
import { gatehouseAdapter, SESSION_MAX_AGE_SECONDS } from "./config";
import { env, isProduction } from "../env";
import { recordAudit } from "../db/queries/audit";
import { actors, type Actor } from "../audit";
import { sessionRow } from "./session-store";

/** The same decision Auth.js makes (AUTH_URL's scheme, else the forwarded proto), so both agree on the cookie name. */
export async function usesSecureCookies() {
  if (!isProduction()) return false;
  const configured = env().AUTH_URL;
  if (configured) return new URL(configured).protocol === "https:";
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
  await stampPasswordSignIn(db, userId);
  const jar = await cookies();
  jar.set(await sessionCookieName(), sessionToken, {
    httpOnly: true,
    sameSite: "lax",
    secure: await usesSecureCookies(),
    path: "/",
    expires,
  });
}

/** last_sign_in_at, and for a tenant's user its `user.signed_in` event (lib/events), in one statement. */
async function stampPasswordSignIn(db: Db, userId: string) {
  await db.execute(sql`
    with stamped as (update ${users} set last_sign_in_at = now() where id = ${userId} returning id, tenant_id, user_name)
    insert into ${directoryEvents} (tenant_id, type, resource_type, resource_id, payload)
    select tenant_id, 'user.signed_in', 'user', id, jsonb_build_object('userName', user_name, 'method', 'password')
    from stamped where tenant_id is not null`);
}

export async function endCurrentSession() {
  const jar = await cookies();
  const name = await sessionCookieName();
  const token = jar.get(name)?.value;
  if (token) {
    const db = await getDb();
    await db.delete(sessions).where(sessionRow(token));
  }
  jar.delete(name);
}

export type RevocationActor = Actor & {
  /** Why, in a word or two: "deactivated", "deleted", "sign_out_everywhere"… */
  reason?: string;
  /** false when the caller's own audit event already records the revocation (one write, one event). */
  audit?: boolean;
};

/**
 * Ends every session of a user: deactivation (SCIM `active:false`, console), deletion, "Sign
 * out everywhere". Database sessions make this immediate: the next request finds no row.
 * Revocations that ended at least one session are audited, unless the caller audits its own
 * write (a console action's event carries `sessionsEnded`).
 */
export async function revokeUserSessions(userId: string, actor: RevocationActor = actors.system()) {
  const db = await getDb();
  const rows = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ token: sessions.sessionToken });
  if (rows.length > 0 && actor.audit !== false) {
    const [user] = await db.select({ tenantId: users.tenantId, userName: users.userName }).from(users).where(eq(users.id, userId)).limit(1);
    await recordAudit({
      tenantId: user?.tenantId ?? null,
      actorType: actor.actorType,
      actorId: actor.actorId,
      actorLabel: actor.actorLabel,
      action: "auth.sessions.revoked",
      targetType: "user",
      targetId: userId,
      targetLabel: user?.userName ?? null,
      outcome: "success",
      details: { sessions: rows.length, reason: actor.reason ?? null },
    }).catch(() => {});
  }
  return rows.length;
}
