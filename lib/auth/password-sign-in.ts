import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "../db/client";
import { users } from "../db/schema";
import { verifyPassword } from "../crypto/password";
import { normalizeEmail } from "../db/queries/admins";
import { recordAudit } from "../db/queries/audit";

export type PasswordSignInResult =
  | { ok: true; userId: string; tenantId: string | null }
  | { ok: false; reason: "invalid_credentials" | "inactive" | "sso_only" };

/**
 * Built-in password sign-in for break-glass platform admins (no tenant) and for a tenant's
 * local users whose login method is "password". The answer never reveals which part was wrong.
 */
export async function verifyPasswordSignIn(input: { email: string; password: string; tenantId?: string | null }): Promise<PasswordSignInResult> {
  const db = await getDb();
  const normalized = normalizeEmail(input.email);
  const scope = input.tenantId ? eq(users.tenantId, input.tenantId) : isNull(users.tenantId);
  const [user] = await db.select().from(users).where(and(scope, eq(users.userNameNormalized, normalized))).limit(1);
  const passwordOk = await verifyPassword(input.password, user?.passwordHash);
  const outcome: PasswordSignInResult =
    !user || (!passwordOk && user.loginMethod === "password")
      ? { ok: false, reason: "invalid_credentials" }
      : user.loginMethod !== "password"
        ? { ok: false, reason: "sso_only" }
        : !passwordOk
          ? { ok: false, reason: "invalid_credentials" }
          : !user.active
            ? { ok: false, reason: "inactive" }
            : { ok: true, userId: user.id, tenantId: user.tenantId };
  await recordAudit({
    tenantId: user?.tenantId ?? input.tenantId ?? null,
    actorType: "user",
    actorId: user?.id ?? null,
    actorLabel: normalized,
    action: "auth.sign_in.password",
    targetType: "user",
    targetId: user?.id ?? null,
    targetLabel: normalized,
    outcome: outcome.ok ? "success" : "failure",
    details: outcome.ok ? null : { reason: outcome.reason },
  });
  return outcome;
}
