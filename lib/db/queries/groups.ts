import "server-only";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "../client";
import { groupMembers, groups, roleMappings, users } from "../schema";
import { escapeLike } from "../like";
import { decodeCursor, encodeCursor, isTimestampKey, page } from "../keyset";
import { isUuid } from "../../uuid";
import { foldName } from "../../identity/normalize";

export type GroupSort = "created" | "displayName";

const GROUP_CURSOR = ["string", "string"] as const;

/** The key a group-list cursor carries, when it is one for `sort`; else null (the first page). */
function decodeGroupCursor(cursor: string | undefined, sort: GroupSort) {
  const key = decodeCursor(cursor, GROUP_CURSOR);
  if (!key || !isUuid(key[1]) || key[0].includes("\u0000")) return null;
  return sort === "created" && !isTimestampKey(key[0]) ? null : key;
}

/**
 * A tenant's groups, keyset-paged along groups_tenant_created_idx (newest first by default) or
 * groups_tenant_display_name_uq (by name).
 */
export async function listGroups(
  tenantId: string,
  options: { search?: string; sort?: GroupSort; direction?: "asc" | "desc"; after?: string; before?: string; limit?: number } = {},
) {
  const db = await getDb();
  const limit = Math.min(options.limit ?? 50, 200);
  const sort = options.sort ?? "created";
  const direction = options.direction ?? (sort === "created" ? "desc" : "asc");
  const before = decodeGroupCursor(options.before, sort);
  const after = before ? null : decodeGroupCursor(options.after, sort);
  const backwards = Boolean(before);
  const ascending = (direction === "asc") !== backwards;
  const where: (SQL | undefined)[] = [eq(groups.tenantId, tenantId)];
  const search = options.search?.trim();
  if (search?.includes("\u0000")) where.push(sql`false`);
  else if (search) where.push(sql`${groups.displayNameNormalized} like ${`%${escapeLike(foldName(search))}%`}`);
  const cursor = before ?? after;
  const keyColumn = sort === "displayName" ? sql`${groups.displayNameNormalized}` : sql`${groups.createdAt}`;
  if (cursor) {
    const keyValue = sort === "displayName" ? sql`${cursor[0]}` : sql`${cursor[0]}::timestamptz`;
    where.push(
      ascending
        ? sql`(${keyColumn}, ${groups.id}) > (${keyValue}, ${cursor[1]}::uuid)`
        : sql`(${keyColumn}, ${groups.id}) < (${keyValue}, ${cursor[1]}::uuid)`,
    );
  }
  const order = ascending ? asc : desc;
  const rows = await db
    .select({
      id: groups.id,
      displayName: groups.displayName,
      externalId: groups.externalId,
      source: groups.source,
      memberCount: groups.memberCount,
      createdAt: groups.createdAt,
      role: roleMappings.role,
      cursorKey: sort === "displayName" ? groups.displayNameNormalized : sql<string>`${groups.createdAt}::text`,
    })
    .from(groups)
    .leftJoin(roleMappings, and(eq(roleMappings.groupId, groups.id), eq(roleMappings.tenantId, tenantId)))
    .where(and(...where))
    .orderBy(order(sort === "displayName" ? groups.displayNameNormalized : groups.createdAt), order(groups.id))
    .limit(limit + 1);
  const { rows: pageRows, more } = page(rows, limit, (row) => [row.cursorKey, row.id]);
  if (backwards) pageRows.reverse();
  const first = pageRows[0];
  const last = pageRows[pageRows.length - 1];
  return {
    rows: pageRows.map(({ cursorKey: _key, ...row }) => row),
    nextCursor: last && (backwards || more) ? encodeCursor([last.cursorKey, last.id]) : null,
    prevCursor: first && (backwards ? more : Boolean(after)) ? encodeCursor([first.cursorKey, first.id]) : null,
  };
}

export async function getGroup(tenantId: string, groupId: string) {
  const db = await getDb();
  const [row] = await db
    .select({
      id: groups.id,
      tenantId: groups.tenantId,
      displayName: groups.displayName,
      externalId: groups.externalId,
      source: groups.source,
      memberCount: groups.memberCount,
      createdAt: groups.createdAt,
      updatedAt: groups.updatedAt,
      role: roleMappings.role,
    })
    .from(groups)
    .leftJoin(roleMappings, and(eq(roleMappings.groupId, groups.id), eq(roleMappings.tenantId, tenantId)))
    .where(and(eq(groups.tenantId, tenantId), eq(groups.id, groupId)))
    .limit(1);
  return row;
}

