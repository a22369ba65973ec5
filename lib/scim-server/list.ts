import "server-only";
import { printAttributePath } from "../scim/filter";
import { validateFilter } from "../scim/filter-match";
import { listResponse, type ListParams } from "../scim/list-response";
import { applyAttributeProjection } from "../scim/projection";
import { listScimUsers } from "../db/queries/scim-users";
import { listScimGroups } from "../db/queries/scim-groups";
import type { ScimContext } from "./route";
import { renderUser } from "./users";
import { renderGroup } from "./groups";
import { scimJson } from "./http";
import type { JsonObject } from "../scim/json";

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

type Page = { totalResults: number; resources: JsonObject[] };

function pageQuery(params: ListParams) {
  return {
    filter: params.filter,
    startIndex: params.startIndex,
    count: params.count,
    sortBy: params.sortBy ? printAttributePath(params.sortBy) : undefined,
    sortOrder: params.sortOrder,
  };
}

export async function userPage(ctx: ScimContext, params: ListParams): Promise<Page> {
  if (params.filter) validateFilter(params.filter, "User");
  const { totalResults, rows } = await listScimUsers(ctx.tenantId, { ...pageQuery(params), withGroups: wants("groups", params) });
  return { totalResults, resources: rows.map((row) => applyAttributeProjection(renderUser(row, ctx), params, "User")) };
}

export async function groupPage(ctx: ScimContext, params: ListParams): Promise<Page> {
  if (params.filter) validateFilter(params.filter, "Group");
  const { totalResults, rows } = await listScimGroups(ctx.tenantId, { ...pageQuery(params), withMembers: wants("members", params) });
  return { totalResults, resources: rows.map((row) => applyAttributeProjection(renderGroup(row, ctx), params, "Group")) };
}

export function pageResponse(params: ListParams, page: Page) {
  return scimJson(listResponse(page.resources, { totalResults: page.totalResults, startIndex: params.startIndex, itemsPerPage: page.resources.length }));
}

export const listUsers = async (ctx: ScimContext, params: ListParams) => pageResponse(params, await userPage(ctx, params));
export const listGroups = async (ctx: ScimContext, params: ListParams) => pageResponse(params, await groupPage(ctx, params));
