import "server-only";
import { printAttributePath, validateFilter } from "../scim/filter";
import { listResponse, type ListParams } from "../scim/list-response";
import { applyAttributeProjection } from "../scim/projection";
import { listScimUsers } from "../db/queries/scim-users";
import { listScimGroups } from "../db/queries/scim-groups";
import type { ScimContext } from "./route";
import { renderUser } from "./users";
import { renderGroup } from "./groups";
import { scimJson } from "./http";

/** Whether a multi-valued server-managed attribute (groups, members) must be loaded at all. */
export function wants(attribute: string, params: { attributes?: string[]; excludedAttributes?: string[] }) {
  const matches = (list: string[] | undefined) =>
    (list ?? []).some((a) => {
      const name = a.toLowerCase().split(":").pop()!;
      return name === attribute || name.startsWith(`${attribute}.`);
    });
  if (params.attributes?.length) return matches(params.attributes);
  return !(params.excludedAttributes ?? []).some((a) => a.toLowerCase().split(":").pop() === attribute);
}

export async function listUsers(ctx: ScimContext, params: ListParams) {
  if (params.filter) validateFilter(params.filter, "User");
  const { totalResults, rows } = await listScimUsers(ctx.tenantId, {
    filter: params.filter,
    startIndex: params.startIndex,
    count: params.count,
    sortBy: params.sortBy ? printAttributePath(params.sortBy) : undefined,
    sortOrder: params.sortOrder,
    withGroups: wants("groups", params),
  });
  const resources = rows.map((row) => applyAttributeProjection(renderUser(row, ctx), params, "User"));
  return scimJson(listResponse(resources, { totalResults, startIndex: params.startIndex, itemsPerPage: resources.length }));
}

export async function listGroups(ctx: ScimContext, params: ListParams) {
  if (params.filter) validateFilter(params.filter, "Group");
  const { totalResults, rows } = await listScimGroups(ctx.tenantId, {
    filter: params.filter,
    startIndex: params.startIndex,
    count: params.count,
    sortBy: params.sortBy ? printAttributePath(params.sortBy) : undefined,
    sortOrder: params.sortOrder,
    withMembers: wants("members", params),
  });
  const resources = rows.map((row) => applyAttributeProjection(renderGroup(row, ctx), params, "Group"));
  return scimJson(listResponse(resources, { totalResults, startIndex: params.startIndex, itemsPerPage: resources.length }));
}
