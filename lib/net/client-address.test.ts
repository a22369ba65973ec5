import { describe, expect, it } from "vitest";
import { canonicalAddress, parseTrustedProxies, PEER_ADDRESS_HEADER, resolveClientAddress } from "./client-address";

const request = (peer: string | null, extra: Record<string, string> = {}) =>
  new Headers({ ...(peer ? { [PEER_ADDRESS_HEADER]: peer } : {}), ...extra });

describe("no TRUSTED_PROXIES: the TCP peer is the client", () => {
  const trust = parseTrustedProxies(undefined);

  it("ignores X-Forwarded-For and X-Real-IP a client sends", () => {
    for (let i = 0; i < 200; i++) {
      const spoofed = request("198.51.100.20", { "x-forwarded-for": `203.0.113.${i % 250}`, "x-real-ip": `192.0.2.${i % 250}` });
      expect(resolveClientAddress(spoofed, trust)).toBe("198.51.100.20");
    }
  });

  it("answers unknown when the server recorded no peer", () => {
    expect(resolveClientAddress(request(null, { "x-forwarded-for": "203.0.113.7" }), trust)).toBe("unknown");
  });

  it("spells an IPv4-mapped peer as IPv4", () => {
    expect(resolveClientAddress(request("::ffff:127.0.0.1"), trust)).toBe("127.0.0.1");
  });
});

describe("TRUSTED_PROXIES lists proxies: the right-most hop that is not one of them", () => {
  const trust = parseTrustedProxies("10.0.0.0/8, 192.168.1.5,2001:db8::/32");

  it("takes the address the trusted proxy appended, not the client's left-most claim", () => {
    // nginx proxy_add_x_forwarded_for appends the real peer to what the client sent.
    const headers = request("10.0.0.2", { "x-forwarded-for": "203.0.113.66, 198.51.100.7" });
    expect(resolveClientAddress(headers, trust)).toBe("198.51.100.7");
  });

  it("walks through a chain of trusted proxies", () => {
    const headers = request("10.0.0.2", { "x-forwarded-for": "6.6.6.6, 198.51.100.7, 192.168.1.5, 10.1.2.3" });
    expect(resolveClientAddress(headers, trust)).toBe("198.51.100.7");
    expect(resolveClientAddress(request("2001:db8::1", { "x-forwarded-for": "2001:DB8:FFFF::9, 2600::1" }), trust)).toBe("2600::1");
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(resolveClientAddress(request("198.51.100.9", { "x-forwarded-for": "203.0.113.1" }), trust)).toBe("198.51.100.9");
  });

  it("stops at a hop that is not an address", () => {
    expect(resolveClientAddress(request("10.0.0.2", { "x-forwarded-for": "198.51.100.7, not-an-ip" }), trust)).toBe("10.0.0.2");
  });

  it("takes the trusted proxy itself when it forwarded nothing", () => {
    expect(resolveClientAddress(request("10.0.0.2"), trust)).toBe("10.0.0.2");
  });

  it("refuses entries that are not addresses or ranges", () => {
    for (const bad of ["10.0.0.0/33", "10.0.0.0/8/1", "proxy.internal", "::1/129", "10.0.0.0/x"]) {
      expect(() => parseTrustedProxies(bad), bad).toThrow(/TRUSTED_PROXIES/);
    }
  });
});

describe('TRUSTED_PROXIES=vercel: the headers Vercel\'s edge overwrites', () => {
  const trust = parseTrustedProxies("vercel");

  it("reads x-vercel-forwarded-for, then x-real-ip, never the client's X-Forwarded-For", () => {
    expect(resolveClientAddress(request("10.0.0.1", { "x-vercel-forwarded-for": "198.51.100.3", "x-forwarded-for": "6.6.6.6" }), trust)).toBe("198.51.100.3");
    expect(resolveClientAddress(request("10.0.0.1", { "x-real-ip": "198.51.100.4", "x-forwarded-for": "6.6.6.6" }), trust)).toBe("198.51.100.4");
    expect(resolveClientAddress(request("10.0.0.1", { "x-forwarded-for": "6.6.6.6" }), trust)).toBe("10.0.0.1");
  });
});

describe("canonicalAddress", () => {
  it("accepts IPv4, IPv6 (bracketed or not) and refuses the rest", () => {
    expect(canonicalAddress(" 192.0.2.1 ")).toBe("192.0.2.1");
    expect(canonicalAddress("[2001:DB8::1]")).toBe("2001:db8::1");
    expect(canonicalAddress("unknown")).toBeNull();
    expect(canonicalAddress("192.0.2.1:443")).toBeNull();
  });
});
