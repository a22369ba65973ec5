import { hash } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, PASSWORD_PARAMS, verifyPassword } from "./password";

// Written by the scrypt (N=2^15, r=8, p=1) hasher this project used before Argon2id.
const LEGACY = "scrypt$unZdWeDpSa73oKMRTTDQww$zLpRqBOqSJ8PyIaCUN1lCtzD0mxed-YA5Ds1yvvL8uE";

describe("OWASP Password Storage: Argon2id with its parameters in the PHC string", () => {
  it("hashes with Argon2id at m=19 MiB, t=2, p=1 or stronger", async () => {
    const stored = await hashPassword("correct-horse-battery");
    const [, algorithm, version, params] = stored.split("$");
    expect(algorithm).toBe("argon2id");
    expect(version).toBe("v=19");
    const { m, t, p } = Object.fromEntries(params.split(",").map((kv) => kv.split("=").map(String))) as Record<string, string>;
    expect(Number(m)).toBeGreaterThanOrEqual(19_456);
    expect(Number(t)).toBeGreaterThanOrEqual(2);
    expect(Number(p)).toBeGreaterThanOrEqual(1);
    expect(await verifyPassword("correct-horse-battery", stored)).toBe(true);
    expect(await verifyPassword("correct-horse-batterY", stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });

  it("still verifies legacy scrypt hashes, and marks them for rehashing", async () => {
    expect(await verifyPassword("correct-horse-battery", LEGACY)).toBe(true);
    expect(await verifyPassword("wrong", LEGACY)).toBe(false);
    expect(needsRehash(LEGACY)).toBe(true);
  });

  it("marks Argon2id hashes weaker than today's parameters for rehashing", async () => {
    const weaker = await hash("pw", { ...PASSWORD_PARAMS, memoryCost: 8_192, timeCost: 1 });
    expect(await verifyPassword("pw", weaker)).toBe(true);
    expect(needsRehash(weaker)).toBe(true);
  });

  it("refuses missing, empty and malformed hashes", async () => {
    for (const stored of [null, undefined, "", "scrypt$", "scrypt$x$", "$argon2id$v=19$m=1,t=1,p=1$$", "plaintext"]) {
      expect(await verifyPassword("anything", stored)).toBe(false);
    }
  });
});
