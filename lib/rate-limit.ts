import "server-only";
import { addToWindow, pruneWindows } from "./db/queries/rate-limits";

// Fixed-window limits whose counters live in the database, so they hold across server
// instances. Each instance batches its increments (at most limit/50 requests or one second
// between syncs), so the hot path rarely pays a write; small limits sync on every request.
type WindowState = { windowStart: number; shared: number; pending: number; lastSync: number };

export type RateLimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly states = new Map<string, WindowState>();
  private lastPrune = 0;

  constructor(private readonly windowMs = 60_000, private readonly syncMs = 1_000) {}

  async hit(key: string, limit: number, now = Date.now()): Promise<RateLimitDecision> {
    const windowStart = now - (now % this.windowMs);
    let state = this.states.get(key);
    if (!state || state.windowStart !== windowStart) {
      state = { windowStart, shared: 0, pending: 0, lastSync: 0 };
      this.states.set(key, state);
      this.maybePrune(now);
    }
    if (state.shared + state.pending + 1 > limit) {
      if (now - state.lastSync >= this.syncMs) await this.sync(key, state, now);
      if (state.shared + state.pending + 1 > limit) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + this.windowMs - now) / 1000)) };
      }
    }
    state.pending++;
    const batch = Math.max(1, Math.floor(limit / 50));
    if (state.pending >= batch || now - state.lastSync >= this.syncMs) await this.sync(key, state, now);
    if (state.shared > limit) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + this.windowMs - now) / 1000)) };
    }
    return { ok: true };
  }

  private async sync(key: string, state: WindowState, now: number) {
    const increment = state.pending;
    state.pending = 0;
    state.lastSync = now;
    state.shared = await addToWindow(key, new Date(state.windowStart), increment);
  }

  private maybePrune(now: number) {
    if (now - this.lastPrune < this.windowMs) return;
    this.lastPrune = now;
    for (const [key, state] of this.states) if (state.windowStart < now - this.windowMs) this.states.delete(key);
    void pruneWindows(new Date(now - 2 * this.windowMs)).catch(() => {});
  }
}

const holder = globalThis as { __gatehouseLimiter?: RateLimiter };
/** The process-wide limiter. */
export const rateLimiter = (holder.__gatehouseLimiter ??= new RateLimiter());
