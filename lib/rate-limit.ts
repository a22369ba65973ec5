import "server-only";
import { pruneWindows, reserveInWindow } from "./db/queries/rate-limits";
import { defer } from "./defer";

// Fixed-window limits whose counters live in the database, so they hold across server
// instances. A request is allowed only with a slot its instance has reserved in the database
// (reserveInWindow: one statement that raises the window's count only while it stays within
// the limit), so however many instances share a window they never allow more than `limit`.
//
// An instance reserves for every request it has waiting, and, while the window is far from
// full, up to ⌊limit/50⌋ at once but never more than it has already spent in the window, so a
// busy instance makes one database round trip per batch and a short-lived one (a serverless
// instance serving a request or two) strands almost nothing. Below 100 a minute it reserves
// only for waiting requests: every slot taken is spent and exactly `limit` are allowed. Once
// the database refuses a single slot, the instance refuses locally until the window ends.
//
// Slots an instance reserved and never spent (it stopped receiving requests) are lost for the
// window: at most ⌊limit/50⌋ − 1 per instance, so N instances refuse no earlier than
// limit − N × (⌊limit/50⌋ − 1), and no earlier than `limit` while they all stay busy.
type WindowState = {
  windowStart: number;
  /** Slots reserved in the database and not yet spent by this instance. */
  granted: number;
  /** Slots this instance has spent in the window. */
  spent: number;
  /** The window's count across all instances, as last returned by the database. */
  seen: number;
  /** Requests waiting for a slot. */
  waiting: number;
  reserving?: Promise<void>;
  /** The limit at which the database had no slot left for this window. */
  fullAt?: number;
};

export type RateLimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly states = new Map<string, WindowState>();
  private lastPrune = 0;

  constructor(private readonly windowMs = 60_000) {}

  async hit(key: string, limit: number, now = Date.now()): Promise<RateLimitDecision> {
    const windowStart = now - (now % this.windowMs);
    let state = this.states.get(key);
    if (!state || state.windowStart !== windowStart) {
      state = { windowStart, granted: 0, spent: 0, seen: 0, waiting: 0 };
      this.states.set(key, state);
      this.maybePrune(now);
    }
    const refusal = { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + this.windowMs - now) / 1000)) } as const;
    if (isFull(state, limit)) return refusal;
    // The window already counts more than a lowered limit: slots reserved ahead under the old one are not spent.
    if (state.seen > limit) state.granted = 0;
    state.waiting++;
    try {
      while (state.granted === 0) {
        if (isFull(state, limit)) return refusal;
        const current = state;
        state.reserving ??= this.reserve(key, state, limit).finally(() => {
          current.reserving = undefined;
        });
        await state.reserving;
      }
      state.granted--;
      state.spent++;
      return { ok: true };
    } finally {
      state.waiting--;
    }
  }

  /** Reserves slots for the requests waiting (and a batch ahead when far from the limit), halving what it asks for until the database grants it. */
  private async reserve(key: string, state: WindowState, limit: number) {
    const batch = Math.max(1, Math.floor(limit / 50));
    const ahead = limit - state.seen >= 4 * batch ? Math.min(batch, state.spent) : 0;
    let slots = Math.min(limit, Math.max(state.waiting, ahead));
    for (;;) {
      const count = await reserveInWindow(key, new Date(state.windowStart), slots, limit);
      if (count !== null) {
        state.granted += slots;
        state.seen = Math.max(state.seen, count);
        return;
      }
      if (slots <= 1) {
        state.fullAt = limit;
        state.seen = Math.max(state.seen, limit);
        return;
      }
      slots = Math.floor(slots / 2);
    }
  }

  private maybePrune(now: number) {
    if (now - this.lastPrune < this.windowMs) return;
    this.lastPrune = now;
    for (const [key, state] of this.states) if (state.windowStart < now - this.windowMs && !state.reserving) this.states.delete(key);
    const before = new Date(now - 2 * this.windowMs);
    defer("rate limit prune", () => pruneWindows(before));
  }
}

/** The database had no slot left at this limit (a raised limit asks it again). */
function isFull(state: WindowState, limit: number) {
  return state.fullAt !== undefined && limit <= state.fullAt;
}

const holder = globalThis as { __gatehouseLimiter?: RateLimiter };
/** The process-wide limiter. */
export const rateLimiter = (holder.__gatehouseLimiter ??= new RateLimiter());
