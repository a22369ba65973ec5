import { BlockList, isIP } from "node:net";
import { env } from "../env";

// The address a request came from, for sign-in limits. X-Forwarded-For is believed only as
// far as the proxies named in TRUSTED_PROXIES wrote it: walking the chain from the right
// (the TCP peer, then each hop a trusted proxy appended), the first address that is not a
// trusted proxy is the client. Entries further left were written by the client itself and
// are never read. With TRUSTED_PROXIES unset, the TCP peer is the client.
// Preset "vercel": Vercel's edge overwrites x-vercel-forwarded-for and x-real-ip with the
// address it accepted the connection from (a client-sent value never reaches the function).
export const PEER_ADDRESS_HEADER = "x-gatehouse-peer-address";

export type ProxyTrust = { kind: "vercel" } | { kind: "proxies"; proxies: BlockList };

export function parseTrustedProxies(value: string | undefined): ProxyTrust {
  if (value?.trim().toLowerCase() === "vercel") return { kind: "vercel" };
  const proxies = new BlockList();
  for (const entry of (value ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    const [address, prefix, extra] = entry.split("/");
    const family = isIP(canonicalAddress(address) ?? "");
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
    if (!family || extra !== undefined || !Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32)) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range (or the preset "vercel")`);
    }
    proxies.addSubnet(canonicalAddress(address)!, bits, family === 6 ? "ipv6" : "ipv4");
  }
  return { kind: "proxies", proxies };
}

/** An IP address in one spelling (IPv4-mapped IPv6 as IPv4, IPv6 lower-case), or null. */
export function canonicalAddress(value: string | null | undefined): string | null {
  const trimmed = (value ?? "").trim().replace(/^\[(.*)\]$/, "$1");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed)?.[1];
  const address = mapped ?? trimmed.toLowerCase();
  return isIP(address) ? address : null;
}

export function resolveClientAddress(headers: Headers, trust: ProxyTrust): string {
  const peer = canonicalAddress(headers.get(PEER_ADDRESS_HEADER));
  if (trust.kind === "vercel") {
    const platform = headers.get("x-vercel-forwarded-for")?.split(",")[0] ?? headers.get("x-real-ip");
    return canonicalAddress(platform) ?? peer ?? "unknown";
  }
  if (!peer) return "unknown";
  const forwarded = (headers.get("x-forwarded-for") ?? "").split(",").map((hop) => hop.trim()).filter(Boolean);
  let client = peer;
  while (isTrusted(client, trust.proxies)) {
    const previous = forwarded.pop();
    if (previous === undefined) break; // every hop is a trusted proxy: the left-most one is the client
    const address = canonicalAddress(previous);
    if (!address) break; // not an address: a trusted proxy would not have written it
    client = address;
  }
  return client;
}

function isTrusted(address: string, proxies: BlockList) {
  return proxies.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

let cachedTrust: { value: string | undefined; trust: ProxyTrust } | undefined;

/** TRUSTED_PROXIES, parsed; throws on an entry that is not an address, range or preset. */
export function configuredProxyTrust(): ProxyTrust {
  const value = env().TRUSTED_PROXIES;
  if (cachedTrust && cachedTrust.value === value) return cachedTrust.trust;
  const trust = parseTrustedProxies(value);
  cachedTrust = { value, trust };
  return trust;
}

/** The one place request code learns the client address (route handlers, server actions). */
export function clientAddress(headers: Headers): string {
  return resolveClientAddress(headers, configuredProxyTrust());
}
