import { createTenant } from "@/lib/db/queries/tenants";
import { createProvisioningToken } from "@/lib/db/queries/tokens";
import { scimEndpoints } from "@/lib/scim-server/endpoints";
import { queryCounter } from "@/lib/db/client";
import { randomBytes } from "node:crypto";

// Response bodies are whatever JSON the server sent; tests assert on their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ScimBody = any;
export type ScimResponse = { status: number; headers: Headers; body: ScimBody; queries: number };

/**
 * Calls the SCIM route handlers in-process (the same functions the app's route files export),
 * with real Request objects and a real database; counts SQL statements per request.
 */
export function scimClient(tenantId: string, token: string, origin = "http://gatehouse.test") {
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimResponse> {
    const url = new URL(`${origin}/scim/v2/${tenantId}${path}`);
    const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] ??= "application/scim+json";
    }
    const request = new Request(url, init);
    queryCounter.count = 0;
    queryCounter.enabled = true;
    try {
      const response = await scimEndpoints[method as keyof typeof scimEndpoints](request, { params: Promise.resolve(routeParams(url.pathname, tenantId)) });
      const queries = queryCounter.count;
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null, queries };
    } finally {
      queryCounter.enabled = false;
    }
  }
  return {
    get: (path: string, headers?: Record<string, string>) => call("GET", path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) => call("POST", path, body, headers),
    put: (path: string, body: unknown, headers?: Record<string, string>) => call("PUT", path, body, headers),
    patch: (path: string, body: unknown, headers?: Record<string, string>) => call("PATCH", path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => call("DELETE", path, undefined, headers),
    call,
  };
}

/** The params Next.js gives app/scim/v2/[tenantId]/[...rest]/route.ts: segments decoded once. */
export function routeParams(pathname: string, tenantId: string) {
  const rest = pathname.split(`/scim/v2/${tenantId}/`)[1] ?? "";
  return { tenantId, rest: rest.split("/").map(decodeSegment) };
}

// Next.js refuses a segment it cannot decode before any handler runs; tests keep it as sent.
function decodeSegment(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function createScimTenant(name = `Tenant ${randomBytes(3).toString("hex")}`) {
  const tenant = await createTenant({ name, slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-") });
  const { token, row } = await createProvisioningToken(tenant.id, { expiresAt: new Date(Date.now() + 30 * 86_400_000), createdBy: "test" });
  return { tenant, token, tokenId: row.id, scim: scimClient(tenant.id, token) };
}
