import "server-only";
import { env } from "../env";
import { rateLimiter } from "../rate-limit";
import { normalizeEmail } from "../db/queries/admins";

export type SignInLimit = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Sign-in attempts per source address and per account, counted in the database so the limit
 * holds across server instances (password guessing spread over instances still hits it).
 */
export async function checkSignInLimit(source: string, account?: string): Promise<SignInLimit> {
  const bySource = await rateLimiter.hit(`signin:source:${source}`, env().SIGNIN_LIMIT_PER_SOURCE);
  if (!bySource.ok) return bySource;
  if (account) {
    const byAccount = await rateLimiter.hit(`signin:account:${normalizeEmail(account)}`, env().SIGNIN_LIMIT_PER_ACCOUNT);
    if (!byAccount.ok) return byAccount;
  }
  return { ok: true };
}

/** The client address as the nearest proxy reports it. */
export function signInSource(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return (forwarded || headers.get("x-real-ip") || "unknown").slice(0, 64);
}
