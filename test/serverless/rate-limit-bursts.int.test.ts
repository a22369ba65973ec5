import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../harness";
import { RateLimiter } from "@/lib/rate-limit";
import { drainDeferred } from "@/lib/defer";
import { sharedCount as countIn } from "./shared-count";

// Two RateLimiters are two servers behind one balancer, sharing the database. Clients send a
// burst of twice the limit through both: it must be cut at the limit, never beyond it and
// never before it while both servers stay busy to the end of the burst.

const database = setupTestDatabase();
const sharedCount = (key: string, windowStart: number) => countIn(database.db, key, windowStart);


/** `clientsPerServer` clients on each server send requests one after another, 20 ms apart in all. */
async function burst(servers: RateLimiter[], key: string, limit: number, hits: number, clientsPerServer: number, windowStart: number) {
  let sent = 0;
  const retryAfter = new Set<number>();
  let allowed = 0;
  await Promise.all(
    Array.from({ length: servers.length * clientsPerServer }, async (_, client) => {
      while (sent < hits) {
        const decision = await servers[client % servers.length].hit(key, limit, windowStart + 20 * sent++);
        if (decision.ok) allowed++;
        else retryAfter.add(decision.retryAfterSeconds);
      }
    }),
  );
  await drainDeferred();
  return { allowed, retryAfter };
}

const shapes = [
  { clientsPerServer: 1, name: "alternating, one request at a time" },
  { clientsPerServer: 4, name: "four clients per server" },
  { clientsPerServer: 20, name: "twenty clients per server" },
  { clientsPerServer: 200, name: "all at once" },
];

describe("a burst split between two instances", () => {
  let minute = 0;
  const nextWindow = () => Date.UTC(2030, 0, 1, 13, minute++, 0);

  for (const { clientsPerServer, name } of shapes) {
    it(`allows exactly 20 of 40 at a limit of 20 (${name})`, async () => {
      const windowStart = nextWindow();
      const key = `test:burst:${Math.random()}`;
      const { allowed, retryAfter } = await burst([new RateLimiter(), new RateLimiter()], key, 20, 40, clientsPerServer, windowStart);
      expect(allowed).toBe(20);
      expect(Math.min(...retryAfter)).toBeGreaterThanOrEqual(1);
      expect(await sharedCount(key, windowStart)).toBe(20);
    });

    it(`allows exactly 150 of 300 at a limit of 150 (${name})`, async () => {
      const windowStart = nextWindow();
      const key = `test:burst:${Math.random()}`;
      const { allowed } = await burst([new RateLimiter(), new RateLimiter()], key, 150, 300, clientsPerServer, windowStart);
      expect(allowed).toBe(150);
      expect(await sharedCount(key, windowStart)).toBe(150);
    });
  }

  it("allows exactly 1,000 of 2,400 at a limit of 1,000, in batches of 20", async () => {
    const windowStart = nextWindow();
    const key = `test:burst:${Math.random()}`;
    const { allowed } = await burst([new RateLimiter(), new RateLimiter()], key, 1000, 2400, 8, windowStart);
    expect(allowed).toBe(1000);
    expect(await sharedCount(key, windowStart)).toBe(1000);
  });

  it("starts the next window afresh on both instances", async () => {
    const windowStart = nextWindow();
    const key = `test:burst:${Math.random()}`;
    const servers = [new RateLimiter(), new RateLimiter()];
    expect((await burst(servers, key, 20, 40, 20, windowStart)).allowed).toBe(20);
    expect((await burst(servers, key, 20, 40, 20, windowStart + 60_000)).allowed).toBe(20);
  });
});
