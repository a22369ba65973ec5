import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "../client";
import { groups, roleMappings } from "../schema";

export type MappedRole = "tenant_admin" | "read_only";

/** Grants (or changes) the console role every member of a synced group receives. */
export async function setRoleMapping(tenantId: string, groupId: string, role: MappedRole) {
  const db = await getDb();
  const [group] = await db
    .select({ id: groups.id, displayName: groups.displayName })
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), eq(groups.id, groupId)))
    .limit(1);
  if (!group) return undefined;
  await db
    .insert(roleMappings)
    .values({ tenantId, groupId, role })
    .onConflictDoUpdate({ target: [roleMappings.tenantId, roleMappings.groupId], set: { role } });
  return group;
}

export async function removeRoleMapping(tenantId: string, groupId: string) {
  const db = await getDb();
  const rows = await db
    .delete(roleMappings)
    .where(and(eq(roleMappings.tenantId, tenantId), eq(roleMappings.groupId, groupId)))
    .returning({ id: roleMappings.id });
  return rows.length > 0;
}
