import "server-only";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { getDb } from "../client";
import { provisioningTokens, tenants } from "../schema";
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
  return row;
}

export async function deleteProvisioningToken(tenantId: string, tokenId: string) {
  const db = await getDb();
  const rows = await db
    .delete(provisioningTokens)
    .where(and(eq(provisioningTokens.tenantId, tenantId), eq(provisioningTokens.id, tokenId)))
    .returning({ id: provisioningTokens.id });
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
  | { ok: true; tokenId: string; tenantId: string }
  | { ok: false; reason: "missing" | "malformed" | "unknown" | "expired" | "revoked" | "wrong_tenant" };

// Last-used is written at most once a minute per token, and after the response (defer()), so
// verification is read-only on the hot path.
const LAST_USED_THROTTLE_MS = 60_000;
const lastUsedWrites = new Map<string, number>();

/**
 * Verifies `Authorization: Bearer <token>` for a tenant. The lookup is by SHA-256 hash
 * (a unique index), so comparing plaintexts never happens and timing reveals nothing.
 */
export async function verifyProvisioningToken(authorization: string | null, tenantId: string): Promise<TokenVerification> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return { ok: false, reason: "missing" };
  const presented = match[1];
  if (!isWellFormedToken(presented)) return { ok: false, reason: "malformed" };
  const db = await getDb();
  const [row] = await db
    .select({
      id: provisioningTokens.id,
      tenantId: provisioningTokens.tenantId,
      expiresAt: provisioningTokens.expiresAt,
      revokedAt: provisioningTokens.revokedAt,
      lastUsedAt: provisioningTokens.lastUsedAt,
    })
    .from(provisioningTokens)
    .where(eq(provisioningTokens.tokenHash, hashToken(presented)))
    .limit(1);
  if (!row) return { ok: false, reason: "unknown" };
  if (row.tenantId !== tenantId) return { ok: false, reason: "wrong_tenant" };
  const status = tokenStatus(row);
  if (status !== "active") return { ok: false, reason: status };
  touchLastUsed(row.id, row.lastUsedAt);
  return { ok: true, tokenId: row.id, tenantId: row.tenantId };
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
