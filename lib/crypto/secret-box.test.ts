import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./secret-box";

const key = randomBytes(32);

describe("AES-256-GCM secret box", () => {
  it("round-trips, including unicode and empty strings", () => {
    for (const plaintext of ["client-secret~value.123", "pässwörd ✓ 秘密", ""]) {
      expect(decryptSecret(encryptSecret(plaintext, key), key)).toBe(plaintext);
    }
  });

  it("never contains the plaintext and uses a fresh IV each time", () => {
    const plaintext = "Xy7~super-secret-client-value";
    const a = encryptSecret(plaintext, key);
    const b = encryptSecret(plaintext, key);
    expect(a).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(a).not.toContain(plaintext);
    expect(a).not.toBe(b);
  });

  it("detects tampering with the ciphertext, the tag or the IV", () => {
    const sealed = encryptSecret("tamper-me-please", key);
    const [version, iv, tag, ciphertext] = sealed.split(".");
    const flip = (part: string) => {
      const bytes = Buffer.from(part, "base64url");
      bytes[0] ^= 0x01;
      return bytes.toString("base64url");
    };
    expect(() => decryptSecret([version, iv, tag, flip(ciphertext)].join("."), key)).toThrow();
    expect(() => decryptSecret([version, iv, flip(tag), ciphertext].join("."), key)).toThrow();
    expect(() => decryptSecret([version, flip(iv), tag, ciphertext].join("."), key)).toThrow();
  });

  it("fails with the wrong key", () => {
    const sealed = encryptSecret("only-for-the-right-key", key);
    expect(() => decryptSecret(sealed, randomBytes(32))).toThrow();
  });

  it("rejects unknown formats", () => {
    expect(() => decryptSecret("v2.a.b.c", key)).toThrow(/Unrecognised/);
    expect(() => decryptSecret("not-sealed", key)).toThrow(/Unrecognised/);
  });
});
