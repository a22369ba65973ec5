import "server-only";
import { z } from "zod";
import type { Actor } from "../audit";
import { createApiKey, findApiKey, listApiKeys, revokeApiKeyRow, type ApiKeyOwner, type ApiKeyScope, type PublicApiKey } from "../db/queries/api-keys";
import { tokenStatus } from "../db/queries/tokens";
import { recordAdminEvent } from "./audit";
import { AdminError } from "./errors";
import { isAllowedTokenExpiry, MAX_TOKEN_DAYS } from "./token-lifetime";

// The one home of API key rules, for the console and the CLI alike: keys live as long as
// provisioning tokens may (lib/admin/token-lifetime.ts), are shown once, stored hashed, and
// every issue and revocation is audited with the key's hint, never the key (api_key.* for a
// tenant's keys, platform_api_key.* for platform keys).

export const API_KEY_SCOPES = ["read", "read-write"] as const satisfies readonly ApiKeyScope[];
export type { ApiKeyOwner, ApiKeyScope, PublicApiKey };

/** How long a new key lives unless its creator says otherwise. */
export const DEFAULT_API_KEY_DAYS = 90;

export const API_KEY_LIFETIME_MESSAGE = `Pick an expiry between tomorrow and ${MAX_TOKEN_DAYS} days (two years) from today`;

export const apiKeyNameSchema = z
  .string()
  .trim()
  .min(1, "Give the key a name, e.g. “Billing app”")
  .max(100, "Keep the name under 100 characters");

export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES, { error: "Choose read or read-write" });

/** The non-secret hint of a key, as lists and audit events show it. */
export const apiKeyHint = (key: { prefix: string; last4: string }) => `${key.prefix}…${key.last4}`;

export const apiKeyStatus = (key: { expiresAt: Date; revokedAt: Date | null }, now = new Date()) => tokenStatus(key, now);

const target = (key: { id: string; name: string }) => ({ targetType: "api_key", targetId: key.id, targetLabel: key.name });

/** Issues an API key; the plaintext is in the answer only, never stored or audited. */
export async function issueApiKey(owner: ApiKeyOwner, input: { name?: string; scope: ApiKeyScope; expiresAt: Date }, actor: Actor) {
  if (!isAllowedTokenExpiry(input.expiresAt)) throw new AdminError(API_KEY_LIFETIME_MESSAGE, { expiresOn: API_KEY_LIFETIME_MESSAGE });
  const scope = apiKeyScopeSchema.safeParse(input.scope);
  if (!scope.success) throw new AdminError("Choose read or read-write", { scope: "Choose read or read-write" });
  const { row, key } = await createApiKey(owner, { name: input.name, scope: scope.data, expiresAt: input.expiresAt, createdBy: actor.actorLabel ?? "unknown" });
  await recordAdminEvent(actor, {
    tenantId: row.tenantId,
    action: row.platform ? "platform_api_key.created" : "api_key.created",
    ...target(row),
    details: { expiresAt: row.expiresAt.toISOString(), hint: apiKeyHint(row), scope: row.scope, platform: row.platform },
  });
  return { row, key };
}

/** Revokes at once; revoking a revoked key keeps its first revocation time. */
export async function revokeApiKey(owner: ApiKeyOwner, keyId: string, actor: Actor) {
  const existing = await findApiKey(owner, keyId);
  const row = existing ? await revokeApiKeyRow(owner, keyId) : undefined;
  if (!existing || !row) throw new AdminError("This API key no longer exists.");
  const alreadyRevoked = Boolean(existing.revokedAt);
  await recordAdminEvent(actor, { tenantId: row.tenantId, action: row.platform ? "platform_api_key.revoked" : "api_key.revoked", ...target(row), details: { alreadyRevoked, hint: apiKeyHint(row), platform: row.platform } });
  return { row, alreadyRevoked };
}

export async function apiKeysOf(owner: ApiKeyOwner) {
  return listApiKeys(owner);
}

/** Whose key this is, from a row: the owner the revocation and the list take. */
export const ownerOf = (key: { tenantId: string | null; platform: boolean }): ApiKeyOwner =>
  key.platform || !key.tenantId ? { tenantId: null, platform: true } : { tenantId: key.tenantId };
