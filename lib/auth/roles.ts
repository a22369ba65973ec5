// The console's permission matrix: who may read and who may change what, per tenant.
export type TenantRole = "tenant_admin" | "read_only";

export type Viewer = {
  userId: string;
  name: string | null;
  email: string | null;
  userName: string;
  /** null for platform-level accounts. */
  tenantId: string | null;
  platformRole: "platform_admin" | "read_only" | null;
  /** Roles in the viewer's own tenant (platform roles cover every tenant). */
  tenantRole: TenantRole | null;
};

export type Permission = "read" | "write";

export function hasConsoleAccess(viewer: Viewer) {
  return viewer.platformRole !== null || viewer.tenantRole !== null;
}

export function canAccessTenant(viewer: Viewer, tenantId: string, permission: Permission) {
  if (viewer.platformRole === "platform_admin") return true;
  if (viewer.platformRole === "read_only") return permission === "read";
  if (viewer.tenantId !== tenantId || !viewer.tenantRole) return false;
  return permission === "read" || viewer.tenantRole === "tenant_admin";
}

/** Creating and deleting tenants is for platform admins only. */
export function canManagePlatform(viewer: Viewer) {
  return viewer.platformRole === "platform_admin";
}

export function canWriteAnything(viewer: Viewer) {
  return viewer.platformRole === "platform_admin" || viewer.tenantRole === "tenant_admin";
}

/** The `value`s of a SCIM user's `roles` attribute (RFC 7643 §4.1.2), as stored. */
export function scimRoleValues(roles: unknown): string[] {
  if (!Array.isArray(roles)) return [];
  return roles.map((r: { value?: unknown } | null) => String(r?.value ?? "")).filter(Boolean);
}

/** SCIM `roles` values Entra sends (seed guides) mapped to console roles. */
export function roleFromScimRoles(values: string[]): TenantRole | null {
  const lowered = values.map((v) => v.toLowerCase());
  if (lowered.includes("admin") || lowered.includes("enterpriseadmin")) return "tenant_admin";
  if (lowered.includes("readonly")) return "read_only";
  return null;
}

export function strongestRole(roles: (TenantRole | null | undefined)[]): TenantRole | null {
  if (roles.includes("tenant_admin")) return "tenant_admin";
  if (roles.includes("read_only")) return "read_only";
  return null;
}
