import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { RateLimiter } from "@/lib/rate-limit";
import { drainDeferred } from "@/lib/defer";
import { rateLimits } from "@/lib/db/schema";

// Each RateLimiter is one server instance's memory. Serverless platforms start, suspend and
// recycle instances freely; a limiter must neither lose the increments it has not written
// yet (that would let every new instance allow more) nor let instances together go beyond
// limit + N × (⌊limit/50⌋ − 1) (lib/rate-limit.ts).

const database = setupTestDatabase();

async function sharedCount(key: string, windowStart: number) {
  const [row] = await database.db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, new Date(windowStart))));
  return row?.count ?? 0;
}

describe("the rate limit across server instances", () => {
  it("holds when every instance serves two requests and is then recycled", async () => {
    const limit = 100; // ⌊100/50⌋ = 2: the second request of an instance is not written before its response
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
    // One instance at a time: at most limit + 1 × (2 − 1).
    expect(allowed).toBeGreaterThanOrEqual(limit);
    expect(allowed).toBeLessThanOrEqual(limit + 1);
    expect(await sharedCount(key, now)).toBeGreaterThanOrEqual(allowed);
  });

  it("stays within limit + N × (⌊limit/50⌋ − 1) for two busy instances, and writes every allowed request", async () => {
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
    expect(allowed).toBeGreaterThanOrEqual(limit - 2 * 9);
    expect(allowed).toBeLessThanOrEqual(limit + 2 * 9);
    expect(await sharedCount(key, windowStart)).toBeGreaterThanOrEqual(allowed);
  });

  it("is exact below 100 requests a minute: every request is counted before it is allowed", async () => {
    const limit = 30;
    const now = Date.UTC(2030, 0, 1, 12, 2, 0);
    const key = `test:exact:${Math.random()}`;
    const instances = [new RateLimiter(), new RateLimiter(), new RateLimiter()];
    const decisions = await Promise.all(Array.from({ length: 90 }, (_, i) => instances[i % 3].hit(key, limit, now)));
    expect(decisions.filter((d) => d.ok)).toHaveLength(limit);
  });
});
