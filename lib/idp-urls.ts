import { env, isProduction } from "./env";

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

/**
 * Identity-provider endpoints and discovery documents must be https. Plain http is accepted
 * only for a provider on this machine, outside production or when GATEHOUSE_ALLOW_LOOPBACK_IDP=1.
 */
export function isAcceptableIdpUrl(url: URL): boolean {
  if (url.protocol === "https:") return true;
  if (url.protocol !== "http:" || !LOOPBACK_HOSTS.includes(url.hostname)) return false;
  return !isProduction() || env().GATEHOUSE_ALLOW_LOOPBACK_IDP === "1";
}
