import "server-only";
import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { getDb } from "../client";
import { sessionHandoffs, sessions, users } from "../schema";
import { sessionIsLive } from "../../auth/session-store";
import { apiUserColumns } from "./users";

// Handoff tokens (lib/auth/session-handoff.ts): each names one session and its user's tenant,
// is stored as its SHA-256 only, lives at most a minute and is spent by the first exchange.

/** Who may spend a handoff: a tenant's key only its own tenant's, a platform key any. */
export type HandoffReader = { tenantId: string } | { platform: true };

/** The live session a cookie's hash names, if its user is active: what a new handoff is bound to. */
export async function findHandoffSession(sessionTokenHash: string) {
  const db = await getDb();
  const [row] = await db
    .select({ sessionToken: sessions.sessionToken, tenantId: users.tenantId })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.sessionToken, sessionTokenHash), sessionIsLive(), eq(users.active, true)))
    .limit(1);
  return row;
}

export async function saveSessionHandoff(row: { tenantId: string | null; sessionToken: string; tokenHash: string; lifetimeSeconds: number }) {
  const db = await getDb();
  // Expired tokens are of no use to anyone; each new one sweeps them (spent ones expire within the minute).
  await db.delete(sessionHandoffs).where(lt(sessionHandoffs.expiresAt, sql`now()`));
  await db.insert(sessionHandoffs).values({
    tenantId: row.tenantId,
    sessionToken: row.sessionToken,
    tokenHash: row.tokenHash,
    // The database's clock, the one the exchange compares against.
    expiresAt: sql`now() + make_interval(secs => ${row.lifetimeSeconds})`,
  });
}

/**
 * Spends a handoff and answers whose session it names. One UPDATE marks it used only while it
 * is unused and unexpired, so of two exchanges racing for it exactly one gets a row; a token of
 * a tenant the reader may not read is left unspent. Undefined as well when the session has
 * ended since (sign-out, revocation, deactivation) or is past its sliding or absolute expiry.
 */
export async function consumeSessionHandoff(reader: HandoffReader, tokenHash: string) {
  const db = await getDb();
  const [spent] = await db
    .update(sessionHandoffs)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        "tenantId" in reader ? eq(sessionHandoffs.tenantId, reader.tenantId) : undefined,
        eq(sessionHandoffs.tokenHash, tokenHash),
        isNull(sessionHandoffs.usedAt),
        gt(sessionHandoffs.expiresAt, sql`now()`),
      ),
    )
    .returning({ sessionToken: sessionHandoffs.sessionToken });
  if (!spent) return undefined;
  const [row] = await db
    .select({ user: apiUserColumns, expires: sessions.expires, sessionCreatedAt: sessions.createdAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.sessionToken, spent.sessionToken), sessionIsLive()))
    .limit(1);
  return row;
}
