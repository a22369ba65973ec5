import "server-only";
import { headers } from "next/headers";
import { canAccessTenant, canWriteAnything, type Viewer } from "@/lib/auth/roles";
import { appUrl } from "@/lib/env";
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

/** The public origin: APP_URL/AUTH_URL when configured, else the request's own host. */
export async function publicOrigin() {
  const configured = appUrl();
  if (configured) return configured;
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = (h.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.0.0.1") ? "http" : "https")).split(",")[0].trim();
  return `${proto}://${host}`;
}

export function scimTenantUrl(origin: string, tenantId: string) {
  return `${origin}/scim/v2/${tenantId}`;
}

export function idpRedirectUrl(origin: string, idpId: string) {
  return `${origin}/api/auth/callback/idp-${idpId}`;
}

/** Reads one string search param. */
export function param(params: Record<string, string | string[] | undefined>, key: string): string | undefined {
  const value = params[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function expiresWithin(date: Date, ms: number) {
  return date.getTime() - Date.now() < ms;
}

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;
