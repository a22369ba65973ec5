import "server-only";
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { and, eq } from "drizzle-orm";
import { auth } from "./config";
import { getDb } from "../db/client";
import { groupMembers, roleMappings, users } from "../db/schema";
import { canAccessTenant, canManagePlatform, hasConsoleAccess, roleFromScimRoles, scimRoleValues, strongestRole, type Permission, type Viewer } from "./roles";

export class ForbiddenError extends Error {
  constructor(message = "You do not have permission to do that.") {
    super(message);
    this.name = "ForbiddenError";
  }
}

async function loadViewer(): Promise<Viewer | null> {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!row || !row.active) return null;
  const base = { userId: row.id, name: row.name, email: row.email, userName: row.userName, tenantId: row.tenantId };
  if (!row.tenantId) {
    const platformRole = row.consoleRole === "platform_admin" ? "platform_admin" : row.consoleRole === "read_only" ? "read_only" : null;
    return { ...base, platformRole, tenantRole: null };
  }
  const mapped = await db
    .select({ role: roleMappings.role })
    .from(groupMembers)
    .innerJoin(roleMappings, and(eq(roleMappings.groupId, groupMembers.groupId), eq(roleMappings.tenantId, row.tenantId)))
    .where(and(eq(groupMembers.tenantId, row.tenantId), eq(groupMembers.userId, row.id)));
  const scimRoles = scimRoleValues(row.scim.roles);
  const direct = row.consoleRole === "tenant_admin" || row.consoleRole === "read_only" ? row.consoleRole : null;
  const tenantRole = strongestRole([direct, roleFromScimRoles(scimRoles), ...mapped.map((m) => m.role)]);
  return { ...base, platformRole: null, tenantRole };
}

/** The signed-in person, once per request. */
export const getViewer = cache(loadViewer);

export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  return viewer;
}

/** Pages of the console: signed-in people with a console role; others go to their profile. */
export async function requireConsoleViewer(): Promise<Viewer> {
  const viewer = await requireViewer();
  if (!hasConsoleAccess(viewer)) redirect("/me");
  return viewer;
}

/** A tenant's page: unknown or foreign tenants are a 404, so their existence is not revealed. */
export async function requireTenantPage(tenantId: string, permission: Permission = "read"): Promise<Viewer> {
  const viewer = await requireConsoleViewer();
  if (!canAccessTenant(viewer, tenantId, permission)) notFound();
  return viewer;
}

/** Server actions: throw instead of redirecting, so the action wrapper can answer with an error. */
export async function authorizeTenantAction(tenantId: string, permission: Permission): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer || !canAccessTenant(viewer, tenantId, permission)) throw new ForbiddenError();
  return viewer;
}

export async function authorizePlatformAction(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer || !canManagePlatform(viewer)) throw new ForbiddenError();
  return viewer;
}
