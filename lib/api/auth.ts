import "server-only";
import { tenantExists, verifyApiKey, type ApiKeyPrincipal, type ApiKeyScope } from "../db/queries/api-keys";
import { env } from "../env";
import { rateLimiter } from "../rate-limit";
import { isUuid } from "../uuid";
import { ApiProblem } from "./problem";

export type { ApiKeyPrincipal, ApiKeyScope };

const CHALLENGE = 'Bearer realm="gatehouse-api"';

const REFUSALS = {
  missing: "Send an API key: Authorization: Bearer gh_api_…",
  malformed: "The API key is not one Gatehouse issued (check for a typo or a truncated copy)",
  unknown: "The API key is not known",
  expired: "The API key has expired",
  revoked: "The API key has been revoked",
} as const;

/**
 * The key a request carries, or a 401 problem: missing, malformed, unknown, expired and
 * revoked keys are each named in `detail` (none of them reveals anything about a tenant).
 * A `read` key on a route that needs `read-write` is a 403.
 */
export async function authenticateApiKey(request: Request, scope: ApiKeyScope = "read"): Promise<ApiKeyPrincipal> {
  const verification = await verifyApiKey(request.headers.get("authorization"));
  if (!verification.ok) {
    const error = verification.reason === "missing" ? "" : ', error="invalid_token"';
    throw new ApiProblem("unauthorized", REFUSALS[verification.reason], { headers: { "www-authenticate": CHALLENGE + error } });
  }
  if (scope === "read-write" && verification.key.scope !== "read-write") {
    throw new ApiProblem("forbidden", "This API key is read-only; the request needs a read-write key", {
      headers: { "www-authenticate": `${CHALLENGE}, error="insufficient_scope", scope="read-write"` },
    });
  }
  return verification.key;
}

/**
 * A tenant the key may read: its own tenant, or any existing tenant for a platform key.
 * Another tenant's id answers exactly like an unknown one (404), so a key learns nothing
 * about tenants it cannot read. A malformed id is a 400. Returns the id in lower case.
 */
export async function assertTenantAccess(key: ApiKeyPrincipal, rawTenantId: string): Promise<string> {
  if (!isUuid(rawTenantId)) throw new ApiProblem("invalid-request", "The tenant id must be a UUID", { errors: [{ name: "path.tenantId", reason: "Invalid UUID" }] });
  const tenantId = rawTenantId.toLowerCase();
  const notFound = new ApiProblem("not-found", "No such tenant");
  if (key.platform) {
    if (!(await tenantExists(tenantId))) throw notFound;
    return tenantId;
  }
  if (key.tenantId !== tenantId) throw notFound;
  return tenantId;
}

/** Requests per minute per key (API_RATE_LIMIT_PER_MINUTE), shared by all instances; over it, 429 with Retry-After. */
export async function enforceApiKeyRateLimit(keyId: string, limit = env().API_RATE_LIMIT_PER_MINUTE): Promise<void> {
  const decision = await rateLimiter.hit(`api:${keyId}`, limit);
  if (!decision.ok) {
    throw new ApiProblem("rate-limited", `Too many requests for this API key; retry after ${decision.retryAfterSeconds} seconds`, {
      headers: { "retry-after": String(decision.retryAfterSeconds) },
    });
  }
}
