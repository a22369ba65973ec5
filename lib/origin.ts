/**
 * The origin a client used, from the nearest proxy's X-Forwarded-Host/-Proto (first value),
 * else the Host header, else the request URL. One rule for SCIM locations, the OAuth
 * callback Auth.js uses and the Redirect URL the console shows, so they always agree.
 */
export function originFromHeaders(headers: Headers, requestUrl?: string): string {
  const url = requestUrl ? new URL(requestUrl) : undefined;
  const host = first(headers.get("x-forwarded-host")) ?? first(headers.get("host")) ?? url?.host ?? "localhost";
  const proto = first(headers.get("x-forwarded-proto")) ?? url?.protocol.replace(":", "") ?? "http";
  return `${proto}://${host}`;
}

function first(value: string | null) {
  const item = value?.split(",")[0]?.trim();
  return item ? item : undefined;
}
