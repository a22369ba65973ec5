import { SpanStatusCode, type Attributes, type Span } from "@opentelemetry/api";
import { logger } from "../log";
import type { RequestContext } from "../request-id";
import { inSpan, scimCounters } from "../telemetry";

// What operators see of each SCIM request: one access-log line, one span named
// `scim.<resource>.<operation>` and the per-tenant counters. Names come from fixed tables, so
// a client cannot create new span names or metric series with made-up paths; the tenant id
// is recorded only once a token proved it.

const RESOURCES: Record<string, string> = {
  users: "User",
  groups: "Group",
  schemas: "Schema",
  resourcetypes: "ResourceType",
  serviceproviderconfig: "ServiceProviderConfig",
};
const WRITES: Record<string, string> = { PUT: "replace", PATCH: "update", DELETE: "delete" };

export type ScimOperation = { resource: string; resourceType: string; operation: string };

/** RFC 7644 §3.2 endpoints by the path under `/scim/v2/<tenantId>/`, matched in any case. */
export function scimOperation(method: string, pathname: string, tenantId: string): ScimOperation {
  const segments = (pathname.split(`/scim/v2/${tenantId}`)[1] ?? "").split("/").filter(Boolean);
  const first = segments[0]?.toLowerCase() ?? "";
  const second = segments[1];
  const search = (first === ".search" || second?.toLowerCase() === ".search") && method === "POST";
  const resource = first === ".search" ? "root" : first in RESOURCES ? first : "unknown";
  const resourceType = RESOURCES[resource] ?? resource;
  const operation = search
    ? "search"
    : method === "GET"
      ? second
        ? "get"
        : "list"
      : method === "POST"
        ? "create"
        : (WRITES[method] ?? "other");
  return { resource, resourceType, operation };
}

export function inScimSpan<T>(operation: ScimOperation, fn: (span: Span) => Promise<T>) {
  return inSpan(`scim.${operation.resource}.${operation.operation}`, { "scim.resource_type": operation.resourceType, "scim.operation": operation.operation }, fn);
}

type Observed = { span: Span; context: RequestContext; operation: ScimOperation; request: Request; response: Response; startedAt: number; tokenId?: string };

export function observeScimRequest({ span, context, operation, request, response, startedAt, tokenId }: Observed) {
  const status = response.status;
  const tenant: Attributes = context.tenantId ? { "gatehouse.tenant_id": context.tenantId } : {};
  const series = { ...tenant, "scim.resource_type": operation.resourceType, "scim.operation": operation.operation };
  const counters = scimCounters();
  counters.requests.add(1, series);
  if (status >= 400) counters.errors.add(1, { ...series, "http.response.status_code": status });
  if (status === 429) counters.rateLimited.add(1, tenant);
  const dbMs = Math.round(context.dbMs * 100) / 100;
  span.setAttributes({ ...tenant, "http.response.status_code": status, "gatehouse.db.duration_ms": dbMs, "gatehouse.db.statements": context.dbQueries });
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  const ms = Math.round((performance.now() - startedAt) * 100) / 100;
  logger.info({ method: request.method, url: request.url, status, ms, dbMs, tokenId }, "scim request");
}
