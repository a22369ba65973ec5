import "server-only";
import { ScimError } from "../scim/errors";
import { findTenantById, tenantSettings } from "../db/queries/tenants";
import { rateLimiter } from "../rate-limit";

const SETTINGS_TTL_MS = 60_000;
const cache = new Map<string, { limit: number; at: number }>();

/** Requests per minute for a tenant's tokens (tenant setting; a first Entra sync never hits the default). */
async function limitFor(tenantId: string) {
  const hit = cache.get(tenantId);
  if (hit && Date.now() - hit.at < SETTINGS_TTL_MS) return hit.limit;
  const tenant = await findTenantById(tenantId);
  const limit = tenantSettings(tenant?.settings).scimRateLimitPerMinute;
  cache.set(tenantId, { limit, at: Date.now() });
  return limit;
}

export function forgetTenantLimit(tenantId: string) {
  cache.delete(tenantId);
}

export class RateLimitedError extends ScimError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, undefined, `Too many requests; retry after ${retryAfterSeconds} seconds`);
  }
}

/** RFC 6585 429 with Retry-After, which Entra's provisioning service honours. */
export async function enforceTokenRateLimit(tenantId: string, tokenId: string) {
  const decision = await rateLimiter.hit(`scim:${tokenId}`, await limitFor(tenantId));
  if (!decision.ok) throw new RateLimitedError(decision.retryAfterSeconds);
}
