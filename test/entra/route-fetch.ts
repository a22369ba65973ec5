import { discovery, fallback, groupItem, groupsCollection, userItem, usersCollection } from "@/lib/scim-server/handlers";
import type { FetchLike } from "@/e2e/fixtures/entra";

type Handler = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>;
type Table = Record<string, unknown>;

/**
 * A fetch that answers from the SCIM route handlers in-process, routed as the App Router routes
 * app/scim/v2/[tenantId]/…: static segments match with their exact letter case, anything else
 * reaches the [...rest] catch-all. No server, real Request/Response objects, the suite's database.
 */
export function routeHandlerFetch(): FetchLike {
  return async (url, init) => {
    const request = new Request(url, { method: init.method, headers: init.headers, body: init.body });
    const segments = new URL(url).pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const [scim, v2, tenantId, first, second, ...more] = segments;
    if (scim !== "scim" || v2 !== "v2" || !tenantId) return new Response(null, { status: 404 });
    const { table, params } = route(tenantId, first, second, more);
    const handler = (typeof table === "function" ? table : (table as Table)[init.method]) as Handler | undefined;
    if (!handler) return new Response(null, { status: 405 });
    return handler(request, { params: Promise.resolve(params) });
  };
}

function route(tenantId: string, first: string | undefined, second: string | undefined, more: string[]): { table: Table | Handler; params: Record<string, unknown> } {
  const rest = [first, second, ...more].filter((s): s is string => s !== undefined);
  if (more.length === 0) {
    if (first === "Users") return second === undefined ? { table: usersCollection, params: { tenantId } } : { table: userItem, params: { tenantId, id: second } };
    if (first === "Groups") return second === undefined ? { table: groupsCollection, params: { tenantId } } : { table: groupItem, params: { tenantId, id: second } };
    if (first === "ServiceProviderConfig" && second === undefined) return { table: { GET: discovery.serviceProviderConfig }, params: { tenantId } };
    if (first === "ResourceTypes") return { table: { GET: second ? discovery.resourceType : discovery.resourceTypes }, params: { tenantId, id: second } };
    if (first === "Schemas") return { table: { GET: second ? discovery.schema : discovery.schemas }, params: { tenantId, id: second } };
  }
  return { table: fallback, params: { tenantId, rest } };
}
