import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "../scim/client";
import { actors } from "@/lib/audit";
import { issueApiKey } from "@/lib/admin/api-keys";
import { expiryInDays } from "@/lib/admin/token-lifetime";
import { GET } from "@/app/api/v1/events/route";
import { eventsSettled } from "../events/settled";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

async function events(key: string, search = "") {
  await eventsSettled(database);
  const response = await GET(new Request(`http://gatehouse.test/api/v1/events${search}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({}) });
  return { status: response.status, type: response.headers.get("content-type"), body: await response.json() };
}

async function tenantWithUsers(n: number) {
  const t = await createScimTenant();
  for (let i = 0; i < n; i++) await t.scim.post("/Users", { schemas: [USER], userName: `user${i}@${t.tenant.slug}.example`, externalId: randomUUID() });
  const { key } = await issueApiKey({ tenantId: t.tenant.id }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
  return { ...t, key };
}

describe("GET /api/v1/events", () => {
  it("pages a tenant's events with after=nextCursor: every event once, in order, then an empty page that keeps the cursor", async () => {
    const { tenant, key } = await tenantWithUsers(7);
    const seen: string[] = [];
    let cursor = "0";
    for (let i = 0; i < 10; i++) {
      const page = await events(key, `?after=${cursor}&limit=3`);
      expect(page.status).toBe(200);
      if (page.body.events.length === 0) {
        expect(page.body.nextCursor).toBe(cursor.padStart(39, "0"));
        break;
      }
      for (const event of page.body.events) {
        expect(event).toMatchObject({ type: "user.created", tenantId: tenant.id, resourceType: "user" });
        expect(event.data.id).toBe(event.resourceId);
        seen.push(event.data.userName);
      }
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `user${i}@${tenant.slug}.example`));
  });

  it("a tenant key reads only its own tenant: another tenant's id is a 404 like an unknown one", async () => {
    const a = await tenantWithUsers(1);
    const b = await tenantWithUsers(2);
    const own = await events(a.key);
    expect(own.body.events.map((e: { tenantId: string }) => e.tenantId)).toEqual([a.tenant.id]);
    const other = await events(a.key, `?tenantId=${b.tenant.id}`);
    const unknown = await events(a.key, `?tenantId=${randomUUID()}`);
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(other.body.detail).toBe(unknown.body.detail);
    expect(JSON.stringify(other.body)).not.toContain("user0@");
  });

  it("a platform key names the tenant; without tenantId it is a 400 problem", async () => {
    const t = await tenantWithUsers(2);
    const { key } = await issueApiKey({ tenantId: null, platform: true }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
    const missing = await events(key);
    expect(missing.status).toBe(400);
    expect(missing.type).toContain("application/problem+json");
    const named = await events(key, `?tenantId=${t.tenant.id}`);
    expect(named.body.events).toHaveLength(2);
  });

  it("refuses a malformed cursor, an unknown type, a bad limit and unknown parameters with 400, never a 5xx", async () => {
    const { key } = await tenantWithUsers(1);
    for (const search of ["?after=abc", "?after=99999999999999999999999999999999999999999999", "?types=user.exploded", "?limit=0", "?limit=501", "?limit=x", "?since=1"]) {
      const response = await events(key, search);
      expect(response.status, search).toBe(400);
      expect(response.type).toContain("application/problem+json");
    }
    expect((await events(key, "?types=user.created,user.deleted")).body.events).toHaveLength(1);
    expect((await events(key, "?types=group.created")).body.events).toHaveLength(0);
  });

  it("answers 401 without a valid key", async () => {
    expect((await events("gh_api_nope")).status).toBe(401);
  });
});
