import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { rateLimits } from "@/lib/db/schema";
import { setupTestDatabase } from "../harness";
import { RateLimiter } from "@/lib/rate-limit";
import { drainDeferred } from "@/lib/defer";
import { sharedCount as countIn } from "./shared-count";

// Each RateLimiter is one server instance's memory. Serverless platforms start, suspend and
// recycle instances freely; a limiter allows a request only with a slot reserved in the
// database, so instances together never go beyond the limit, and a short-lived instance
// strands no slot it reserved ahead (lib/rate-limit.ts).

const database = setupTestDatabase();
const sharedCount = (key: string, windowStart: number) => countIn(database.db, key, windowStart);


describe("the rate limit across server instances", () => {
  it("holds when every instance serves two requests and is then recycled", async () => {
    const limit = 100; // ⌊100/50⌋ = 2, but an instance reserves ahead no more than it has spent
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);
    const key = `test:recycled:${Math.random()}`;
    let allowed = 0;
    for (let instance = 0; instance < 60; instance++) {
      const limiter = new RateLimiter();
      for (let request = 0; request < 2; request++) {
        if ((await limiter.hit(key, limit, now)).ok) allowed++;
        await drainDeferred(); // the platform finishes after()/waitUntil work before suspending
      }
    }
    expect(allowed).toBe(limit);
    expect(await sharedCount(key, now)).toBe(limit);
  });

  it("allows exactly the limit to two busy instances, and writes every allowed request", async () => {
    const limit = 500; // a batch of 10
    const windowStart = Date.UTC(2030, 0, 1, 12, 1, 0);
    const key = `test:busy:${Math.random()}`;
    const instances = [new RateLimiter(), new RateLimiter()];
    let allowed = 0;
    for (let i = 0; i < 800; i++) {
      // Interleaved in an irregular order, 10 ms apart: both instances see fresh traffic.
      const limiter = instances[(i * 7) % 3 === 0 ? 1 : 0];
      if ((await limiter.hit(key, limit, windowStart + i * 10)).ok) allowed++;
    }
    await drainDeferred();
    expect(allowed).toBe(limit);
    expect(await sharedCount(key, windowStart)).toBe(limit);
  });

  it("loses at most ⌊limit/50⌋ − 1 slots to an instance that goes quiet mid-window", async () => {
    const limit = 500; // a batch of 10
    const windowStart = Date.UTC(2030, 0, 1, 12, 3, 0);
    const key = `test:quiet:${Math.random()}`;
    const [quiet, busy] = [new RateLimiter(), new RateLimiter()];
    let allowed = 0;
    for (let i = 0; i < 101; i++) if ((await quiet.hit(key, limit, windowStart + i)).ok) allowed++;
    for (let i = 0; i < 800; i++) if ((await busy.hit(key, limit, windowStart + 200 + i)).ok) allowed++;
    expect(allowed).toBeLessThanOrEqual(limit);
    expect(allowed).toBeGreaterThanOrEqual(limit - 9);
    expect(await sharedCount(key, windowStart)).toBe(limit);
  });

  it("refuses without asking the database again once it has said the window is full", async () => {
    const limit = 3;
    const windowStart = Date.UTC(2030, 0, 1, 12, 4, 0);
    const key = `test:full:${Math.random()}`;
    const limiter = new RateLimiter();
    for (let i = 0; i < 4; i++) await limiter.hit(key, limit, windowStart);
    // Were it asked, the database would now grant a slot.
    await database.db.update(rateLimits).set({ count: 0 }).where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, new Date(windowStart))));
    expect(await limiter.hit(key, limit, windowStart + 59_500)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect((await limiter.hit(key, limit, windowStart + 60_000)).ok).toBe(true);
  });

  it("is exact below 100 requests a minute: every request is counted before it is allowed", async () => {
    const limit = 30;
    const now = Date.UTC(2030, 0, 1, 12, 2, 0);
    const key = `test:exact:${Math.random()}`;
    const instances = [new RateLimiter(), new RateLimiter(), new RateLimiter()];
    const decisions = await Promise.all(Array.from({ length: 90 }, (_, i) => instances[i % 3].hit(key, limit, now)));
    expect(decisions.filter((d) => d.ok)).toHaveLength(limit);
  });

  it("refuses everything under a limit of zero", async () => {
    const decision = await new RateLimiter().hit(`test:zero:${Math.random()}`, 0, Date.UTC(2030, 0, 1, 12, 5, 30));
    expect(decision).toEqual({ ok: false, retryAfterSeconds: 30 });
  });
});
