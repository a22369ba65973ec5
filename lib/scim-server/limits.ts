import "server-only";
import { ScimError } from "../scim/errors";
import { tenantSettings } from "../db/queries/tenants";
import { forgetVerifiedTokens } from "../db/queries/tokens";
import type { TenantSettings } from "../db/schema";
import { rateLimiter } from "../rate-limit";

/**
 * Makes a changed tenant setting (the SCIM rate limit, user linking) count on this instance's
 * next request. The settings arrive with the token's verification, which each instance keeps
 * for at most half a second (lib/db/queries/tokens.ts VERIFIED_TTL_MS): other instances follow
 * within that half second.
 */
export function forgetTenantLimit(tenantId: string) {
  forgetVerifiedTokens({ tenantId });
}

export class RateLimitedError extends ScimError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, undefined, `Too many requests; retry after ${retryAfterSeconds} seconds`);
  }
}

/** RFC 6585 429 with Retry-After, which Entra's provisioning service honours. Requests per minute per token are a tenant setting (a first Entra sync never hits the default). */
export async function enforceTokenRateLimit(tokenId: string, settings: TenantSettings) {
  const decision = await rateLimiter.hit(`scim:${tokenId}`, tenantSettings(settings).scimRateLimitPerMinute);
  if (!decision.ok) throw new RateLimitedError(decision.retryAfterSeconds);
}
