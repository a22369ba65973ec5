import { describe, expect, it } from "vitest";
import { classifyAddress } from "./address-policy";

describe("RFC 6890 special-purpose IPv4 ranges are refused", () => {
  it.each([
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "this network"],
    ["10.0.0.1", "private 10/8"],
    ["10.255.255.255", "private 10/8, last"],
    ["100.64.0.1", "CGNAT 100.64/10"],
    ["100.127.255.254", "CGNAT, last"],
    ["169.254.169.254", "link-local, cloud metadata"],
    ["172.16.0.1", "private 172.16/12"],
    ["172.31.255.255", "private 172.16/12, last"],
    ["192.0.0.170", "IETF protocol assignments"],
    ["192.0.2.1", "TEST-NET-1"],
    ["192.168.1.1", "private 192.168/16"],
    ["198.18.0.1", "benchmarking"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast (SSDP)"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "broadcast"],
  ])("%s (%s)", (address) => {
    expect(classifyAddress(address)).toBe("refused");
  });
});

describe("IPv6: only global unicast outside special ranges; embedded IPv4 judged as IPv4", () => {
  it.each([
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local with a zone"],
    ["fc00::1", "ULA fc00::/7"],
    ["fd12:3456::1", "ULA"],
    ["ff02::1", "multicast"],
    ["fec0::1", "site-local (deprecated)"],
    ["100::1", "discard"],
    ["::ffff:10.0.0.1", "IPv4-mapped private"],
    ["::ffff:a9fe:a9fe", "IPv4-mapped 169.254.169.254, hex form"],
    ["::ffff:0:169.254.169.254", "SIIT-translated link-local"],
    ["::10.0.0.1", "IPv4-compatible private"],
    ["64:ff9b::a9fe:a9fe", "NAT64 of 169.254.169.254"],
    ["64:ff9b::10.0.0.1", "NAT64 of 10.0.0.1"],
    ["64:ff9b:1::1", "NAT64 local-use prefix"],
    ["2002:a9fe:a9fe::1", "6to4 of 169.254.169.254"],
    ["2001::1", "Teredo"],
    ["2001:db8::1", "documentation"],
    ["3fff::1", "documentation (RFC 9637)"],
  ])("%s (%s)", (address) => {
    expect(classifyAddress(address)).toBe("refused");
  });
});

describe("loopback is its own class (allowed only under GATEHOUSE_ALLOW_LOOPBACK_IDP)", () => {
  it.each(["127.0.0.1", "127.1.2.3", "::1", "[::1]", "::ffff:127.0.0.1", "::ffff:7f00:1", "::127.0.0.1", "64:ff9b::7f00:1"])("%s", (address) => {
    expect(classifyAddress(address)).toBe("loopback");
  });
});

describe("public addresses pass", () => {
  it.each(["20.190.160.1", "40.126.0.1", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2603:1006:2000::1", "2a01:111:f100::1", "::ffff:20.190.160.1", "64:ff9b::808:808", "2002:808:808::1"])("%s", (address) => {
    expect(classifyAddress(address)).toBe("public");
  });
});

describe("anything that is not an IP address is refused", () => {
  it.each(["localhost", "login.microsoftonline.com", "", "1.2.3", "::ffff:1.2.3.4.5"])("%j", (address) => {
    expect(classifyAddress(address)).toBe("refused");
  });
});
