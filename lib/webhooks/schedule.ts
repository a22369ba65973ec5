import { env } from "../env";

/**
 * Seconds to wait after each failed attempt before the next (Standard Webhooks' suggested
 * schedule, as Svix runs it): attempts at 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later —
 * eight attempts over 27 h 35 min. After the last one the event is given up and the endpoint
 * disabled.
 */
export const RETRY_DELAYS_SECONDS: readonly number[] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];

export function retryDelays(): readonly number[] {
  const override = env().GATEHOUSE_TEST_WEBHOOK_RETRY_SECONDS;
  return override ? override.split(",").map(Number) : RETRY_DELAYS_SECONDS;
}

/** After `failedAttempts` failures of one event: milliseconds until the next attempt, or null to give up. */
export function nextRetryDelayMs(failedAttempts: number, delays: readonly number[] = retryDelays()): number | null {
  if (failedAttempts < 1) return 0;
  const delay = delays[failedAttempts - 1];
  return delay === undefined ? null : Math.round(delay * 1000);
}

export const maxAttempts = (delays: readonly number[] = retryDelays()) => delays.length + 1;

/** How long a dispatcher's claim on an endpoint lasts: a crashed dispatcher's deliveries are retried after it. */
export function leaseSeconds() {
  return env().GATEHOUSE_TEST_WEBHOOK_LEASE_SECONDS ?? 60;
}
