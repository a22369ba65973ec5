import "server-only";
import { ScimError, toScimError, unauthorized } from "../scim/errors";
import { verifyProvisioningToken } from "../db/queries/tokens";
import type { TenantSettings } from "../db/schema";
import { isUuid } from "../uuid";
import { recordAudit } from "../db/queries/audit";
import { actors } from "../audit";
import { errorSummary } from "../error-summary";
import { scimBaseUrl, scimErrorResponse } from "./http";
import { countScimRequest } from "./usage";
import { enforceTokenRateLimit, RateLimitedError } from "./limits";
import { inScimSpan, observeScimRequest, scimOperation } from "./observe";
import { logger } from "../log";
import { requestIdFrom, runInRequestContext } from "../request-id";

export type ScimContext = {
  tenantId: string;
  tokenId: string;
  /** The tenant's settings, read with the token (at most half a second old). */
  settings: TenantSettings;
  requestId: string;
  /** `https://host/scim/v2/<tenantId>` */
  baseUrl: string;
  /** The request URL, parsed once per request (query parameters, path). */
  url: URL;
};

type RouteParams = { tenantId: string; [key: string]: string | string[] | undefined };
type Handler<P extends RouteParams> = (request: Request, ctx: ScimContext, params: P) => Promise<Response>;

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Every SCIM route: the bearer token decides the tenant (a token of another tenant, or an
 * unknown tenant id, is a 401 that reveals nothing), errors become RFC 7644 §3.12 bodies,
 * and nothing but a ScimError's own words reaches the client.
 */
export function scimRoute<P extends RouteParams>(handler: Handler<P>, options: { search?: boolean } = {}) {
  return (request: Request, { params }: { params: Promise<P> }): Promise<Response> =>
    runInRequestContext(requestIdFrom(request.headers), async (context) => {
      const startedAt = performance.now();
      const requestId = context.requestId;
      const resolved = await params;
      const tenantId = resolved.tenantId;
      const isWrite = WRITE_METHODS.has(request.method) && !options.search;
      const url = new URL(request.url);
      const operation = scimOperation(request.method, url.pathname, tenantId);
      return inScimSpan(operation, async (span) => {
        let ctx: ScimContext | undefined;
        let response: Response;
        try {
          if (!isUuid(tenantId)) throw unauthorized();
          const verification = await verifyProvisioningToken(request.headers.get("authorization"), tenantId);
          if (!verification.ok) throw unauthorized(verification.reason === "expired" ? "Bearer token has expired" : undefined);
          context.tenantId = tenantId;
          await enforceTokenRateLimit(verification.tokenId, verification.settings);
          ctx = { tenantId, tokenId: verification.tokenId, settings: verification.settings, requestId, baseUrl: scimBaseUrl(request.headers, url, tenantId), url };
          response = await handler(request, ctx, resolved);
          response.headers.set("x-request-id", requestId);
          countScimRequest(tenantId, isWrite ? "write" : "read", response.status >= 400);
        } catch (error) {
          const scimError = error instanceof ScimError ? error : internalError(error);
          // A 429 comes before the context exists: its token was verified, so it is counted.
          if (scimError instanceof RateLimitedError) countScimRequest(tenantId, isWrite ? "write" : "read", true, true);
          if (ctx) {
            countScimRequest(tenantId, isWrite ? "write" : "read", true);
            if (isWrite) await auditFailure(ctx, request, scimError).catch(() => {});
          }
          const headers: Record<string, string> = { "x-request-id": requestId };
          if (scimError instanceof RateLimitedError) headers["retry-after"] = String(scimError.retryAfterSeconds);
          response = scimErrorResponse(scimError, headers);
        }
        observeScimRequest({ span, context, operation, request, response, startedAt, tokenId: ctx?.tokenId });
        return response;
      });
    });
}

function internalError(error: unknown) {
  // Names, SQLSTATE codes and constraints only: never messages (drizzle's carry the bound
  // values), headers or bodies.
  logger.error({ err: errorSummary(error) }, "scim request failed");
  return toScimError(error);
}

const FAILED_ACTION: Record<string, string> = { POST: "create", PUT: "replace", PATCH: "update", DELETE: "delete" };

async function auditFailure(ctx: ScimContext, request: Request, error: ScimError) {
  const path = ctx.url.pathname.split(`/scim/v2/${ctx.tenantId}`)[1] ?? "";
  const resourceType = path.startsWith("/Groups") ? "Group" : path.startsWith("/Users") ? "User" : "Resource";
  await recordAudit({
    tenantId: ctx.tenantId,
    ...actors.scimToken(ctx.tokenId),
    action: `scim.${resourceType.toLowerCase()}.${FAILED_ACTION[request.method] ?? request.method.toLowerCase()}`,
    targetType: resourceType.toLowerCase(),
    targetId: path.split("/")[2] ?? null,
    outcome: "failure",
    statusCode: error.status,
    requestId: ctx.requestId,
    details: { method: request.method, path, status: error.status, scimType: error.scimType ?? null, detail: error.detail },
  });
}
