import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "./client";
import { updateTenant } from "@/lib/db/queries/tenants";
import { forgetTenantLimit } from "@/lib/scim-server/limits";
import { RateLimiter } from "@/lib/rate-limit";

setupTestDatabase();

describe("rate limiting per provisioning token", () => {
  it("answers 429 with Retry-After and an RFC error body once the tenant's limit is reached", async () => {
    const { tenant, scim } = await createScimTenant();
    await updateTenant(tenant.id, { settings: { scimRateLimitPerMinute: 5 } });
    forgetTenantLimit(tenant.id);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await scim.get("/ServiceProviderConfig")).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await scim.get("/ServiceProviderConfig");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "429" });
  });

  it("holds across server instances because the counters live in the database", async () => {
    const instanceA = new RateLimiter();
    const instanceB = new RateLimiter();
    const now = Date.UTC(2030, 0, 1, 12, 0, 10);
    const key = `test:${Math.random()}`;
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push((await (i % 2 ? instanceB : instanceA).hit(key, 6, now)).ok);
    expect(decisions).toEqual([true, true, true, true, true, true]);
    expect((await instanceA.hit(key, 6, now)).ok).toBe(false);
    expect((await instanceB.hit(key, 6, now)).ok).toBe(false);
    // A new window starts afresh.
    expect((await instanceA.hit(key, 6, now + 60_000)).ok).toBe(true);
  });

  it("never limits a first sync at 25 requests per second under the default limit", async () => {
    const limiter = new RateLimiter();
    const now = Date.UTC(2030, 0, 1, 12, 5, 0);
    const key = `test:${Math.random()}`;
    let denied = 0;
    for (let i = 0; i < 25 * 60; i++) if (!(await limiter.hit(key, 6000, now + i * 40)).ok) denied++;
    expect(denied).toBe(0);
  });
});
