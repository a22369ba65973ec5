import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

// scrypt (N=2^15, r=8, p=1): memory-hard, in Node's standard library.
const scrypt = promisify(scryptCallback) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const PARAMS = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, PARAMS);
  return `scrypt$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const [scheme, salt, expected] = (stored ?? "").split("$");
  if (scheme !== "scrypt" || !salt || !expected) {
    await scrypt(password, randomBytes(16), 32, PARAMS); // same cost whether or not the user exists
    return false;
  }
  const actual = await scrypt(password, Buffer.from(salt, "base64url"), 32, PARAMS);
  const wanted = Buffer.from(expected, "base64url");
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
