import { createTenant } from "@/lib/db/queries/tenants";
import { createProvisioningToken } from "@/lib/db/queries/tokens";
import { usersCollection, userItem, groupsCollection, groupItem, discovery, fallback } from "@/lib/scim-server/handlers";
import { queryCounter } from "@/lib/db/client";
import { randomBytes } from "node:crypto";

type Handler = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

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
    const { handler, params } = route(method, url.pathname, tenantId);
    queryCounter.count = 0;
    queryCounter.enabled = true;
    try {
      const response = await handler(request, { params: Promise.resolve(params) });
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

function route(method: string, pathname: string, tenantId: string): { handler: Handler; params: Record<string, unknown> } {
  const rest = pathname.split(`/scim/v2/${tenantId}/`)[1] ?? "";
  const [first, second, ...more] = rest.split("/").map(decodeURIComponent);
  const pick = (table: Record<string, unknown>) => {
    const h = table[method];
    if (!h) throw new Error(`${method} not routed for ${pathname}`);
    return h as Handler;
  };
  if (first === "Users" && second === undefined) return { handler: pick(usersCollection), params: { tenantId } };
  if (first === "Users" && more.length === 0) return { handler: pick(userItem), params: { tenantId, id: second } };
  if (first === "Groups" && second === undefined) return { handler: pick(groupsCollection), params: { tenantId } };
  if (first === "Groups" && more.length === 0) return { handler: pick(groupItem), params: { tenantId, id: second } };
  if (first === "ServiceProviderConfig") return { handler: discovery.serviceProviderConfig as Handler, params: { tenantId } };
  if (first === "ResourceTypes") return { handler: (second ? discovery.resourceType : discovery.resourceTypes) as Handler, params: { tenantId, id: second } };
  if (first === "Schemas") return { handler: (second ? discovery.schema : discovery.schemas) as Handler, params: { tenantId, id: second } };
  return { handler: pick(fallback), params: { tenantId, rest: rest.split("/") } };
}

export async function createScimTenant(name = `Tenant ${randomBytes(3).toString("hex")}`) {
  const tenant = await createTenant({ name, slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-") });
  const { token, row } = await createProvisioningToken(tenant.id, { expiresAt: new Date(Date.now() + 30 * 86_400_000), createdBy: "test" });
  return { tenant, token, tokenId: row.id, scim: scimClient(tenant.id, token) };
}
