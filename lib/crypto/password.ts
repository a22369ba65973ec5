import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { hash, verify, type Algorithm } from "@node-rs/argon2";

// Argon2id at OWASP's Password Storage Cheat Sheet minimum (m=19 MiB, t=2, p=1). The PHC
// string ($argon2id$v=19$m=…,t=…,p=…$salt$hash) carries the parameters, so raising them here
// upgrades every stored hash at its owner's next sign-in (see needsRehash).
const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id: a const enum, unusable under isolatedModules
export const PASSWORD_PARAMS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// Hashes written before Argon2id: scrypt$salt$hash with N=2^15, r=8, p=1 (parameters implied).
const scrypt = promisify(scryptCallback) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const LEGACY_SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

const PHC_ARGON2ID = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_PARAMS);
}

let dummyHash: Promise<string> | undefined;

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (stored && PHC_ARGON2ID.test(stored)) return verify(stored, password).catch(() => false);
  if (stored?.startsWith("scrypt$")) return verifyLegacyScrypt(password, stored);
  // Same cost whether or not the account exists or has a password.
  await verify(await (dummyHash ??= hashPassword(randomBytes(16).toString("hex"))), password).catch(() => false);
  return false;
}

/** True when a verified hash is legacy scrypt or weaker than today's Argon2id parameters. */
export function needsRehash(stored: string): boolean {
  const match = PHC_ARGON2ID.exec(stored);
  if (!match) return true;
  const [memoryCost, timeCost, parallelism] = match.slice(1).map(Number);
  return memoryCost < PASSWORD_PARAMS.memoryCost || timeCost < PASSWORD_PARAMS.timeCost || parallelism < PASSWORD_PARAMS.parallelism;
}

async function verifyLegacyScrypt(password: string, stored: string) {
  const [, salt, expected] = stored.split("$");
  if (!salt || !expected) return false;
  const actual = await scrypt(password, Buffer.from(salt, "base64url"), 32, LEGACY_SCRYPT);
  const wanted = Buffer.from(expected, "base64url");
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
