import { EntraProvisioningService, type DirectoryUser, type EntraDirectory, type ExternalIdSource, type FetchLike } from "../fixtures/entra";

// A vendor guide's own attribute mappings on top of the simulator's defaults: what the Entra admin
// changes under Provisioning → Mappings → "Provision Azure Active Directory Users".
//
// Source: https://learn.microsoft.com/en-us/entra/identity/app-provisioning/customize-application-attributes
// - a deleted mapping is no longer exported: Entra's create body and update operations leave it out;
// - an added mapping is exported with the others, in the same POST /Users body and, when its
//   value changes, as one more operation of the user's PATCH;
// - a custom attribute of a SCIM app is named <schema URN>:<attribute> ("Editing the list of
//   supported attributes"): Entra sends it inside the container named by the URN (everything
//   before the last colon), lists that URN in `schemas`, and PATCHes it by its full name as path.

export type PatchOp = { op: string; path?: string; value?: unknown };

export type GuideMappings = {
  /** SCIM attributes the guide keeps in the create body (top-level keys; `schemas` is always kept). */
  keep?: string[];
  /** Values of mappings the guide changes or adds, by target attribute (full name for extensions). */
  values?: (user: DirectoryUser) => Record<string, unknown>;
};

const CORE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

function splitExtension(target: string) {
  if (!target.startsWith("urn:")) return undefined;
  const at = target.lastIndexOf(":");
  return { schema: target.slice(0, at), attribute: target.slice(at + 1) };
}

function keptPath(path: string | undefined, keep: string[] | undefined) {
  if (!keep || path === undefined) return true;
  const extension = splitExtension(path);
  const head = extension ? extension.schema : path.split(/[.[]/)[0];
  return keep.includes(head);
}

/** The create body after the guide's deletions and additions. */
export function mappedCreateBody(body: Record<string, unknown>, user: DirectoryUser, mappings: GuideMappings) {
  const schemas = new Set(body.schemas as string[]);
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(body).filter(([key]) => key === "schemas" || keptPath(key, mappings.keep)));
  for (const key of Object.keys(body)) if (key.startsWith("urn:") && !(key in out)) schemas.delete(key);
  for (const [target, value] of Object.entries(mappings.values?.(user) ?? {})) {
    if (value === undefined || value === null) continue;
    const extension = splitExtension(target);
    if (extension) {
      schemas.add(extension.schema);
      out[extension.schema] = { ...((out[extension.schema] as Record<string, unknown>) ?? {}), [extension.attribute]: value };
    } else setCoreTarget(out, target, value);
  }
  out.schemas = [CORE_SCHEMA, ...[...schemas].filter((s) => s !== CORE_SCHEMA)];
  return out;
}

/** `displayName`, `name.formatted`, `emails[type eq "work"].value`: the target paths of Entra's attribute list. */
function setCoreTarget(out: Record<string, unknown>, target: string, value: unknown) {
  const filtered = /^(\w+)\[type eq "(\w+)"\]\.(\w+)$/.exec(target);
  if (filtered) {
    const [, attribute, type, sub] = filtered;
    const items = (out[attribute] as Array<Record<string, unknown>> | undefined) ?? [];
    const current = items.find((item) => item.type === type) ?? { type, primary: true };
    out[attribute] = [...items.filter((item) => item !== current), { ...current, [sub]: value }];
    return;
  }
  const [head, sub] = target.split(".");
  out[head] = sub ? { ...((out[head] as Record<string, unknown>) ?? {}), [sub]: value } : value;
}

/**
 * Entra's provisioning service for a guide's mappings: the simulator's requests, rewritten the way
 * the guide's mapping changes rewrite Entra's. `exported` remembers the added mappings' values per
 * SCIM id, so an update sends only the ones that changed.
 */
export function guideProvisioning(
  directory: EntraDirectory,
  connection: { tenantUrl: string; token: string },
  options: { externalIdSource: ExternalIdSource; scimCompliant?: boolean; mappings: GuideMappings },
) {
  const { mappings } = options;
  const scimCompliant = options.scimCompliant ?? false;
  const userIds = new Map<string, DirectoryUser>();
  const exported = new Map<string, Record<string, unknown>>();
  const byUserName = (userName: unknown) => [...directory.users.values()].find((u) => u.userPrincipalName === userName);
  /** The user writes as they left for the endpoint (the service's own log has them before the rewrite). */
  const sent: Array<{ method: string; path: string; body: Record<string, unknown> }> = [];

  const mappedFetch: FetchLike = async (url, init) => {
    const path = new URL(url).pathname.replace(/^.*\/scim\/v2\/[^/]+/, "");
    if (init.method === "POST" && path === "/Users" && init.body) {
      const body = JSON.parse(init.body) as Record<string, unknown>;
      const user = byUserName(body.userName)!;
      const mapped = mappedCreateBody(body, user, mappings);
      sent.push({ method: "POST", path, body: mapped });
      const response = await fetch(url, { ...init, body: JSON.stringify(mapped) });
      const text = await response.text();
      if (response.status === 201) {
        const id = String(JSON.parse(text).id);
        userIds.set(id, user);
        exported.set(id, mappings.values?.(user) ?? {});
      }
      return { status: response.status, text: async () => text };
    }
    const userPatch = /^\/Users\/([^/?]+)$/.exec(path);
    if (init.method === "PATCH" && userPatch && init.body) {
      const id = userPatch[1];
      const user = userIds.get(id);
      const body = JSON.parse(init.body) as { schemas: string[]; Operations: PatchOp[] };
      const wanted = user ? (mappings.values?.(user) ?? {}) : {};
      // A mapping the guide re-defines (an Expression instead of the default) is exported from the guide's value only.
      const operations = body.Operations.flatMap((op) => keptOperation(op, mappings.keep, Object.keys(wanted)));
      if (user) {
        const before = exported.get(id) ?? {};
        for (const [target, value] of Object.entries(wanted)) {
          if (JSON.stringify(before[target]) === JSON.stringify(value)) continue;
          operations.push({ op: scimCompliant ? "replace" : "Replace", path: target, value });
        }
        exported.set(id, wanted);
      }
      // Nothing left that the guide maps: Entra sends no request for this user.
      if (!operations.length) return fetch(url, { method: "GET", headers: { authorization: init.headers.authorization, accept: init.headers.accept } });
      const patch = { ...body, Operations: operations };
      sent.push({ method: "PATCH", path, body: patch });
      return fetch(url, { ...init, body: JSON.stringify(patch) });
    }
    return fetch(url, init);
  };

  const service = new EntraProvisioningService(directory, {
    baseUrl: connection.tenantUrl,
    token: connection.token,
    fetch: mappedFetch,
    scimCompliant,
    externalIdSource: options.externalIdSource,
  });
  return Object.assign(service, { sent });
}

/** A default operation without the guide's deleted mappings (a path-less replace keeps its mapped keys). */
function keptOperation(op: PatchOp, keep: string[] | undefined, redefined: string[]): PatchOp[] {
  const kept = (path: string) => keptPath(path, keep) && !redefined.includes(path);
  if (op.path !== undefined) return kept(op.path) ? [op] : [];
  const value = Object.fromEntries(Object.entries((op.value as Record<string, unknown>) ?? {}).filter(([key]) => kept(key)));
  return Object.keys(value).length ? [{ ...op, value }] : [];
}
