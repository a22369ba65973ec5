import { appUrl } from "./env";

/**
 * Gatehouse's public origin, and the URLs built on it. One rule for SCIM locations, the OAuth
 * callback Auth.js uses, the Redirect URL and Tenant URL the console shows and the CLI's
 * output, so they always agree:
 * - the configured one (lib/env.ts `appUrl`: APP_URL, else AUTH_URL, else a Vercel preview's
 *   branch URL, else Vercel production's domain), reduced to its origin: Gatehouse serves its
 *   routes at the root, so a path in APP_URL names nothing;
 * - else the origin the client used (`originFromHeaders`).
 */

/**
 * The origin a client used, from the nearest proxy's X-Forwarded-Host/-Proto (first value),
 * else the Host header, else the request URL.
 */
export function originFromHeaders(headers: Headers, requestUrl?: string | URL): string {
  const url = typeof requestUrl === "string" ? new URL(requestUrl) : requestUrl;
  const host = first(headers.get("x-forwarded-host")) ?? first(headers.get("host")) ?? url?.host ?? "localhost";
  const proto = first(headers.get("x-forwarded-proto")) ?? url?.protocol.replace(":", "") ?? "http";
  return `${proto}://${host}`;
}

function first(value: string | null) {
  const item = value?.split(",")[0]?.trim();
  return item ? item : undefined;
}

// Asked on every SCIM request: the origin is parsed again only when the configured URL changes.
let lastConfigured: { url: string | undefined; origin: string | undefined } = { url: undefined, origin: undefined };

/** The configured public URL (lib/env.ts `appUrl()`) reduced to its origin; undefined when none is. */
export function configuredOrigin(): string | undefined {
  const configured = appUrl();
  if (configured !== lastConfigured.url) lastConfigured = { url: configured, origin: configured ? new URL(configured).origin : undefined };
  return lastConfigured.origin;
}

/** The public origin of a request: the configured one, else the one the client used. */
export function publicOriginOf(headers: Headers, requestUrl?: string | URL): string {
  return configuredOrigin() ?? originFromHeaders(headers, requestUrl);
}

/** A tenant's SCIM endpoint below an origin: Entra's Tenant URL, the base of meta.location. */
export function scimTenantPath(tenantId: string): string {
  return `/scim/v2/${tenantId}`;
}

export function scimTenantUrl(origin: string, tenantId: string): string {
  return `${origin.replace(/\/+$/, "")}${scimTenantPath(tenantId)}`;
}
