import "server-only";
import { canAccessTenant, canWriteAnything, type Viewer } from "@/lib/auth/roles";
import { listTenants } from "@/lib/db/queries/tenants";

/** Platform roles see every tenant; a tenant's admins only their own. */
export function tenantScope(viewer: Viewer): string[] | "all" {
  if (viewer.platformRole) return "all";
  return viewer.tenantId ? [viewer.tenantId] : [];
}

export async function accessibleTenants(viewer: Viewer, search?: string) {
  const scope = tenantScope(viewer);
  return listTenants({ search, ids: scope === "all" ? undefined : scope });
}

export function canWrite(viewer: Viewer, tenantId: string) {
  return canAccessTenant(viewer, tenantId, "write");
}

export { canWriteAnything };

export { publicOrigin } from "@/lib/auth/origin";

export { scimTenantUrl } from "@/lib/origin";

export { idpCallbackUrl as idpRedirectUrl } from "@/lib/auth/origin";

/** Reads one string search param. */
export function param(params: Record<string, string | string[] | undefined>, key: string): string | undefined {
  const value = params[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The 1-based number of the page a paged list shows (`?page=`), 1 when missing or not a number. */
export function pageNumber(params: Record<string, string | string[] | undefined>): number {
  return Math.max(1, Number.parseInt(param(params, "page") ?? "1", 10) || 1);
}

/** The tenant a per-tenant list shows: the one picked in its filter (`?tenantId=`), else the first. */
export function pickedTenant<T extends { id: string }>(tenants: T[], params: Record<string, string | string[] | undefined>): T {
  return tenants.find((t) => t.id === param(params, "tenantId")) ?? tenants[0];
}

export function expiresWithin(date: Date, ms: number) {
  return date.getTime() - Date.now() < ms;
}

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;
