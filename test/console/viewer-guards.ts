import { canAccessTenant, canManagePlatform, type Viewer } from "@/lib/auth/roles";

/**
 * Stand-in for lib/auth/guards when a test sets the viewer itself instead of signing in:
 * `vi.mock("@/lib/auth/guards", async () => (await import("@/test/console/viewer-guards")).viewerGuards)`.
 * The permission rules are the real ones (lib/auth/roles).
 */
export const current: { viewer: Viewer | null } = { viewer: null };

class ForbiddenError extends Error {}

export const viewerGuards = {
  ForbiddenError,
  getViewer: async () => current.viewer,
  authorizeTenantAction: async (tenantId: string, permission: "read" | "write") => {
    if (!current.viewer || !canAccessTenant(current.viewer, tenantId, permission)) throw new ForbiddenError();
    return current.viewer;
  },
  requireTenantPage: async (tenantId: string, permission: "read" | "write" = "read") => {
    if (!current.viewer || !canAccessTenant(current.viewer, tenantId, permission)) throw new ForbiddenError();
    return current.viewer;
  },
  authorizePlatformAction: async () => {
    if (!current.viewer || !canManagePlatform(current.viewer)) throw new ForbiddenError();
    return current.viewer;
  },
};
