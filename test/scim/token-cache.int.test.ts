import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, setupTestDatabase } from "../harness";
import { createScimTenant, scimClient } from "./client";
import { revokeProvisioningToken, VERIFIED_TTL_MS } from "@/lib/db/queries/tokens";
import { updateTenant } from "@/lib/db/queries/tenants";
import { forgetTenantLimit } from "@/lib/scim-server/limits";

// lib/db/queries/tokens.ts keeps a verified token's row (and its tenant's settings) for at most
// VERIFIED_TTL_MS per instance. A change made through this instance counts at once; one written
// by another instance (here: straight to the database, which is all another instance does)
// counts within that bound.
const database = setupTestDatabase();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds; returns the milliseconds it took. */
async function msUntil(check: () => Promise<boolean>, giveUpMs = 5_000) {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > giveUpMs) throw new Error(`still not after ${giveUpMs} ms`);
    await sleep(25);
  }
  return performance.now() - started;
}

describe("verified-token rows kept for half a second", () => {
  it("costs one lookup per half second: a second request right after sends only its own statements", async () => {
    const { scim } = await createScimTenant();
    const first = await scim.get("/Users?filter=" + encodeURIComponent('userName eq "nobody@example.com"'));
    const second = await scim.get("/Users?filter=" + encodeURIComponent('userName eq "nobody@example.com"'));
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.queries).toBe(first.queries - 1);
  });

  it("a revocation through this instance refuses the very next request", async () => {
    const { tenant, token, scim } = await createScimTenant();
    expect((await scim.get("/Users")).status).toBe(200);
    const [{ id: tokenId }] = rowsOf<{ id: string }>(await database.db.execute(sql`select id from provisioning_tokens where tenant_id = ${tenant.id}`));
    expect(tokenId).toBeTruthy();
    await revokeProvisioningToken(tenant.id, tokenId!);
    expect((await scimClient(tenant.id, token).get("/Users")).status).toBe(401);
  });

  it("a revocation written by another instance is refused within the bound", async () => {
    const { tenant, token, scim } = await createScimTenant();
    expect((await scim.get("/Users")).status).toBe(200);
    await database.db.execute(sql`update provisioning_tokens set revoked_at = now() where tenant_id = ${tenant.id}`);
    const took = await msUntil(async () => (await scimClient(tenant.id, token).get("/Users")).status === 401);
    expect(took).toBeLessThanOrEqual(VERIFIED_TTL_MS + 250);
    expect(VERIFIED_TTL_MS).toBeLessThanOrEqual(1_000);
  });

  it("a lowered rate limit counts at once on this instance (forgetTenantLimit) and within the bound from another", async () => {
    const here = await createScimTenant();
    expect((await here.scim.get("/ServiceProviderConfig")).status).toBe(200);
    await updateTenant(here.tenant.id, { settings: { scimRateLimitPerMinute: 1 } });
    forgetTenantLimit(here.tenant.id);
    expect((await here.scim.get("/ServiceProviderConfig")).status).toBe(429);

    const elsewhere = await createScimTenant();
    expect((await elsewhere.scim.get("/ServiceProviderConfig")).status).toBe(200);
    await database.db.execute(sql`update tenants set settings = '{"scimRateLimitPerMinute": 1}'::jsonb where id = ${elsewhere.tenant.id}`);
    const took = await msUntil(async () => (await elsewhere.scim.get("/ServiceProviderConfig")).status === 429);
    expect(took).toBeLessThanOrEqual(VERIFIED_TTL_MS + 250);
  });
});