export async function findGroupTenantId(groupId: string) {
  const db = await getDb();
  const [row] = await db.select({ tenantId: groups.tenantId }).from(groups).where(eq(groups.id, groupId)).limit(1);
  return row?.tenantId ?? null;
}

/** Members in user-id order along the (group_id, user_id) primary key. */
export async function listGroupMembers(tenantId: string, groupId: string, options: { after?: string; limit?: number } = {}) {
  const db = await getDb();
  const limit = Math.min(options.limit ?? 50, 200);
  const after = decodeCursor(options.after, ["string"])?.[0];
  const rows = await db
    .select({
      id: users.id,
      userName: users.userName,
      name: users.name,
      email: users.email,
      active: users.active,
      source: users.source,
    })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(
      and(
        eq(groupMembers.tenantId, tenantId),
        eq(groupMembers.groupId, groupId),
        after ? sql`${groupMembers.userId} > ${after}::uuid` : undefined,
      ),
    )
    .orderBy(asc(groupMembers.userId))
    .limit(limit + 1);
  const { rows: pageRows, nextCursor } = page(rows, limit, (row) => [row.id]);
  return { rows: pageRows, nextCursor };
}

export type ApiGroupFilters = {
  externalId?: string;
  /** Exact display name, compared as the unique index does (folded). */
  displayName?: string;
  updatedSince?: Date;
  /** A (created_at text, id) keyset position, already checked (lib/api/paging.ts). */
  after?: readonly [string, string] | null;
  limit: number;
};

/** A tenant's groups for the API in (created_at, id) order along groups_tenant_created_idx: pages never skip or repeat. */
export async function listGroupsForApi(tenantId: string, filters: ApiGroupFilters) {
  const db = await getDb();
  const where: (SQL | undefined)[] = [eq(groups.tenantId, tenantId)];
  if (filters.externalId !== undefined) where.push(eq(groups.externalId, filters.externalId));
  if (filters.displayName !== undefined) where.push(eq(groups.displayNameNormalized, foldName(filters.displayName)));
  if (filters.updatedSince) where.push(sql`${groups.updatedAt} >= ${filters.updatedSince.toISOString()}::timestamptz`);
  if (filters.after) where.push(sql`(${groups.createdAt}, ${groups.id}) > (${filters.after[0]}::timestamptz, ${filters.after[1]}::uuid)`);
  const rows = await db
    .select({ ...apiGroupColumns, cursorKey: sql<string>`${groups.createdAt}::text` })
    .from(groups)
    .where(and(...where))
    .orderBy(asc(groups.createdAt), asc(groups.id))
    .limit(filters.limit + 1);
  return page(rows, filters.limit, (row) => [row.cursorKey, row.id]);
}

export const apiGroupColumns = {
  id: groups.id,
  tenantId: groups.tenantId,
  displayName: groups.displayName,
  externalId: groups.externalId,
  source: groups.source,
  memberCount: groups.memberCount,
  createdAt: groups.createdAt,
  updatedAt: groups.updatedAt,
};

export async function getGroupForApi(tenantId: string, groupId: string) {
  const db = await getDb();
  const [row] = await db.select(apiGroupColumns).from(groups).where(and(eq(groups.tenantId, tenantId), eq(groups.id, groupId))).limit(1);
  return row;
}

/** A group's members for the API in user-id order (the primary key); `after` is a checked user id. */
export async function listGroupMembersForApi(tenantId: string, groupId: string, options: { after?: string | null; limit: number }) {
  const db = await getDb();
  const rows = await db
    .select({
      id: users.id,
      userName: users.userName,
      externalId: users.externalId,
      name: users.name,
      email: users.email,
      active: users.active,
      addedAt: groupMembers.createdAt,
    })
    .from(groupMembers)
    .innerJoin(users, and(eq(users.id, groupMembers.userId), eq(users.tenantId, tenantId)))
    .where(and(eq(groupMembers.tenantId, tenantId), eq(groupMembers.groupId, groupId), options.after ? sql`${groupMembers.userId} > ${options.after}::uuid` : undefined))
    .orderBy(asc(groupMembers.userId))
    .limit(options.limit + 1);
  return page(rows, options.limit, (row) => [row.id]);
}
