import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "../db/client";
import { tenants, users } from "../db/schema";
import { hashPassword, needsRehash, verifyPassword } from "../crypto/password";
import { normalizeUserName } from "../identity/normalize";
import { recordAudit } from "../db/queries/audit";
import { actors } from "../audit";
import { beginPasswordAttempt } from "./sign-in-limits";
import { countSignIn } from "../scim-server/usage";

export type PasswordSignInResult =
  | { ok: true; userId: string; tenantId: string | null }
  | { ok: false; reason: "invalid_credentials" | "inactive" | "sso_only" }
  | { ok: false; reason: "too_many_attempts"; retryAfterSeconds: number };

/**
 * Built-in password sign-in for break-glass platform admins (no tenant) and for a tenant's
 * local users whose login method is "password". The answer never reveals which part was wrong.
 * `source` is the client address (lib/net/client-address.ts) the sign-in limits count by.
 */
export async function verifyPasswordSignIn(input: {
  email: string;
  password: string;
  tenantId?: string | null;
  source: string;
}): Promise<PasswordSignInResult> {
  const db = await getDb();
  const normalized = normalizeUserName(input.email);
  const attempt = await beginPasswordAttempt(input.source, { scope: input.tenantId ?? null, email: normalized });
  if (!attempt.ok) return { ok: false, reason: "too_many_attempts", retryAfterSeconds: attempt.retryAfterSeconds };
  if (attempt.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, attempt.delayMs));
  const scope = input.tenantId ? eq(users.tenantId, input.tenantId) : isNull(users.tenantId);
  const [user] = await db.select().from(users).where(and(scope, eq(users.userNameNormalized, normalized))).limit(1);
  const passwordOk = await verifyPassword(input.password, user?.passwordHash);
  if (passwordOk) await attempt.succeeded();
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
  const tenantId = user ? user.tenantId : await existingTenantId(input.tenantId);
  if (tenantId) countSignIn(tenantId, outcome.ok);
  await recordAudit({
    tenantId,
    ...actors.user({ id: user?.id ?? null, userName: normalized }),
    action: "auth.sign_in.password",
    targetType: "user",
    targetId: user?.id ?? null,
    targetLabel: normalized,
    outcome: outcome.ok ? "success" : "failure",
    details: outcome.ok ? null : { reason: outcome.reason },
  });
  if (outcome.ok && user?.passwordHash && needsRehash(user.passwordHash)) await rehash(user.id, user.passwordHash, input.password);
  return outcome;
}

/** A sign-in form may name a tenant that does not exist: its failure is then a platform event. */
async function existingTenantId(tenantId: string | null | undefined) {
  if (!tenantId) return null;
  const db = await getDb();
  const [tenant] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  return tenant?.id ?? null;
}

/** Raises a legacy or weaker hash to today's parameters; a concurrent password change wins. */
async function rehash(userId: string, current: string, password: string) {
  const db = await getDb();
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(password) })
    .where(and(eq(users.id, userId), eq(users.passwordHash, current)));
}
