import "server-only";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { getDb } from "../client";
import { provisioningTokens, tenants, type TenantSettings } from "../schema";
import { generateProvisioningToken, hashToken, isWellFormedToken } from "../../crypto/tokens";
import { defer } from "../../defer";

export type TokenStatus = "active" | "expired" | "revoked";

export function tokenStatus(token: { expiresAt: Date; revokedAt: Date | null }, now = new Date()): TokenStatus {
  if (token.revokedAt) return "revoked";
  return token.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

/** Creates a token; the plaintext is returned here once and never again. */
export async function createProvisioningToken(
  tenantId: string,
  input: { name?: string; expiresAt: Date; createdBy: string },
) {
  const db = await getDb();
  const generated = generateProvisioningToken();
  const [row] = await db
    .insert(provisioningTokens)
    .values({
      tenantId,
      name: input.name?.trim() || "Provisioning token",
      tokenHash: generated.hash,
      prefix: generated.prefix,
      last4: generated.last4,
      createdBy: input.createdBy,
      expiresAt: input.expiresAt,
    })
    .returning();
  return { row: publicToken(row), token: generated.token };
}

const publicColumns = {
  id: provisioningTokens.id,
  tenantId: provisioningTokens.tenantId,
  name: provisioningTokens.name,
  prefix: provisioningTokens.prefix,
  last4: provisioningTokens.last4,
  createdBy: provisioningTokens.createdBy,
  createdAt: provisioningTokens.createdAt,
  expiresAt: provisioningTokens.expiresAt,
  lastUsedAt: provisioningTokens.lastUsedAt,
  revokedAt: provisioningTokens.revokedAt,
};

export type PublicToken = Omit<typeof provisioningTokens.$inferSelect, "tokenHash">;

function publicToken(row: typeof provisioningTokens.$inferSelect): PublicToken {
  const { tokenHash: _hash, ...rest } = row;
  return rest;
}

export async function listProvisioningTokens(tenantId: string) {
  const db = await getDb();
  return db
    .select(publicColumns)
    .from(provisioningTokens)
    .where(eq(provisioningTokens.tenantId, tenantId))
    .orderBy(desc(provisioningTokens.createdAt));
}

export async function findProvisioningToken(tokenId: string) {
  const db = await getDb();
  const [row] = await db.select(publicColumns).from(provisioningTokens).where(eq(provisioningTokens.id, tokenId)).limit(1);
  return row;
}

export async function revokeProvisioningToken(tenantId: string, tokenId: string) {
  const db = await getDb();
  const [row] = await db
    .update(provisioningTokens)
    .set({ revokedAt: sql`coalesce(${provisioningTokens.revokedAt}, now())` })
    .where(and(eq(provisioningTokens.tenantId, tenantId), eq(provisioningTokens.id, tokenId)))
    .returning(publicColumns);
  forgetVerifiedTokens({ tokenId });
  return row;
}

export async function deleteProvisioningToken(tenantId: string, tokenId: string) {
  const db = await getDb();
  const rows = await db
    .delete(provisioningTokens)
    .where(and(eq(provisioningTokens.tenantId, tenantId), eq(provisioningTokens.id, tokenId)))
    .returning({ id: provisioningTokens.id });
  forgetVerifiedTokens({ tokenId });
  return rows.length > 0;
}

export async function listTokensExpiringSoon(tenantIds: string[] | "all", withinDays = 7) {
  const db = await getDb();
  const horizon = new Date(Date.now() + withinDays * 86_400_000);
  return db
    .select({ ...publicColumns, tenantName: tenants.name, tenantSlug: tenants.slug })
    .from(provisioningTokens)
    .innerJoin(tenants, eq(tenants.id, provisioningTokens.tenantId))
    .where(
      and(
        tenantIds === "all" ? undefined : tenantIds.length ? sql`${provisioningTokens.tenantId} in ${tenantIds}` : sql`false`,
        isNull(provisioningTokens.revokedAt),
        sql`${provisioningTokens.expiresAt} > now()`,
        lt(provisioningTokens.expiresAt, horizon),
      ),
    )
    .orderBy(provisioningTokens.expiresAt);
}

export type TokenVerification =
  | { ok: true; tokenId: string; tenantId: string; settings: TenantSettings }
  | { ok: false; reason: "missing" | "malformed" | "unknown" | "expired" | "revoked" | "wrong_tenant" };

// Last-used is written at most once a minute per token, and after the response (defer()), so
// verification is read-only on the hot path.
const LAST_USED_THROTTLE_MS = 60_000;
const lastUsedWrites = new Map<string, number>();

type VerifiedRow = { id: string; tenantId: string; expiresAt: Date; revokedAt: Date | null; lastUsedAt: Date | null; settings: TenantSettings };

/**
 * Rows of tokens found in the last half second, by hash: a busy token costs two lookups a second per
 * instance instead of one a request. A revocation or a settings change made on this instance
 * takes effect at once (forgetVerifiedTokens); one made on another instance within
 * VERIFIED_TTL_MS. Expiry is checked against the clock on every request. Unknown tokens are
 * never kept.
 */
export const VERIFIED_TTL_MS = 500;
const VERIFIED_MAX = 10_000;
type VerifiedTokens = Map<string, { row: VerifiedRow; at: number }>;
// One map per process, not per module copy: Next.js bundles route handlers and server actions
// separately, so a module-level map would let a console action (a revocation, a new rate limit)
// clear its own copy while the SCIM route kept serving the old row for up to VERIFIED_TTL_MS.
const verified: VerifiedTokens = ((globalThis as { __gatehouseVerifiedTokens?: VerifiedTokens }).__gatehouseVerifiedTokens ??= new Map());

/** Drops this instance's kept rows of a token, or of every token of a tenant. */
export function forgetVerifiedTokens(match: { tokenId?: string; tenantId?: string }) {
  for (const [hash, entry] of verified) {
    if (entry.row.id === match.tokenId || entry.row.tenantId === match.tenantId) verified.delete(hash);
  }
}

async function lookUpToken(hash: string): Promise<VerifiedRow | undefined> {
  const now = Date.now();
  const kept = verified.get(hash);
  if (kept && now - kept.at < VERIFIED_TTL_MS) return kept.row;
  const db = await getDb();
  const [row] = await db
    .select({
      id: provisioningTokens.id,
      tenantId: provisioningTokens.tenantId,
      expiresAt: provisioningTokens.expiresAt,
      revokedAt: provisioningTokens.revokedAt,
      lastUsedAt: provisioningTokens.lastUsedAt,
      settings: tenants.settings,
    })
    .from(provisioningTokens)
    .innerJoin(tenants, eq(tenants.id, provisioningTokens.tenantId))
    .where(eq(provisioningTokens.tokenHash, hash))
    .limit(1);
  if (!row) {
    verified.delete(hash);
    return undefined;
  }
  if (verified.size >= VERIFIED_MAX && !verified.has(hash)) verified.delete(verified.keys().next().value!);
  verified.delete(hash);
  verified.set(hash, { row, at: now });
  return row;
}

/**
 * Verifies `Authorization: Bearer <token>` for a tenant, and returns the tenant's settings
 * with it (one round trip for both). The lookup is by SHA-256 hash (a unique index), so
 * comparing plaintexts never happens and timing reveals nothing.
 */
export async function verifyProvisioningToken(authorization: string | null, tenantId: string): Promise<TokenVerification> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return { ok: false, reason: "missing" };
  const presented = match[1];
  if (!isWellFormedToken(presented)) return { ok: false, reason: "malformed" };
  const row = await lookUpToken(hashToken(presented));
  if (!row) return { ok: false, reason: "unknown" };
  if (row.tenantId !== tenantId) return { ok: false, reason: "wrong_tenant" };
  const status = tokenStatus(row);
  if (status !== "active") return { ok: false, reason: status };
  touchLastUsed(row.id, row.lastUsedAt);
  return { ok: true, tokenId: row.id, tenantId: row.tenantId, settings: row.settings };
}

function touchLastUsed(tokenId: string, lastUsedAt: Date | null) {
  const now = Date.now();
  const lastWrite = Math.max(lastUsedWrites.get(tokenId) ?? 0, lastUsedAt?.getTime() ?? 0);
  if (now - lastWrite < LAST_USED_THROTTLE_MS) return;
  lastUsedWrites.set(tokenId, now);
  defer("token last used", async () => {
    const db = await getDb();
    await db
      .update(provisioningTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(
        and(
          eq(provisioningTokens.id, tokenId),
          or(isNull(provisioningTokens.lastUsedAt), lt(provisioningTokens.lastUsedAt, new Date(now - LAST_USED_THROTTLE_MS))),
        ),
      );
  });
}
