import { isIP } from "node:net";
import { env } from "./env";
import { classifyAddress } from "./net/address-policy";

/**
 * What an identity-provider URL may look like when it is saved: https, to a name or a public
 * address. Loopback (localhost, 127.0.0.0/8, [::1]), over http or https, only when
 * GATEHOUSE_ALLOW_LOOPBACK_IDP=1. This is the early, friendly check; lib/net/outbound.ts
 * decides again on the resolved address at every request.
 */
export function isAcceptableIdpUrl(url: URL): boolean {
  if (url.username || url.password) return false;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  const loopbackAllowed = env().GATEHOUSE_ALLOW_LOOPBACK_IDP === "1";
  const kind = isIP(host) ? classifyAddress(host) : host === "localhost" || host.endsWith(".localhost") ? "loopback" : "name";
  if (kind === "refused" || (kind === "loopback" && !loopbackAllowed)) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && kind === "loopback";
}
