import "server-only";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "../client";
import { groupMembers, groups, roleMappings, users } from "../schema";
import { escapeLike } from "../like";
import { decodeCursor, page } from "../keyset";
import { foldName } from "../../identity/normalize";

/** A tenant's groups, newest first, keyset-paged along groups_tenant_created_idx. */
export async function listGroups(tenantId: string, options: { search?: string; after?: string; limit?: number } = {}) {
  const db = await getDb();
  const limit = Math.min(options.limit ?? 50, 200);
  const where: (SQL | undefined)[] = [eq(groups.tenantId, tenantId)];
  const search = options.search?.trim();
  if (search) where.push(sql`${groups.displayNameNormalized} like ${`%${escapeLike(foldName(search))}%`}`);
  const after = decodeCursor(options.after, ["string", "string"]);
  if (after) where.push(sql`(${groups.createdAt}, ${groups.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  const rows = await db
    .select({
      id: groups.id,
      displayName: groups.displayName,
      externalId: groups.externalId,
      source: groups.source,
      memberCount: groups.memberCount,
      createdAt: groups.createdAt,
      role: roleMappings.role,
      cursorKey: sql<string>`${groups.createdAt}::text`,
    })
    .from(groups)
    .leftJoin(roleMappings, and(eq(roleMappings.groupId, groups.id), eq(roleMappings.tenantId, tenantId)))
    .where(and(...where))
    .orderBy(desc(groups.createdAt), desc(groups.id))
    .limit(limit + 1);
  const { rows: pageRows, nextCursor } = page(rows, limit, (row) => [row.cursorKey, row.id]);
  return { rows: pageRows.map(({ cursorKey: _key, ...row }) => row), nextCursor };
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
