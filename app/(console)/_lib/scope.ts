import "server-only";
import { notFound } from "next/navigation";
import { canAccessTenant, canWriteAnything, type Permission, type Viewer } from "@/lib/auth/roles";
import { findTenantById, listTenants, newestTenant, type TenantListOptions } from "@/lib/db/queries/tenants";

/** Platform roles see every tenant; a tenant's admins only their own. */
export function tenantScope(viewer: Viewer): string[] | "all" {
  if (viewer.platformRole) return "all";
  return viewer.tenantId ? [viewer.tenantId] : [];
}

/** One page of the tenants the viewer may see (keyset-paged; see listTenants). */
export async function accessibleTenants(viewer: Viewer, options: Omit<TenantListOptions, "ids"> = {}) {
  const scope = tenantScope(viewer);
  return listTenants({ ...options, ids: scope === "all" ? undefined : scope });
}

/**
 * The tenant a per-tenant page shows. `?tenantId=` names it: unknown, malformed or not the
 * viewer's to see is a 404, never another tenant's data. Without one: the viewer's own tenant,
 * or for platform roles the newest tenant (undefined when there are none yet).
 */
export async function resolveTenant(
  viewer: Viewer,
  params: Record<string, string | string[] | undefined>,
  permission: Permission = "read",
) {
  const requested = params.tenantId;
  if (requested !== undefined && requested !== "") {
    if (typeof requested !== "string") notFound();
    const tenant = await findTenantById(requested);
    if (!tenant || !canAccessTenant(viewer, tenant.id, permission)) notFound();
    return tenant;
  }
  const fallback = viewer.platformRole ? await newestTenant() : viewer.tenantId ? await findTenantById(viewer.tenantId) : undefined;
  return fallback && canAccessTenant(viewer, fallback.id, permission) ? fallback : undefined;
}

/** The optional tenant filter of a cross-tenant list (`?tenantId=`, "" meaning all); a 404 like resolveTenant when set. */
export async function resolveTenantFilter(viewer: Viewer, params: Record<string, string | string[] | undefined>) {
  const requested = params.tenantId;
  if (requested === undefined || requested === "") return undefined;
  return resolveTenant(viewer, params);
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

export function expiresWithin(date: Date, ms: number) {
  return date.getTime() - Date.now() < ms;
}

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;
