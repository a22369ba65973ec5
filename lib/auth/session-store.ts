import { createHash } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Adapter, AdapterSession } from "next-auth/adapters";
import type { Db } from "../db/client";
import { sessions } from "../db/schema";

// Database sessions, stored so that a dump of the table opens none of them (ASVS 7.2.1):
// the row keeps the lowercase hex SHA-256 of the cookie value (migration 0005), never the
// value itself. A session also ends a fixed time after it began, however often it slides
// forward (ASVS 7.3.2).

/** A session never outlives its start by more than this, whatever `updateAge` does. */
export const SESSION_ABSOLUTE_LIFETIME_SECONDS = 24 * 60 * 60;

export function hashSessionToken(token: string) {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The row key of the session a cookie value names. */
export const sessionRow = (token: string) => eq(sessions.sessionToken, hashSessionToken(token));

/** Still inside both its sliding expiry and its absolute lifetime. */
export const sessionIsLive = () =>
  and(gt(sessions.expires, sql`now()`), gt(sessions.createdAt, sql`now() - make_interval(secs => ${SESSION_ABSOLUTE_LIFETIME_SECONDS})`));

function absoluteEnd(createdAt: Date | undefined) {
  return (createdAt ?? new Date()).getTime() + SESSION_ABSOLUTE_LIFETIME_SECONDS * 1000;
}

/** The soonest of the sliding expiry and the absolute end. */
function capped<T extends AdapterSession>(session: T & { createdAt?: Date }, token: string): T {
  const end = absoluteEnd(session.createdAt);
  const expires = session.expires.getTime() > end ? new Date(end) : session.expires;
  return { ...session, sessionToken: token, expires };
}

/**
 * Wraps the Drizzle adapter's session methods: Auth.js hands them the cookie value and sets
 * cookies from what they return, so the hash stays inside these functions.
 */
export function withHashedSessions(base: Adapter, db: Db): Adapter {
  return {
    ...base,
    async createSession(session) {
      const row = await base.createSession!({ ...session, sessionToken: hashSessionToken(session.sessionToken) });
      return capped(row, session.sessionToken);
    },
    async getSessionAndUser(token) {
      const found = await base.getSessionAndUser!(hashSessionToken(token));
      if (!found) return null;
      const session = capped(found.session, token);
      if (session.expires.getTime() <= Date.now()) {
        await db.delete(sessions).where(sessionRow(token));
        return null;
      }
      return { ...found, session };
    },
    async updateSession(session) {
      const [row] = await db
        .update(sessions)
        .set({
          ...(session.userId ? { userId: session.userId } : {}),
          ...(session.expires
            ? { expires: sql`least(${session.expires.toISOString()}::timestamptz, ${sessions.createdAt} + make_interval(secs => ${SESSION_ABSOLUTE_LIFETIME_SECONDS}))` }
            : {}),
        })
        .where(sessionRow(session.sessionToken))
        .returning();
      return row ? capped(row, session.sessionToken) : null;
    },
    async deleteSession(token) {
      await db.delete(sessions).where(sessionRow(token));
    },
  };
}

/** Whether a cookie value names a live session (the proxy's sign-in redirect; pages still authorize). */
export async function isLiveSessionToken(db: Db, token: string | undefined): Promise<boolean> {
  if (!token || token.length > 512) return false;
  const [row] = await db.select({ userId: sessions.userId }).from(sessions).where(and(sessionRow(token), sessionIsLive())).limit(1);
  return Boolean(row);
}
