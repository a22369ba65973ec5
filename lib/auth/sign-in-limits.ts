import "server-only";
import { env } from "../env";
import { rateLimiter } from "../rate-limit";
import { addToWindow } from "../db/queries/rate-limits";

// Password lockout model (OWASP Authentication Cheat Sheet, "Account lockout"), counted per
// minute in the database so it holds across server instances:
// - only wrong passwords count; a successful sign-in costs nothing;
// - the hard refusal is per (account, source): someone failing on an account from elsewhere
//   cannot lock its owner out;
// - one source failing across many accounts (spraying) is refused past SIGNIN_LIMIT_PER_SOURCE;
// - failures on one account from every source only slow each attempt on it down, doubling
//   past SIGNIN_LIMIT_PER_ACCOUNT up to MAX_DELAY_MS, so a distributed guesser gains little
//   and the owner, with the right password, still gets in.
const WINDOW_MS = 60_000;
const FIRST_DELAY_MS = 250;
export const MAX_DELAY_MS = 8_000;

export type SignInAttempt =
  | { ok: true; delayMs: number; succeeded: () => Promise<void> }
  | { ok: false; retryAfterSeconds: number };

/** An account is a sign-in scope (a tenant, or the platform) and a normalized email. */
export type SignInAccount = { scope: string | null; email: string };

function keys(source: string, account: SignInAccount) {
  const id = `${account.scope ?? "platform"}:${account.email}`;
  return {
    source: `signin:failed:source:${source}`,
    accountSource: `signin:failed:account-source:${id}|${source}`,
    account: `signin:failed:account:${id}`,
  };
}

function windowOf(now: number) {
  const start = now - (now % WINDOW_MS);
  return { start: new Date(start), retryAfterSeconds: Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000)) };
}

export function accountDelayMs(failures: number, freeFailures = env().SIGNIN_LIMIT_PER_ACCOUNT): number {
  if (failures < freeFailures) return 0;
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(failures - freeFailures + 1, 16));
}

/**
 * Before a password is checked: refuse, or let it through after a delay. The attempt counts as
 * a failure from the start (so parallel guesses cannot all slip past the limit) until
 * `succeeded()` takes it back.
 */
export async function beginPasswordAttempt(source: string, account: SignInAccount, now = Date.now()): Promise<SignInAttempt> {
  const counters = Object.values(keys(source, account));
  const window = windowOf(now);
  const add = (step: number) => Promise.all(counters.map((key) => addToWindow(key, window.start, step)));
  const [bySource, byAccountSource, byAccount] = await add(1);
  if (bySource > env().SIGNIN_LIMIT_PER_SOURCE || byAccountSource > env().SIGNIN_LIMIT_PER_ACCOUNT) {
    await add(-1);
    return { ok: false, retryAfterSeconds: window.retryAfterSeconds };
  }
  return { ok: true, delayMs: accountDelayMs(byAccount - 1), succeeded: async () => void (await add(-1)) };
}

/** Starting an SSO sign-in checks no secret, so each start counts against its source. */
export async function checkSsoStartLimit(source: string) {
  return rateLimiter.hit(`signin:source:${source}`, env().SIGNIN_LIMIT_PER_SOURCE);
}
