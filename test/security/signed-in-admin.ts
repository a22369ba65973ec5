import type { Db } from "@/lib/db/client";
import { sessions, users } from "@/lib/db/schema";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/config";
import { hashSessionToken } from "@/lib/auth/session-store";
import { newSessionToken, setSessionCookie } from "./console-session";

// Apart from console-session.ts on purpose: that file is loaded by the next/headers mock
// factory, and importing lib/auth/config there (which imports next/headers) would wait on itself.

/** A console user (any role) with a live session, its cookie in the jar. Returns the user's id. */
export async function signInConsoleUser(db: Db, values: typeof users.$inferInsert): Promise<string> {
  const [user] = await db.insert(users).values(values).returning({ id: users.id });
  const token = newSessionToken();
  await db.insert(sessions).values({ sessionToken: hashSessionToken(token), userId: user.id, expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) });
  setSessionCookie(token);
  return user.id;
}

/**
 * A platform admin with a live console session, its cookie in the jar: what a signed-in
 * browser brings to a server action. Returns the admin's id.
 */
export function signInPlatformAdmin(db: Db, email = "root@gatehouse.test"): Promise<string> {
  return signInConsoleUser(db, { tenantId: null, userName: email, userNameNormalized: email, email, consoleRole: "platform_admin" });
}
