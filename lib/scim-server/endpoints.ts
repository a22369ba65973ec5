import "server-only";
import { discovery, fallback, groupItem, groupsCollection, userItem, usersCollection } from "./handlers";

// One route for every SCIM endpoint, matched in any letter case: RFC 7644 §3.2 names the
// endpoints but clients vary (`/users`, `/groups/.search`), and Next.js folders are
// case-sensitive. Resource ids are passed on exactly as sent (case-exact, RFC 7643 §3.1).

type Params = Record<string, unknown>;
type Handler = (request: Request, context: { params: Promise<Params> }) => Promise<Response>;
type Table = Partial<Record<string, Handler>>;
type Target = { handler: Handler; params: Params };

const cast = (table: object) => table as Table;
const only = (handler: unknown): Table => ({ GET: handler as Handler });

const COLLECTIONS: Record<string, { collection: Table; item: Table }> = {
  users: { collection: cast(usersCollection), item: cast(userItem) },
  groups: { collection: cast(groupsCollection), item: cast(groupItem) },
  schemas: { collection: only(discovery.schemas), item: only(discovery.schema) },
  resourcetypes: { collection: only(discovery.resourceTypes), item: only(discovery.resourceType) },
};

const SINGLETONS: Record<string, Table> = { serviceproviderconfig: only(discovery.serviceProviderConfig) };

/** The handler and route params for `/scim/v2/<tenantId>/<segments…>` (segments already decoded). */
export function resolveScimEndpoint(method: string, tenantId: string, segments: readonly string[]): Target {
  const [first = "", second, ...more] = segments;
  const name = first.toLowerCase();
  const rest = name === ".search" && segments.length === 1 ? [".search"] : [...segments];
  const unknown = { handler: cast(fallback)[method] ?? (fallback.GET as Handler), params: { tenantId, rest } };
  const pick = (table: Table, params: Params): Target => {
    const handler = table[method];
    return handler ? { handler, params } : unknown;
  };
  if (name in SINGLETONS && second === undefined) return pick(SINGLETONS[name], { tenantId });
  const resource = COLLECTIONS[name];
  if (!resource || more.length > 0) return unknown;
  if (second === undefined || second === "") return pick(resource.collection, { tenantId });
  // `.search` is an endpoint name, so it too is matched in any case; ids are not.
  const id = second.toLowerCase() === ".search" ? ".search" : second;
  return pick(resource.item, { tenantId, id });
}

async function dispatch(request: Request, { params }: { params: Promise<{ tenantId: string; rest?: string[] }> }) {
  const { tenantId, rest = [] } = await params;
  const { handler, params: routed } = resolveScimEndpoint(request.method, tenantId, rest);
  return handler(request, { params: Promise.resolve(routed) });
}

export const scimEndpoints = { GET: dispatch, POST: dispatch, PUT: dispatch, PATCH: dispatch, DELETE: dispatch };
