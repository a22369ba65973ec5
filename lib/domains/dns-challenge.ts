import { Resolver } from "node:dns/promises";

// Email-domain ownership, proved the way Entra ID and Okta ask for it: a TXT record the
// tenant creates in the domain's DNS. The record name is fixed, the value per tenant and
// domain, so a claim cannot be proved with another tenant's record (security review M-3).

export type TxtResolver = (name: string) => Promise<string[][]>;

export const CHALLENGE_PREFIX = "_gatehouse-challenge";
const VALUE_PREFIX = "gatehouse-verification=";

export function challengeRecordName(domain: string) {
  return `${CHALLENGE_PREFIX}.${domain}`;
}

export function challengeRecordValue(token: string) {
  return `${VALUE_PREFIX}${token}`;
}

/** A short-lived resolver: a slow name server answers "not found" rather than holding the request. */
const systemResolveTxt: TxtResolver = (name) => new Resolver({ timeout: 3000, tries: 2 }).resolveTxt(name);

export type ChallengeResult = { ok: true } | { ok: false; reason: "not_found" | "mismatch" };

/**
 * Looks up `_gatehouse-challenge.<domain>` and accepts a TXT record equal to the value shown
 * to the tenant (a record's character strings are joined, RFC 7208 §3.3 style). Lookup
 * failures of any kind (NXDOMAIN, no data, timeout) are "not found": nothing is thrown.
 */
export async function checkDnsChallenge(domain: string, token: string, resolveTxt: TxtResolver = systemResolveTxt): Promise<ChallengeResult> {
  let records: string[][];
  try {
    records = await resolveTxt(challengeRecordName(domain));
  } catch {
    return { ok: false, reason: "not_found" };
  }
  if (records.length === 0) return { ok: false, reason: "not_found" };
  const expected = challengeRecordValue(token);
  const found = records.some((chunks) => {
    const value = chunks.join("").trim();
    return value === expected || value === token;
  });
  return found ? { ok: true } : { ok: false, reason: "mismatch" };
}
