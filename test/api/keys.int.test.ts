import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { rowsOf, setupTestDatabase } from "../harness";
import { actors } from "@/lib/audit";
import { issueApiKey, revokeApiKey } from "@/lib/admin/api-keys";
import { AdminError } from "@/lib/admin/errors";
import { expiryInDays } from "@/lib/admin/token-lifetime";
import { authenticateApiKey, assertTenantAccess, enforceApiKeyRateLimit } from "@/lib/api/auth";
import { defineOperation } from "@/lib/api/operation";
import { ApiProblem } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { hashToken } from "@/lib/crypto/tokens";
import { verifyApiKey } from "@/lib/db/queries/api-keys";
import { createTenant } from "@/lib/db/queries/tenants";
import { drainDeferred } from "@/lib/defer";
import { resetEnvCache } from "@/lib/env";

const database = setupTestDatabase();

const newTenant = () => createTenant({ name: "Keys Co", slug: `keys-${randomBytes(4).toString("hex")}` });
const bearer = (key: string) => new Request("http://gatehouse.test/api/v1/probe", { headers: { authorization: `Bearer ${key}` } });

// A stand-in operation: the wrapper's refusals, whatever the endpoint.
const probe = defineOperation({
  operationId: "probe",
  method: "get",
  path: "/api/v1/probe",
  summary: "probe",
  tags: ["test"],
  scope: "read",
  query: z.strictObject({ n: z.coerce.number().int().min(1).optional() }),
  response: z.object({ keyId: z.string(), n: z.number().optional() }),
});
const probeRoute = apiRoute(probe, async ({ key, query }) => ({ keyId: key.keyId, n: query.n }));
const callProbe = async (key: string, search = "") => {
  const response = await probeRoute(new Request(`http://gatehouse.test/api/v1/probe${search}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({}) });
  return { status: response.status, headers: response.headers, body: await response.json() };
};

describe("API keys", () => {
  it("are shown once: only the SHA-256 hash, prefix and last four characters are stored", async () => {
    const tenant = await newTenant();
    const { row, key } = await issueApiKey({ tenantId: tenant.id }, { name: "Billing", scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
    expect(key).toMatch(/^gh_api_[A-Za-z0-9_-]{43}[0-9a-z]{6}$/);
    expect(row).not.toHaveProperty("keyHash");
    const dump = JSON.stringify(rowsOf(await database.db.execute(sql`select * from api_keys where id = ${row.id}`)));
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(key.slice(7, 40));
    expect(dump).toContain(hashToken(key));
    const auditText = JSON.stringify(rowsOf(await database.db.execute(sql`select action, details::text as details from audit_events where target_id = ${row.id}`)));
    expect(auditText).toContain("api_key.created");
    expect(auditText).toContain(`gh_api_…${key.slice(-4)}`);
    expect(auditText).not.toContain(key);
  });

  it("refuse an expiry beyond two years or in the past, and an unknown scope", async () => {
    const tenant = await newTenant();
    await expect(issueApiKey({ tenantId: tenant.id }, { scope: "read", expiresAt: expiryInDays(800) }, actors.cli())).rejects.toBeInstanceOf(AdminError);
    await expect(issueApiKey({ tenantId: tenant.id }, { scope: "read", expiresAt: new Date(Date.now() - 1000) }, actors.cli())).rejects.toBeInstanceOf(AdminError);
    // @ts-expect-error: a scope the type does not allow, as a form or the CLI could send it
    await expect(issueApiKey({ tenantId: tenant.id }, { scope: "admin", expiresAt: expiryInDays(3) }, actors.cli())).rejects.toBeInstanceOf(AdminError);
  });

  it("authenticate until expired or revoked, each refusal a 401 problem naming why", async () => {
    const tenant = await newTenant();
    const { row, key } = await issueApiKey({ tenantId: tenant.id }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
    expect(await verifyApiKey(`Bearer ${key}`)).toEqual({ ok: true, key: { keyId: row.id, tenantId: tenant.id, platform: false, scope: "read" } });
    expect((await callProbe(key)).status).toBe(200);

    const refusal = async (authorization: string | null) => {
      const request = new Request("http://gatehouse.test/api/v1/probe", { headers: authorization ? { authorization } : {} });
      const error = await authenticateApiKey(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiProblem);
      return error as ApiProblem;
    };
    expect((await refusal(null)).detail).toMatch(/Send an API key/);
    expect((await refusal("Bearer gh_api_nope")).detail).toMatch(/not one Gatehouse issued/);
    const typo = key.slice(0, 10) + (key[10] === "A" ? "B" : "A") + key.slice(11);
    expect((await refusal(`Bearer ${typo}`)).status).toBe(401);
    expect((await refusal(`Basic ${key}`)).detail).toMatch(/Send an API key/);

    await database.db.execute(sql`update api_keys set expires_at = now() - interval '1 second' where id = ${row.id}`);
    expect(await verifyApiKey(`Bearer ${key}`)).toEqual({ ok: false, reason: "expired" });
    const expired = await callProbe(key);
    expect(expired.status).toBe(401);
    expect(expired.headers.get("content-type")).toBe("application/problem+json");
    expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(expired.body).toMatchObject({ type: "urn:gatehouse:problem:unauthorized", status: 401, title: "Unauthorized", detail: "The API key has expired" });

    const second = await issueApiKey({ tenantId: tenant.id }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
    expect((await callProbe(second.key)).status).toBe(200);
    const revoked = await revokeApiKey({ tenantId: tenant.id }, second.row.id, actors.cli());
    expect(revoked.alreadyRevoked).toBe(false);
    expect((await callProbe(second.key)).body.detail).toBe("The API key has been revoked");
    // Revoking twice keeps the first time; another tenant cannot revoke it at all.
    expect((await revokeApiKey({ tenantId: tenant.id }, second.row.id, actors.cli())).row.revokedAt).toEqual(revoked.row.revokedAt);
    const other = await newTenant();
    await expect(revokeApiKey({ tenantId: other.id }, second.row.id, actors.cli())).rejects.toBeInstanceOf(AdminError);
    await expect(revokeApiKey({ tenantId: null, platform: true }, second.row.id, actors.cli())).rejects.toBeInstanceOf(AdminError);
  });

  it("record when they were last used", async () => {
    const tenant = await newTenant();
    const { row, key } = await issueApiKey({ tenantId: tenant.id }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
    expect((await callProbe(key)).status).toBe(200);
    await drainDeferred();
    const rows = rowsOf<{ last_used_at: unknown }>(await database.db.execute(sql`select last_used_at from api_keys where id = ${row.id}`));
    expect(rows[0].last_used_at).not.toBeNull();
  });

  it("are scoped: a read key is refused with 403 where read-write is needed", async () => {
    const tenant = await newTenant();
    const read = await issueApiKey({ tenantId: tenant.id }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
    const write = await issueApiKey({ tenantId: tenant.id }, { scope: "read-write", expiresAt: expiryInDays(30) }, actors.cli());
    const error = await authenticateApiKey(bearer(read.key), "read-write").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    expect((error as ApiProblem).status).toBe(403);
    expect((error as ApiProblem).extra.headers?.["www-authenticate"]).toContain("insufficient_scope");
    expect((await authenticateApiKey(bearer(write.key), "read-write")).scope).toBe("read-write");
    expect((await authenticateApiKey(bearer(write.key), "read")).scope).toBe("read-write");
  });

  it("of a tenant reach only that tenant; platform keys reach every existing tenant", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const keyA = (await issueApiKey({ tenantId: a.id }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli())).key;
    const platform = (await issueApiKey({ tenantId: null, platform: true }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli())).key;
    const principalA = await authenticateApiKey(bearer(keyA));
    const principalP = await authenticateApiKey(bearer(platform));
    expect(principalP).toMatchObject({ tenantId: null, platform: true });
    expect(await assertTenantAccess(principalA, a.id.toUpperCase())).toBe(a.id);
    const foreign = await assertTenantAccess(principalA, b.id).catch((e: unknown) => e as ApiProblem);
    const missing = await assertTenantAccess(principalA, crypto.randomUUID()).catch((e: unknown) => e as ApiProblem);
    expect(foreign).toMatchObject({ status: 404, detail: "No such tenant" });
    expect(missing).toMatchObject({ status: 404, detail: "No such tenant" });
    expect(await assertTenantAccess(principalP, b.id)).toBe(b.id);
    await expect(assertTenantAccess(principalP, crypto.randomUUID())).rejects.toMatchObject({ status: 404 });
    await expect(assertTenantAccess(principalP, "not-a-uuid")).rejects.toMatchObject({ status: 400 });
  });

  it("are rate limited per key with a 429 problem and Retry-After", async () => {
    const tenant = await newTenant();
    const { row, key } = await issueApiKey({ tenantId: tenant.id }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
    for (let i = 0; i < 3; i++) await enforceApiKeyRateLimit(row.id, 3);
    const error = (await enforceApiKeyRateLimit(row.id, 3).catch((e: unknown) => e)) as ApiProblem;
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error.status).toBe(429);
    const retryAfter = Number(error.extra.headers?.["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another key has its own window.
    const other = await issueApiKey({ tenantId: tenant.id }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
    await expect(enforceApiKeyRateLimit(other.row.id, 3)).resolves.toBeUndefined();
    expect((await callProbe(key)).status).toBe(200);
  });

  it("over API_RATE_LIMIT_PER_MINUTE, a route answers 429 problem+json with Retry-After", async () => {
    const tenant = await newTenant();
    const { key } = await issueApiKey({ tenantId: tenant.id }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
    process.env.API_RATE_LIMIT_PER_MINUTE = "2";
    resetEnvCache();
    try {
      // At most two per minute window: of five quick calls (one window boundary at most), one is refused.
      let last: Awaited<ReturnType<typeof callProbe>> | undefined;
      for (let i = 0; i < 5 && last?.status !== 429; i++) last = await callProbe(key);
      expect(last!.status).toBe(429);
      expect(last!.headers.get("content-type")).toBe("application/problem+json");
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(last!.body).toMatchObject({ type: "urn:gatehouse:problem:rate-limited", status: 429 });
    } finally {
      delete process.env.API_RATE_LIMIT_PER_MINUTE;
      resetEnvCache();
    }
  });

  it("answer malformed query parameters with a 400 problem naming each one, never a 5xx", async () => {
    const tenant = await newTenant();
    const { key } = await issueApiKey({ tenantId: tenant.id }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
    for (const search of ["?n=0", "?n=abc", "?unknown=1", "?n=1.5"]) {
      const res = await callProbe(key, search);
      expect(res.status, search).toBe(400);
      expect(res.body.type, search).toBe("urn:gatehouse:problem:invalid-request");
      expect(res.body.errors[0].name, search).toMatch(/^query\./);
    }
    expect((await callProbe(key, "?n=2")).body).toMatchObject({ n: 2 });
  });
});
