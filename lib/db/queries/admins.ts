import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "../client";
import { sessions, users, type ConsoleRole } from "../schema";
import { hashPassword } from "../../crypto/password";
import { normalizeUserName } from "../../identity/normalize";

/**
 * A break-glass local admin: not tied to any identity provider, signs in with a password
 * at /login?local=1 even when every IdP is misconfigured. Re-running resets the password and
 * ends the admin's sessions, as a password change in the console does.
 */
export async function upsertPlatformAdmin(input: { email: string; password: string; name?: string; role?: ConsoleRole }) {
  const db = await getDb();
  const normalized = normalizeUserName(input.email);
  const passwordHash = await hashPassword(input.password);
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(isNull(users.tenantId), eq(users.userNameNormalized, normalized)))
    .limit(1);
  const values = {
    userName: input.email.trim(),
    userNameNormalized: normalized,
    email: normalized,
    name: input.name ?? "Platform admin",
    source: "local" as const,
    loginMethod: "password" as const,
    passwordHash,
    consoleRole: input.role ?? ("platform_admin" as ConsoleRole),
    active: true,
  };
  if (existing) {
    await db.update(users).set({ ...values, updatedAt: new Date() }).where(eq(users.id, existing.id));
    const ended = await db.delete(sessions).where(eq(sessions.userId, existing.id)).returning({ userId: sessions.userId });
    return { id: existing.id, email: normalized, created: false, sessionsEnded: ended.length };
  }
  const [row] = await db.insert(users).values(values).returning({ id: users.id });
  return { id: row.id, email: normalized, created: true, sessionsEnded: 0 };
}

export async function countPlatformAdmins() {
  const db = await getDb();
  const rows = await db.select({ id: users.id }).from(users).where(isNull(users.tenantId)).limit(1);
  return rows.length;
}
