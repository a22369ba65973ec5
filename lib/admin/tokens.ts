import "server-only";
import { z } from "zod";
import type { Actor } from "../audit";
import { createProvisioningToken, deleteProvisioningToken, findProvisioningToken, revokeProvisioningToken } from "../db/queries/tokens";
import { recordAdminEvent } from "./audit";
import { AdminError } from "./errors";
import { isAllowedTokenExpiry, MAX_TOKEN_DAYS } from "./token-lifetime";

export { MAX_TOKEN_DAYS } from "./token-lifetime";

export const TOKEN_LIFETIME_MESSAGE = `Pick an expiry between tomorrow and ${MAX_TOKEN_DAYS} days (two years) from today`;

export const tokenNameSchema = z
  .string()
  .trim()
  .min(1, "Give the token a name, e.g. “Entra provisioning”")
  .max(100, "Keep the name under 100 characters");

/** The non-secret hint of a token, as lists and audit events show it. */
export const tokenHint = (token: { prefix: string; last4: string }) => `${token.prefix}…${token.last4}`;

const target = (token: { id: string; name: string }) => ({ targetType: "provisioning_token", targetId: token.id, targetLabel: token.name });

/** Issues a SCIM bearer token; the plaintext is in the answer only, never stored or audited. */
export async function issueToken(tenantId: string, input: { name?: string; expiresAt: Date }, actor: Actor) {
  if (!isAllowedTokenExpiry(input.expiresAt)) throw new AdminError(TOKEN_LIFETIME_MESSAGE, { expiresOn: TOKEN_LIFETIME_MESSAGE });
  const { row, token } = await createProvisioningToken(tenantId, { name: input.name, expiresAt: input.expiresAt, createdBy: actor.actorLabel ?? "unknown" });
  await recordAdminEvent(actor, {
    tenantId,
    action: "token.created",
    ...target(row),
    details: { expiresAt: row.expiresAt.toISOString(), hint: tokenHint(row) },
  });
  return { row, token };
}

/** Revokes at once; revoking a revoked token keeps its first revocation time. */
export async function revokeToken(tenantId: string, tokenId: string, actor: Actor) {
  const existing = await findProvisioningToken(tokenId);
  const row = existing?.tenantId === tenantId ? await revokeProvisioningToken(tenantId, tokenId) : undefined;
  if (!existing || !row) throw new AdminError("This token no longer exists.");
  const alreadyRevoked = Boolean(existing.revokedAt);
  await recordAdminEvent(actor, { tenantId, action: "token.revoked", ...target(row), details: { alreadyRevoked } });
  return { row, alreadyRevoked };
}

export async function deleteToken(tenantId: string, tokenId: string, actor: Actor) {
  if (!(await deleteProvisioningToken(tenantId, tokenId))) throw new AdminError("This token no longer exists.");
  await recordAdminEvent(actor, { tenantId, action: "token.deleted", targetType: "provisioning_token", targetId: tokenId });
}
