import "server-only";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { getDb } from "../client";
import { apiKeys, tenants } from "../schema";
import { generateApiKey, hashToken, isWellFormedApiKey } from "../../crypto/tokens";
import { defer } from "../../defer";
import { tokenStatus } from "./tokens";

export type ApiKeyScope = "read" | "read-write";

/** Whose key: one tenant's, or the platform's (every tenant). */
export type ApiKeyOwner = { tenantId: string; platform?: false } | { tenantId: null; platform: true };

const publicColumns = {
  id: apiKeys.id,
  tenantId: apiKeys.tenantId,
  platform: apiKeys.platform,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  last4: apiKeys.last4,
  scope: apiKeys.scope,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export type PublicApiKey = Omit<typeof apiKeys.$inferSelect, "keyHash">;

const ownerIs = (owner: ApiKeyOwner) => (owner.platform ? and(eq(apiKeys.platform, true), isNull(apiKeys.tenantId)) : eq(apiKeys.tenantId, owner.tenantId));

/** Creates a key; the plaintext is returned here once and never again. */
export async function createApiKey(owner: ApiKeyOwner, input: { name?: string; scope: ApiKeyScope; expiresAt: Date; createdBy: string }) {
  const db = await getDb();
  const generated = generateApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({
      tenantId: owner.platform ? null : owner.tenantId,
      platform: Boolean(owner.platform),
      name: input.name?.trim() || "API key",
      keyHash: generated.hash,
      prefix: generated.prefix,
      last4: generated.last4,
      scope: input.scope,
      createdBy: input.createdBy,
      expiresAt: input.expiresAt,
    })
    .returning(publicColumns);
  return { row, key: generated.token };
}

/** A tenant's keys, or the platform keys, newest first. */
export async function listApiKeys(owner: ApiKeyOwner) {
  const db = await getDb();
  return db.select(publicColumns).from(apiKeys).where(ownerIs(owner)).orderBy(desc(apiKeys.createdAt));
}

export async function findApiKey(owner: ApiKeyOwner, keyId: string) {
  const db = await getDb();
  const [row] = await db.select(publicColumns).from(apiKeys).where(and(ownerIs(owner), eq(apiKeys.id, keyId))).limit(1);
  return row;
}

/** Revokes at once (the next request is refused); a second revocation keeps the first time. */
export async function revokeApiKeyRow(owner: ApiKeyOwner, keyId: string) {
  const db = await getDb();
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(and(ownerIs(owner), eq(apiKeys.id, keyId)))
    .returning(publicColumns);
  return row;
}

export type ApiKeyPrincipal = { keyId: string; tenantId: string | null; platform: boolean; scope: ApiKeyScope };

export type ApiKeyVerification =
  | { ok: true; key: ApiKeyPrincipal }
  | { ok: false; reason: "missing" | "malformed" | "unknown" | "expired" | "revoked" };

/**
 * Verifies `Authorization: Bearer <key>`. The lookup is by SHA-256 hash (a unique index), so
 * plaintexts are never compared; a key of a deleted tenant is gone with it (cascade). No
 * cache: a revocation counts on every instance from the next request.
 */
export async function verifyApiKey(authorization: string | null): Promise<ApiKeyVerification> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return { ok: false, reason: "missing" };
  const presented = match[1];
  if (!isWellFormedApiKey(presented)) return { ok: false, reason: "malformed" };
  const db = await getDb();
  const [row] = await db
    .select({
      id: apiKeys.id,
      tenantId: apiKeys.tenantId,
      platform: apiKeys.platform,
      scope: apiKeys.scope,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, hashToken(presented)))
    .limit(1);
  if (!row) return { ok: false, reason: "unknown" };
  const status = tokenStatus(row);
  if (status !== "active") return { ok: false, reason: status };
  touchLastUsed(row.id, row.lastUsedAt);
  return { ok: true, key: { keyId: row.id, tenantId: row.tenantId, platform: row.platform, scope: row.scope } };
}

// Last-used is written at most once a minute per key, after the response (defer()).
const LAST_USED_THROTTLE_MS = 60_000;
const lastUsedWrites = new Map<string, number>();

function touchLastUsed(keyId: string, lastUsedAt: Date | null) {
  const now = Date.now();
  const lastWrite = Math.max(lastUsedWrites.get(keyId) ?? 0, lastUsedAt?.getTime() ?? 0);
  if (now - lastWrite < LAST_USED_THROTTLE_MS) return;
  lastUsedWrites.set(keyId, now);
  if (lastUsedWrites.size > 10_000) lastUsedWrites.delete(lastUsedWrites.keys().next().value!);
  defer("api key last used", async () => {
    const db = await getDb();
    await db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now - LAST_USED_THROTTLE_MS)))));
  });
}

/** Whether the tenant exists (an API key's tenant reference in the CLI and the API's 404s). */
export async function tenantExists(tenantId: string) {
  const db = await getDb();
  const [row] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  return Boolean(row);
}

/** A key by id alone (the CLI's `apikey revoke <id>`), without its hash. */
export async function findApiKeyById(keyId: string) {
  const db = await getDb();
  const [row] = await db.select(publicColumns).from(apiKeys).where(eq(apiKeys.id, keyId)).limit(1);
  return row;
}
