import "server-only";
import { addToWindow, pruneWindows } from "./db/queries/rate-limits";
import { defer } from "./defer";

// Fixed-window limits whose counters live in the database, so they hold across server
// instances. A request's increment is written after its response (defer()), joined with the
// increments of requests that arrive before that write starts, so the hot path rarely waits
// for a write. A decision writes first only when an instance has ⌊limit/50⌋ increments not
// yet confirmed by the database (so every request when the limit is below 100), or when it
// would refuse on a count older than a second.
//
// Across instances: every increment reaches the shared counter (none waits for a timer), and
// an instance allows at most ⌊limit/50⌋ − 1 requests beyond the shared count it last read
// before it writes and reads again. N instances therefore allow at most
// limit + N × (⌊limit/50⌋ − 1) requests in a window: exactly `limit` below 100, 2% per busy
// instance above it.
type WindowState = {
  windowStart: number;
  /** The window's count across all instances, as last read. */
  shared: number;
  /** Increments of this instance not yet written, and being written. */
  pending: number;
  writing: number;
  lastSync: number;
  lastHit: number;
  flushQueued: boolean;
};

export type RateLimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly states = new Map<string, WindowState>();
  private lastPrune = 0;

  constructor(private readonly windowMs = 60_000, private readonly syncMs = 1_000) {}

  async hit(key: string, limit: number, now = Date.now()): Promise<RateLimitDecision> {
    const windowStart = now - (now % this.windowMs);
    let state = this.states.get(key);
    if (!state || state.windowStart !== windowStart) {
      state = { windowStart, shared: 0, pending: 0, writing: 0, lastSync: 0, lastHit: now, flushQueued: false };
      this.states.set(key, state);
      this.maybePrune(now);
    }
    state.lastHit = Math.max(state.lastHit, now);
    if (counted(state) + 1 > limit) {
      if (now - state.lastSync >= this.syncMs) await this.sync(key, state, now);
      if (counted(state) + 1 > limit) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + this.windowMs - now) / 1000)) };
      }
    }
    state.pending++;
    const batch = Math.max(1, Math.floor(limit / 50));
    if (state.pending + state.writing >= batch || now - state.lastSync >= this.syncMs) await this.sync(key, state, now);
    if (state.shared > limit) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + this.windowMs - now) / 1000)) };
    }
    if (state.pending > 0) this.flushLater(key, state);
    return { ok: true };
  }

  /** Writes whatever is still pending for a window after the response. */
  private flushLater(key: string, state: WindowState) {
    if (state.flushQueued) return;
    state.flushQueued = true;
    defer("rate limit", async () => {
      state.flushQueued = false;
      if (state.pending > 0) await this.sync(key, state, state.lastHit);
    });
  }

  private async sync(key: string, state: WindowState, now: number) {
    const increment = state.pending;
    state.pending = 0;
    state.writing += increment;
    state.lastSync = Math.max(state.lastSync, now);
    try {
      const total = await addToWindow(key, new Date(state.windowStart), increment);
      // Two writes of one window can finish out of order; the counter only grows.
      state.shared = Math.max(state.shared, total);
    } catch (error) {
      state.pending += increment;
      throw error;
    } finally {
      state.writing -= increment;
    }
  }

  private maybePrune(now: number) {
    if (now - this.lastPrune < this.windowMs) return;
    this.lastPrune = now;
    for (const [key, state] of this.states) if (state.windowStart < now - this.windowMs && !state.flushQueued) this.states.delete(key);
    const before = new Date(now - 2 * this.windowMs);
    defer("rate limit prune", () => pruneWindows(before));
  }
}

/** What this instance knows the window has used: an increment being written may already be in `shared` (counted twice, never missed). */
function counted(state: WindowState) {
  return state.shared + state.pending + state.writing;
}

const holder = globalThis as { __gatehouseLimiter?: RateLimiter };
/** The process-wide limiter. */
export const rateLimiter = (holder.__gatehouseLimiter ??= new RateLimiter());
