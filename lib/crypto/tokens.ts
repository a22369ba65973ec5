import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Provisioning tokens: `gh_scim_` (API keys: `gh_api_`) + 43 base64url chars (256 bits from the CSPRNG) + a
// 6-char CRC32 checksum, so a leaked token is recognisable by secret scanners and a typo
// is caught before any database lookup. Only the SHA-256 hash is stored.
export const TOKEN_PREFIX = "gh_scim_";
/** Keys of the host application's REST API (/api/v1): the same shape under their own prefix. */
export const API_KEY_PREFIX = "gh_api_";
const BODY_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const patternFor = (prefix: string) => new RegExp(`^${prefix}[A-Za-z0-9_-]{${BODY_LENGTH}}[0-9a-z]{${CHECKSUM_LENGTH}}$`);
const TOKEN_PATTERN = patternFor(TOKEN_PREFIX);
const API_KEY_PATTERN = patternFor(API_KEY_PREFIX);

export type GeneratedToken = { token: string; hash: string; prefix: string; last4: string };

function generate(prefix: string): GeneratedToken {
  const body = randomBytes(32).toString("base64url");
  const token = `${prefix}${body}${checksum(body)}`;
  return { token, hash: hashToken(token), prefix, last4: token.slice(-4) };
}

function isWellFormed(candidate: string, prefix: string, pattern: RegExp): boolean {
  if (!pattern.test(candidate)) return false;
  const body = candidate.slice(prefix.length, prefix.length + BODY_LENGTH);
  return constantTimeEqual(checksum(body), candidate.slice(-CHECKSUM_LENGTH));
}

export function generateProvisioningToken(): GeneratedToken {
  return generate(TOKEN_PREFIX);
}

/** True when the string has our shape and its checksum matches (no database needed). */
export function isWellFormedToken(candidate: string): boolean {
  return isWellFormed(candidate, TOKEN_PREFIX, TOKEN_PATTERN);
}

export function generateApiKey(): GeneratedToken {
  return generate(API_KEY_PREFIX);
}

/** An API key's shape and checksum, checked before any database lookup. */
export function isWellFormedApiKey(candidate: string): boolean {
  return isWellFormed(candidate, API_KEY_PREFIX, API_KEY_PATTERN);
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

function checksum(body: string): string {
  return crc32(Buffer.from(body, "utf8")).toString(36).padStart(CHECKSUM_LENGTH, "0").slice(-CHECKSUM_LENGTH);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
