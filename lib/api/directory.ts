import "server-only";
import { z } from "zod";
import { getGroupForApi, listGroupMembersForApi, listGroupsForApi } from "../db/queries/groups";
import { getUserForApi, listUserGroupsWithRoles, listUsersForApi } from "../db/queries/users";
import { roleFromScimRoles, scimRoleValues, strongestRole } from "../auth/roles";
import { assertTenantAccess } from "./auth";
import { defineOperation } from "./operation";
import { createdCursor, idCursor, pageOf, pageQuery } from "./paging";
import { ApiProblem } from "./problem";
import { apiRoute } from "./route";
import { groupSchema, memberSchema, userDetailSchema, userSchema, uuidParam, type consoleRoleSchema } from "./schemas";

// A tenant's directory: users, groups and members, read-only, keyset-paged. The tenant id in
// the path is checked against the key before any query, and every query takes it first.

const tenantParams = z.object({ tenantId: uuidParam("The tenant's id") });
const since = z.iso
  .datetime({ offset: true, error: "Must be an RFC 3339 timestamp, e.g. 2026-01-31T12:00:00Z" })
  .transform((value) => new Date(value))
  .meta({ description: "Only rows changed at or after this moment (RFC 3339)" });
// No control characters: PostgreSQL text cannot hold NUL (a 500 otherwise), and no directory value has one.
const exact = (description: string, max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, "Must not contain control characters")
    .meta({ description });

export const listUsersOperation = defineOperation({
  operationId: "listUsers",
  method: "get",
  path: "/api/v1/tenants/{tenantId}/users",
  summary: "List a tenant's users",
  description: "Keyset-paged in creation order: following `nextCursor` until it is null visits every user once.",
  tags: ["Directory"],
  scope: "read",
  params: tenantParams,
  query: z.strictObject({
    ...pageQuery,
    email: exact("The primary or a work email, case-insensitive", 320).optional(),
    externalId: exact("The identity provider's id, exactly", 512).optional(),
    group: uuidParam("Members of this group only").optional(),
    updatedSince: since.optional(),
  }),
  response: pageOf(userSchema, "UserPage"),
  notFound: "No such tenant (or one this key may not read)",
});

export const getUserOperation = defineOperation({
  operationId: "getUser",
  method: "get",
  path: "/api/v1/tenants/{tenantId}/users/{userId}",
  summary: "One user, with their groups and console role",
  tags: ["Directory"],
  scope: "read",
  params: tenantParams.extend({ userId: uuidParam("The user's id") }),
  response: userDetailSchema,
  notFound: "No such tenant or user",
});

export const listGroupsOperation = defineOperation({
  operationId: "listGroups",
  method: "get",
  path: "/api/v1/tenants/{tenantId}/groups",
  summary: "List a tenant's groups",
  description: "Keyset-paged in creation order, like the users.",
  tags: ["Directory"],
  scope: "read",
  params: tenantParams,
  query: z.strictObject({
    ...pageQuery,
    externalId: exact("The identity provider's id, exactly", 512).optional(),
    displayName: exact("The display name (case-insensitive, as groups are unique)", 256).optional(),
    updatedSince: since.optional(),
  }),
  response: pageOf(groupSchema, "GroupPage"),
  notFound: "No such tenant (or one this key may not read)",
});

export const listGroupMembersOperation = defineOperation({
  operationId: "listGroupMembers",
  method: "get",
  path: "/api/v1/tenants/{tenantId}/groups/{groupId}/members",
  summary: "List a group's members",
  description: "Keyset-paged in user-id order.",
  tags: ["Directory"],
  scope: "read",
  params: tenantParams.extend({ groupId: uuidParam("The group's id") }),
  query: z.strictObject(pageQuery),
  response: pageOf(memberSchema, "GroupMemberPage"),
  notFound: "No such tenant or group",
});

export const directoryOperations = [listUsersOperation, getUserOperation, listGroupsOperation, listGroupMembersOperation] as const;

type UserRow = NonNullable<Awaited<ReturnType<typeof getUserForApi>>>;
type GroupRow = NonNullable<Awaited<ReturnType<typeof getGroupForApi>>>;

export function userBody(row: UserRow): z.input<typeof userSchema> {
  return {
    id: row.id,
    tenantId: row.tenantId,
    userName: row.userName,
    externalId: row.externalId,
    name: row.name,
    givenName: row.givenName,
    familyName: row.familyName,
    email: row.email,
    active: row.active,
    source: row.source,
    roles: scimRoleValues(row.scim.roles),
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The console role a user holds, the way the console decides it (lib/auth/guards.ts). */
export function consoleRoleOf(row: UserRow, mappedRoles: ("tenant_admin" | "read_only" | null)[]): z.input<typeof consoleRoleSchema> {
  if (!row.tenantId) return row.consoleRole === "platform_admin" || row.consoleRole === "read_only" ? row.consoleRole : null;
  const direct = row.consoleRole === "tenant_admin" || row.consoleRole === "read_only" ? row.consoleRole : null;
  return strongestRole([direct, roleFromScimRoles(scimRoleValues(row.scim.roles)), ...mappedRoles]);
}

export async function userDetailBody(tenantId: string, row: UserRow): Promise<z.input<typeof userDetailSchema>> {
  const groups = await listUserGroupsWithRoles(tenantId, row.id);
  return {
    ...userBody(row),
    consoleRole: consoleRoleOf(row, groups.map((g) => g.mappedRole)),
    groups: groups.map((g) => ({ id: g.id, displayName: g.displayName, externalId: g.externalId })),
  };
}

const groupBody = (row: GroupRow): z.input<typeof groupSchema> => ({
  id: row.id,
  tenantId: row.tenantId,
  displayName: row.displayName,
  externalId: row.externalId,
  source: row.source,
  memberCount: row.memberCount,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export const listUsersRoute = apiRoute(listUsersOperation, async ({ key, params, query }) => {
  const tenantId = await assertTenantAccess(key, params.tenantId);
  const { rows, nextCursor } = await listUsersForApi(tenantId, {
    email: query.email,
    externalId: query.externalId,
    groupId: query.group,
    updatedSince: query.updatedSince,
    after: createdCursor(query.after),
    limit: query.limit,
  });
  return { data: rows.map(userBody), nextCursor };
});

export const getUserRoute = apiRoute(getUserOperation, async ({ key, params }) => {
  const tenantId = await assertTenantAccess(key, params.tenantId);
  const row = await getUserForApi(tenantId, params.userId);
  if (!row) throw new ApiProblem("not-found", "No such user in this tenant");
  return userDetailBody(tenantId, row);
});

export const listGroupsRoute = apiRoute(listGroupsOperation, async ({ key, params, query }) => {
  const tenantId = await assertTenantAccess(key, params.tenantId);
  const { rows, nextCursor } = await listGroupsForApi(tenantId, {
    externalId: query.externalId,
    displayName: query.displayName,
    updatedSince: query.updatedSince,
    after: createdCursor(query.after),
    limit: query.limit,
  });
  return { data: rows.map(groupBody), nextCursor };
});

export const listGroupMembersRoute = apiRoute(listGroupMembersOperation, async ({ key, params, query }) => {
  const tenantId = await assertTenantAccess(key, params.tenantId);
  if (!(await getGroupForApi(tenantId, params.groupId))) throw new ApiProblem("not-found", "No such group in this tenant");
  const after = idCursor(query.after);
  const { rows, nextCursor } = await listGroupMembersForApi(tenantId, params.groupId, { after, limit: query.limit });
  return { data: rows.map((m) => ({ ...m, addedAt: m.addedAt.toISOString() })), nextCursor };
});
