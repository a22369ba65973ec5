import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { groups, roleMappings } from "../schema";
import { groupEvent, recordEvents } from "../../events";

export type MappedRole = "tenant_admin" | "read_only";

/** Grants (or changes) the console role every member of a synced group receives; its `group.role_changed` event in the same transaction. */
export async function setRoleMapping(tenantId: string, groupId: string, role: MappedRole) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [group] = await tx
      .select({ id: groups.id, displayName: groups.displayName, previousRole: roleMappings.role })
      .from(groups)
      .leftJoin(roleMappings, and(eq(roleMappings.tenantId, groups.tenantId), eq(roleMappings.groupId, groups.id)))
      .where(and(eq(groups.tenantId, tenantId), eq(groups.id, groupId)))
      .for("update", { of: groups })
      .limit(1);
    if (!group) return undefined;
    await tx
      .insert(roleMappings)
      .values({ tenantId, groupId, role })
      .onConflictDoUpdate({ target: [roleMappings.tenantId, roleMappings.groupId], set: { role } });
    if (group.previousRole !== role) {
      await recordEvents(tx as unknown as Db, [groupEvent("group.role_changed", tenantId, group, { role, previousRole: group.previousRole ?? null })]);
    }
    return { id: group.id, displayName: group.displayName };
  });
}

export async function removeRoleMapping(tenantId: string, groupId: string) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const rows = await tx
      .delete(roleMappings)
      .where(and(eq(roleMappings.tenantId, tenantId), eq(roleMappings.groupId, groupId)))
      .returning({ role: roleMappings.role });
    if (rows.length === 0) return false;
    const [group] = await tx.select({ id: groups.id, displayName: groups.displayName }).from(groups).where(and(eq(groups.tenantId, tenantId), eq(groups.id, groupId))).limit(1);
    if (group) await recordEvents(tx as unknown as Db, [groupEvent("group.role_changed", tenantId, group, { role: null, previousRole: rows[0].role })]);
    return true;
  });
}
