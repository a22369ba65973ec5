import "server-only";
import { notFound } from "../scim/errors";
import { parseListQuery, parseSearchRequest } from "../scim/list-response";
import { applyAttributeProjection, parseAttributeList } from "../scim/projection";
import { resourceTypes, schemaDocuments, serviceProviderConfig } from "../scim/discovery";
import { listResponse } from "../scim/list-response";
import { getScimUser } from "../db/queries/scim-users";
import { getScimGroup } from "../db/queries/scim-groups";
import { noContent, readScimBody, scimJson } from "./http";
import { scimRoute, type ScimContext } from "./route";
import { createUser, deleteUser, patchUser, renderUser, replaceUser } from "./users";
import { createGroup, deleteGroup, patchGroup, renderGroup, replaceGroup } from "./groups";
import { groupPage, listGroups, listUsers, pageResponse, userPage, wants } from "./list";
import { etagHeader } from "./etag";

// Thin HTTP adapters: parse → call lib → respond. scimRoute maps every ScimError.

function projectionOf(ctx: ScimContext) {
  const q = ctx.url.searchParams;
  return {
    attributes: parseAttributeList(q.get("attributes") ?? undefined),
    excludedAttributes: parseAttributeList(q.get("excludedAttributes") ?? undefined),
  };
}

function userResponse(request: Request, ctx: ScimContext, row: Parameters<typeof renderUser>[0], status = 200) {
  const body = applyAttributeProjection(renderUser(row, ctx), projectionOf(ctx), "User");
  const headers: Record<string, string> = etagHeader(row.version);
  if (status === 201) headers.location = `${ctx.baseUrl}/Users/${row.id}`;
  return scimJson(body, { status, headers });
}

function groupResponse(request: Request, ctx: ScimContext, row: Parameters<typeof renderGroup>[0], status = 200) {
  const body = applyAttributeProjection(renderGroup(row, ctx), projectionOf(ctx), "Group");
  const headers: Record<string, string> = etagHeader(row.version);
  if (status === 201) headers.location = `${ctx.baseUrl}/Groups/${row.id}`;
  return scimJson(body, { status, headers });
}

type IdParams = { tenantId: string; id: string };

export const usersCollection = {
  GET: scimRoute(async (_request, ctx) => listUsers(ctx, parseListQuery(ctx.url.searchParams))),
  POST: scimRoute(async (request, ctx) => userResponse(request, ctx, await createUser(ctx, await readScimBody(request)), 201)),
};

export const userItem = {
  GET: scimRoute<IdParams>(async (request, ctx, { id }) => {
    const row = await getScimUser(ctx.tenantId, id, wants("groups", projectionOf(ctx)));
    if (!row) throw notFound("User", id);
    return userResponse(request, ctx, row);
  }),
  PUT: scimRoute<IdParams>(async (request, ctx, { id }) =>
    userResponse(request, ctx, await replaceUser(ctx, request, id, await readScimBody(request))),
  ),
  PATCH: scimRoute<IdParams>(async (request, ctx, { id }) =>
    userResponse(request, ctx, await patchUser(ctx, request, id, await readScimBody(request))),
  ),
  DELETE: scimRoute<IdParams>(async (request, ctx, { id }) => {
    await deleteUser(ctx, request, id);
    return noContent();
  }),
  /** POST /Users/.search (RFC 7644 §3.4.3) arrives here as id ".search". */
  POST: scimRoute<IdParams>(
    async (request, ctx, { id }) => {
      if (id !== ".search") throw notFound("Endpoint", `/Users/${id}`);
      return listUsers(ctx, parseSearchRequest(await readScimBody(request)));
    },
    { search: true },
  ),
};

export const groupsCollection = {
  GET: scimRoute(async (_request, ctx) => listGroups(ctx, parseListQuery(ctx.url.searchParams))),
  POST: scimRoute(async (request, ctx) => groupResponse(request, ctx, await createGroup(ctx, await readScimBody(request)), 201)),
};

export const groupItem = {
  GET: scimRoute<IdParams>(async (request, ctx, { id }) => {
    const row = await getScimGroup(ctx.tenantId, id, wants("members", projectionOf(ctx)));
    if (!row) throw notFound("Group", id);
    return groupResponse(request, ctx, row);
  }),
  PUT: scimRoute<IdParams>(async (request, ctx, { id }) =>
    groupResponse(request, ctx, await replaceGroup(ctx, request, id, await readScimBody(request))),
  ),
  PATCH: scimRoute<IdParams>(async (request, ctx, { id }) => {
    await patchGroup(ctx, request, id, await readScimBody(request));
    const q = ctx.url.searchParams;
    // Entra expects 204 for group PATCH; a client asking for attributes gets the resource.
    if (!q.get("attributes") && !q.get("excludedAttributes")) return noContent();
    const row = await getScimGroup(ctx.tenantId, id, wants("members", projectionOf(ctx)));
    if (!row) throw notFound("Group", id);
    return groupResponse(request, ctx, row);
  }),
  DELETE: scimRoute<IdParams>(async (request, ctx, { id }) => {
    await deleteGroup(ctx, request, id);
    return noContent();
  }),
  POST: scimRoute<IdParams>(
    async (request, ctx, { id }) => {
      if (id !== ".search") throw notFound("Endpoint", `/Groups/${id}`);
      return listGroups(ctx, parseSearchRequest(await readScimBody(request)));
    },
    { search: true },
  ),
};

export const discovery = {
  serviceProviderConfig: scimRoute(async (_request, ctx) => scimJson(serviceProviderConfig(ctx.baseUrl))),
  resourceTypes: scimRoute(async (_request, ctx) => {
    const all = resourceTypes(ctx.baseUrl);
    return scimJson(listResponse(all, { totalResults: all.length, startIndex: 1, itemsPerPage: all.length }));
  }),
  resourceType: scimRoute<IdParams>(async (_request, ctx, { id }) => {
    const found = resourceTypes(ctx.baseUrl).find((r) => String(r.id).toLowerCase() === id.toLowerCase());
    if (!found) throw notFound("ResourceType", id);
    return scimJson(found);
  }),
  schemas: scimRoute(async (_request, ctx) => {
    const all = schemaDocuments(ctx.baseUrl);
    return scimJson(listResponse(all, { totalResults: all.length, startIndex: 1, itemsPerPage: all.length }));
  }),
  schema: scimRoute<IdParams>(async (_request, ctx, { id }) => {
    const found = schemaDocuments(ctx.baseUrl).find((s) => String(s.id).toLowerCase() === id.toLowerCase());
    if (!found) throw notFound("Schema", id);
    return scimJson(found);
  }),
};

type RestParams = { tenantId: string; rest: string[] };

/** `POST /.search` across resource types, and RFC-shaped 404s for every unknown endpoint. */
export const fallback = {
  POST: scimRoute<RestParams>(
    async (request, ctx, { rest }) => {
      if (rest.join("/") !== ".search") throw notFound("Endpoint", `/${rest.join("/")}`);
      const params = parseSearchRequest(await readScimBody(request));
      const users = await userPage(ctx, params);
      const groups = await groupPage(ctx, params);
      const resources = [...users.resources, ...groups.resources].slice(0, params.count);
      return pageResponse(params, { totalResults: users.totalResults + groups.totalResults, resources });
    },
    { search: true },
  ),
  GET: scimRoute<RestParams>(async (_request, _ctx, { rest }) => {
    throw notFound("Endpoint", `/${rest.join("/")}`);
  }),
};
