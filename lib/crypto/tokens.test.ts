import { describe, expect, it } from "vitest";
import { constantTimeEqual, generateProvisioningToken, hashToken, isWellFormedToken, TOKEN_PREFIX } from "./tokens";

describe("provisioning token format", () => {
  it("has the recognisable prefix, 256 bits of base64url body and a checksum", () => {
    const { token, prefix, last4 } = generateProvisioningToken();
    expect(token).toMatch(/^gh_scim_[A-Za-z0-9_-]{43}[0-9a-z]{6}$/);
    expect(prefix).toBe(TOKEN_PREFIX);
    expect(last4).toBe(token.slice(-4));
    const body = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + 43);
    expect(Buffer.from(body, "base64url")).toHaveLength(32);
  });

  it("never repeats", () => {
    const tokens = new Set(Array.from({ length: 500 }, () => generateProvisioningToken().token));
    expect(tokens.size).toBe(500);
  });

  it("accepts its own tokens", () => {
    for (let i = 0; i < 100; i++) expect(isWellFormedToken(generateProvisioningToken().token)).toBe(true);
  });
});

describe("checksum catches typos before any database lookup", () => {
  it("rejects every one-character change in the body", () => {
    const { token } = generateProvisioningToken();
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let i = TOKEN_PREFIX.length; i < TOKEN_PREFIX.length + 43; i++) {
      const replacement = alphabet[(alphabet.indexOf(token[i]) + 1 + (i % 7)) % alphabet.length];
      const typo = token.slice(0, i) + replacement + token.slice(i + 1);
      expect(typo).not.toBe(token);
      expect(isWellFormedToken(typo), `typo at ${i}`).toBe(false);
    }
  });

  it("rejects a changed checksum, a wrong prefix, truncation and padding", () => {
    const { token } = generateProvisioningToken();
    const last = token.at(-1)!;
    expect(isWellFormedToken(token.slice(0, -1) + (last === "0" ? "1" : "0"))).toBe(false);
    expect(isWellFormedToken(token.replace("gh_scim_", "gh_scin_"))).toBe(false);
    expect(isWellFormedToken(token.slice(0, -1))).toBe(false);
    expect(isWellFormedToken(`${token} `)).toBe(false);
    expect(isWellFormedToken("")).toBe(false);
  });
});

describe("hashing (only the SHA-256 is stored)", () => {
  it("is the hex SHA-256 of the whole token, stable and distinct per token", () => {
    const { token, hash } = generateProvisioningToken();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hash);
    expect(hash).not.toContain(token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + 8));
    expect(hashToken(generateProvisioningToken().token)).not.toBe(hash);
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("constant-time comparison", () => {
  it("compares equal and unequal strings of equal and different lengths", () => {
    expect(constantTimeEqual("abcdef", "abcdef")).toBe(true);
    expect(constantTimeEqual("abcdef", "abcdeg")).toBe(false);
    expect(constantTimeEqual("abcdef", "abcde")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });
});
