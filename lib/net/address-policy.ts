import { BlockList, isIPv4, isIPv6 } from "node:net";

// Which resolved addresses Gatehouse may open a connection to on behalf of an admin-entered
// URL. Public unicast only: RFC 6890 special-purpose ranges are refused, loopback is set apart
// (allowed only under GATEHOUSE_ALLOW_LOOPBACK_IDP), and an IPv4 address embedded in an IPv6
// one (mapped, compatible, NAT64, 6to4) is judged as the IPv4 address it reaches.
export type AddressClass = "public" | "loopback" | "refused";

const refusedIpv4 = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network", 0.0.0.0 unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // CGNAT, RFC 6598
  ["169.254.0.0", 16], // link-local, cloud metadata services
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, 255.255.255.255 broadcast
] as const) {
  refusedIpv4.addSubnet(network, prefix, "ipv4");
}

// Inside global unicast 2000::/3: IETF protocol assignments (Teredo 2001::/32 among them) and
// documentation prefixes. Everything outside 2000::/3 (ULA fc00::/7, link-local fe80::/10,
// multicast ff00::/8, NAT64 local-use 64:ff9b:1::/48, discard 100::/64 …) is refused anyway.
const refusedGlobalIpv6 = new BlockList();
refusedGlobalIpv6.addSubnet("2001::", 23, "ipv6");
refusedGlobalIpv6.addSubnet("2001:db8::", 32, "ipv6");
refusedGlobalIpv6.addSubnet("3fff::", 20, "ipv6");

function classifyIpv4(address: string): AddressClass {
  if (address.startsWith("127.")) return "loopback";
  return refusedIpv4.check(address, "ipv4") ? "refused" : "public";
}

/** The 16 bytes of a valid IPv6 address (net.isIPv6 already said so). */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array(8 - headGroups.length - tailGroups.length).fill("0");
  return [...headGroups, ...zeros, ...tailGroups].flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

const isZero = (bytes: number[]) => bytes.every((b) => b === 0);
const ipv4Of = (bytes: number[]) => bytes.join(".");

function embeddedIpv4(bytes: number[]): string | undefined {
  const prefix = bytes.slice(0, 12);
  // ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (SIIT), ::a.b.c.d (compatible, deprecated)
  if (isZero(prefix.slice(0, 10)) && ((prefix[10] === 0xff && prefix[11] === 0xff) || (prefix[10] === 0 && prefix[11] === 0))) {
    return ipv4Of(bytes.slice(12));
  }
  if (isZero(prefix.slice(0, 8)) && prefix[8] === 0xff && prefix[9] === 0xff && prefix[10] === 0 && prefix[11] === 0) return ipv4Of(bytes.slice(12));
  // 64:ff9b::/96, the NAT64 well-known prefix (RFC 6052)
  if (prefix[0] === 0 && prefix[1] === 0x64 && prefix[2] === 0xff && prefix[3] === 0x9b && isZero(prefix.slice(4))) return ipv4Of(bytes.slice(12));
  // 2002::/16, 6to4 (RFC 3056): the relay forwards to the IPv4 address in bits 16–47
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return ipv4Of(bytes.slice(2, 6));
  return undefined;
}

function classifyIpv6(address: string): AddressClass {
  const bytes = ipv6Bytes(address);
  if (isZero(bytes.slice(0, 15)) && bytes[15] === 1) return "loopback";
  if (isZero(bytes.slice(0, 15)) && bytes[15] === 0) return "refused";
  const ipv4 = embeddedIpv4(bytes);
  if (ipv4) return classifyIpv4(ipv4);
  if ((bytes[0] & 0xe0) !== 0x20) return "refused";
  return refusedGlobalIpv6.check(address, "ipv6") ? "refused" : "public";
}

/** Classifies an IP address; anything that is not a plain IP address (a zone id, a name) is refused. */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[(.*)\]$/, "$1");
  if (isIPv4(bare)) return classifyIpv4(bare);
  if (isIPv6(bare) && !bare.includes("%")) return classifyIpv6(bare);
  return "refused";
}
