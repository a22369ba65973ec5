import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { Webhook } from "standardwebhooks";
import { rowsOf, setupTestDatabase } from "../harness";
import { webhookReceiver } from "../webhooks/receiver";
import { createScimTenant } from "../scim/client";
import { eventsSettled } from "../events/settled";
import { newKey, newTenant } from "./client";
import { webhooksClient } from "./webhooks-client";
import { apiKeyHint } from "@/lib/admin/api-keys";
import { MAX_ENDPOINTS_PER_TENANT } from "@/lib/admin/webhooks";
import { defineOperation } from "@/lib/api/operation";
import { apiRoute } from "@/lib/api/route";
import { findApiKey, verifyApiKey } from "@/lib/db/queries/api-keys";
import { resetEnvCache } from "@/lib/env";
import { drainWebhooks } from "@/lib/webhooks/dispatcher";

// Webhooks through /api/v1 (docs/API.md "Managing webhooks"): the console's rules, reached with
// an API key. Deliveries go to a loopback receiver, allowed as in development
// (GATEHOUSE_ALLOW_LOOPBACK_IDP=1), and are verified with the standardwebhooks package.
const database = setupTestDatabase();
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

const hook = webhookReceiver();
let base = "";

function allowLoopback(allowed: boolean) {
  vi.stubEnv("GATEHOUSE_ALLOW_LOOPBACK_IDP", allowed ? "1" : "0");
  resetEnvCache();
}

beforeAll(async () => {
  base = await hook.start();
});
afterAll(() => hook.close());
beforeEach(() => allowLoopback(true));
afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

async function drainAll() {
  await eventsSettled(database);
  for (let i = 0; i < 20; i++) {
    const r = await drainWebhooks({ budgetMs: 5_000 });
    if (r.delivered + r.failed + r.givenUp === 0) return;
  }
}

/** A tenant with a SCIM client, a read-write and a read API key, and a webhook path on the receiver. */
async function setup() {
  const { tenant, scim } = await createScimTenant();
  const writeKey = await newKey({ tenantId: tenant.id }, "read-write");
  const readKey = await newKey({ tenantId: tenant.id }, "read");
  const path = `/hook-${randomUUID()}`;
  const hooks = `/tenants/${tenant.id}/webhooks`;
  const createUser = (userName: string) => scim.post("/Users", { schemas: [USER], userName, externalId: randomUUID() });
  return { tenant, scim, writeKey, readKey, api: webhooksClient(writeKey), readApi: webhooksClient(readKey), path, hooks, createUser };
}

async function auditOf(targetId: string) {
  return rowsOf<{ action: string; actor_type: string; actor_id: string; actor_label: string; details: string | null }>(
    await database.db.execute(sql`select action, actor_type, actor_id, actor_label, details::text as details from audit_events where target_id = ${targetId} order by id`),
  );
}

describe("POST /api/v1/tenants/{tenantId}/webhooks", () => {
  it("answers 201 with the signing secret once; list and get never show it; it is stored encrypted and audited with the key as actor", async () => {
    const t = await setup();
    const created = await t.api.post(t.hooks, { url: `${base}${t.path}`, description: "Billing sync", eventTypes: ["user.created", "user.created", "user.deleted"] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(created.body).toMatchObject({ tenantId: t.tenant.id, url: `${base}${t.path}`, description: "Billing sync", eventTypes: ["user.created", "user.deleted"], enabled: true, failedAttempts: 0 });
    expect(created.body).not.toHaveProperty("secretEnc");

    const list = await t.api.get(t.hooks);
    expect(list.status).toBe(200);
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([created.body.id]);
    const one = await t.api.get(`${t.hooks}/${created.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ ...created.body, secret: undefined, updatedAt: one.body.updatedAt });
    for (const res of [list, one, await t.readApi.get(t.hooks)]) {
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(secret.slice(6));
      expect(text).not.toMatch(/secret/i);
    }

    const stored = JSON.stringify(rowsOf(await database.db.execute(sql`select * from webhook_endpoints where id = ${created.body.id}`)));
    expect(stored).not.toContain(secret.slice(6));
    const verified = await verifyApiKey(`Bearer ${t.writeKey}`);
    const keyId = verified.ok ? verified.key.keyId : "";
    const keyRow = await findApiKey({ tenantId: t.tenant.id }, keyId);
    const [audit] = await auditOf(created.body.id);
    expect(audit).toMatchObject({ action: "webhook.created", actor_type: "api_key", actor_id: keyId, actor_label: apiKeyHint(keyRow!) });
    const auditText = JSON.stringify(await auditOf(created.body.id));
    expect(auditText).not.toContain(secret.slice(6));
    expect(auditText).not.toContain(t.writeKey.slice(7, 40));
  });

  it("refuses private, link-local and (outside development) loopback URLs with a 400 naming body.url, storing nothing", async () => {
    const t = await setup();
    for (const url of ["https://10.0.0.5/hook", "https://169.254.169.254/latest", "https://[fd00::1]/x", "http://example.com/hook", "ftp://example.com", "not a url", "https://user:pw@example.com/x"]) {
      const res = await t.api.post(t.hooks, { url, eventTypes: [] });
      expect(res.status, url).toBe(400);
      expect(res.body.errors.map((e: { name: string }) => e.name), url).toEqual(["body.url"]);
    }
    allowLoopback(false);
    const loopback = await t.api.post(t.hooks, { url: `${base}${t.path}`, eventTypes: [] });
    expect(loopback.status).toBe(400);
    expect(loopback.body.errors[0]).toMatchObject({ name: "body.url", reason: expect.stringMatching(/private or loopback/) });
    expect((await t.api.get(t.hooks)).body.data).toEqual([]);
    expect(rowsOf(await database.db.execute(sql`select id from webhook_endpoints where tenant_id = ${t.tenant.id}`))).toEqual([]);
    // A change of URL follows the same rules.
    allowLoopback(true);
    const created = await t.api.post(t.hooks, { url: `${base}${t.path}`, eventTypes: [] });
    const moved = await t.api.patch(`${t.hooks}/${created.body.id}`, { url: "https://192.168.1.10/hook" });
    expect(moved.status).toBe(400);
    expect((await t.api.get(`${t.hooks}/${created.body.id}`)).body.url).toBe(`${base}${t.path}`);
  });

  it(`stops at ${MAX_ENDPOINTS_PER_TENANT} webhooks per tenant with a 409`, async () => {
    const t = await setup();
    for (let i = 0; i < MAX_ENDPOINTS_PER_TENANT; i++) expect((await t.api.post(t.hooks, { url: `${base}/many-${i}`, eventTypes: [] })).status).toBe(201);
    const refused = await t.api.post(t.hooks, { url: `${base}/one-more`, eventTypes: [] });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: "urn:gatehouse:problem:conflict", detail: expect.stringMatching(/at most 10 webhooks/) });
  });
});

describe("request bodies: malformed input is a 4xx problem, never a 5xx", () => {
  it("refuses a wrong content type (415), bad JSON, unknown or invalid fields (400 naming each) and an oversized body (413)", async () => {
    const t = await setup();
    const created = await t.api.post(t.hooks, { url: `${base}${t.path}`, eventTypes: [] });
    const one = `${t.hooks}/${created.body.id}`;
    const cases: { name: string; method?: "POST" | "PATCH"; path?: string; send: Parameters<typeof t.api.send>[2]; status: number; fields?: string[] }[] = [
      { name: "no content type", send: { raw: new TextEncoder().encode('{"url":"https://a.example.com","eventTypes":[]}'), contentType: null }, status: 415 },
      { name: "text/plain", send: { raw: '{"url":"https://a.example.com","eventTypes":[]}', contentType: "text/plain" }, status: 415 },
      { name: "form encoded", send: { raw: "url=https://a.example.com", contentType: "application/x-www-form-urlencoded" }, status: 415 },
      { name: "malformed JSON", send: { raw: '{"url": "https://a.example.com",', contentType: "application/json" }, status: 400, fields: ["body"] },
      { name: "empty body", send: { raw: "", contentType: "application/json" }, status: 400, fields: ["body"] },
      { name: "not UTF-8", send: { raw: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), contentType: "application/json" }, status: 400, fields: ["body"] },
      { name: "an array", send: { json: [] }, status: 400, fields: ["body"] },
      { name: "null", send: { raw: "null", contentType: "application/json" }, status: 400, fields: ["body"] },
      { name: "missing fields", send: { json: {} }, status: 400, fields: ["body.url", "body.eventTypes"] },
      { name: "unknown field", send: { json: { url: "https://a.example.com", eventTypes: [], secret: "whsec_mine" } }, status: 400, fields: ["body.secret"] },
      { name: "__proto__ field", send: { raw: '{"url":"https://a.example.com","eventTypes":[],"__proto__":{"admin":true}}', contentType: "application/json" }, status: 400, fields: ["body.__proto__"] },
      { name: "wrong types", send: { json: { url: 5, eventTypes: "user.created" } }, status: 400, fields: ["body.url", "body.eventTypes"] },
      { name: "unknown event type", send: { json: { url: "https://a.example.com", eventTypes: ["user.exploded"] } }, status: 400, fields: ["body.eventTypes.0"] },
      { name: "NUL in the URL", send: { json: { url: "https://a.example.com/\u0000x", eventTypes: [] } }, status: 400, fields: ["body.url"] },
      { name: "NUL in the description", send: { json: { url: "https://a.example.com", description: "a\u0000b", eventTypes: [] } }, status: 400, fields: ["body.description"] },
      { name: "long description", send: { json: { url: "https://a.example.com", description: "x".repeat(201), eventTypes: [] } }, status: 400, fields: ["body.description"] },
      { name: "over 64 kB", send: { json: { url: "https://a.example.com", description: "x".repeat(70_000), eventTypes: [] } }, status: 413 },
      { name: "over 64 kB, Content-Length understated", send: { raw: JSON.stringify({ url: "https://a.example.com", eventTypes: [], d: "x".repeat(70_000) }), contentType: "application/json", headers: { "content-length": "10" } }, status: 413 },
      { name: "PATCH enabled not a boolean", method: "PATCH", path: one, send: { json: { enabled: "yes" } }, status: 400, fields: ["body.enabled"] },
      { name: "PATCH unknown field", method: "PATCH", path: one, send: { json: { enabled: false, tenantId: randomUUID() } }, status: 400, fields: ["body.tenantId"] },
      { name: "PATCH text/plain", method: "PATCH", path: one, send: { raw: '{"enabled":false}', contentType: "text/plain" }, status: 415 },
    ];
    for (const c of cases) {
      const res = await t.api.send(c.method ?? "POST", c.path ?? t.hooks, c.send);
      expect(res.status, `${c.name}: ${JSON.stringify(res.body)}`).toBe(c.status);
      expect(res.headers.get("content-type"), c.name).toBe("application/problem+json");
      if (c.fields) expect(res.body.errors.map((e: { name: string }) => e.name), c.name).toEqual(c.fields);
    }
    // A JSON suffix type and a charset parameter are JSON too.
    const suffixed = await t.api.send("PATCH", one, { raw: '{"description":"ok"}', contentType: "application/merge-patch+json; charset=utf-8" });
    expect(suffixed.status).toBe(200);
    // Nothing of the refused requests was stored.
    expect((await t.api.get(t.hooks)).body.data).toHaveLength(1);
    expect((await t.api.get(one)).body).toMatchObject({ enabled: true, description: "ok" });
  });

  it("refuses malformed path ids with a 400 and unknown ones with a 404", async () => {
    const t = await setup();
    const created = await t.api.post(t.hooks, { url: `${base}${t.path}`, eventTypes: [] });
    expect((await t.api.get(`${t.hooks}/not-a-uuid`)).status).toBe(400);
    expect((await t.api.delete(`${t.hooks}/${randomUUID()}`)).status).toBe(404);
    expect((await t.api.patch(`${t.hooks}/${randomUUID()}`, { enabled: false })).status).toBe(404);
    for (const id of ["0", "-1", "abc", "1e3", "99999999999999999999"]) {
      const res = await t.api.post(`${t.hooks}/${created.body.id}/deliveries/${id}/retry`);
      expect(res.status, id).toBe(400);
      expect(res.body.errors[0].name).toBe("path.deliveryId");
    }
    expect((await t.api.post(`${t.hooks}/${created.body.id}/deliveries/123456789/retry`)).status).toBe(404);
  });
});

describe("scope: a read key reads webhooks but is refused every write with a 403", () => {
  it("POST, PATCH, DELETE, test and retry", async () => {
    const t = await setup();
    const created = await t.api.post(t.hooks, { url: `${base}${t.path}`, eventTypes: [] });
    const one = `${t.hooks}/${created.body.id}`;
    const writes = [
      () => t.readApi.post(t.hooks, { url: `${base}${t.path}-2`, eventTypes: [] }),
      () => t.readApi.patch(one, { enabled: false }),
      () => t.readApi.delete(one),
      () => t.readApi.post(`${one}/test`),
      () => t.readApi.post(`${one}/deliveries/1/retry`),
    ];
    for (const write of writes) {
      const res = await write();
      expect(res.status).toBe(403);
      expect(res.body.type).toBe("urn:gatehouse:problem:forbidden");
      expect(res.headers.get("www-authenticate")).toContain("insufficient_scope");
    }
    expect((await t.readApi.get(one)).body).toMatchObject({ id: created.body.id, enabled: true });
    expect((await t.readApi.get(t.hooks)).body.data).toHaveLength(1);
    expect(hook.on(t.path)).toHaveLength(0);
    expect((await auditOf(created.body.id)).map((a) => a.action)).toEqual(["webhook.created"]);
  });
});

describe("scope: any method but GET needs read-write, whatever the operation declares", () => {
  it("a read key is refused a POST declared `read`", async () => {
    const probe = defineOperation({ operationId: "probeWrite", method: "post", path: "/api/v1/probe", summary: "probe", tags: ["test"], scope: "read", body: z.strictObject({ n: z.number() }), status: 201, response: z.object({ n: z.number() }) });
    const route = apiRoute(probe, async ({ body }) => ({ n: body.n }));
    const call = async (key: string) => {
      const request = new Request("http://gatehouse.test/api/v1/probe", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: '{"n":1}' });
      const response = await route(request, { params: Promise.resolve({}) });
      return { status: response.status, body: await response.json() };
    };
    const tenant = await newTenant("scope");
    expect((await call(await newKey({ tenantId: tenant.id }, "read"))).status).toBe(403);
    expect(await call(await newKey({ tenantId: tenant.id }, "read-write"))).toEqual({ status: 201, body: { n: 1 } });
  });
});

describe("PATCH and DELETE /api/v1/tenants/{tenantId}/webhooks/{webhookId}", () => {
  it("disabling stops deliveries (events keep queueing); enabling resumes with the queued event, in order", async () => {
    const t = await setup();
    const created = await t.api.post(t.hooks, { url: `${base}${t.path}`, eventTypes: ["user.created"] });
    const one = `${t.hooks}/${created.body.id}`;
    await t.createUser("before@example.com");
    await drainAll();
    const userNames = () => hook.on(t.path).map((r) => JSON.parse(r.body).data.data.userName);
    expect(userNames()).toEqual(["before@example.com"]);

    const disabled = await t.api.patch(one, { enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ enabled: false, disabledReason: "Disabled by an administrator." });
    await t.createUser("paused@example.com");
    await drainAll();
    expect(userNames()).toEqual(["before@example.com"]);

    const enabled = await t.api.patch(one, { enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null });
    await drainAll();
    expect(userNames()).toEqual(["before@example.com", "paused@example.com"]);
    // Enabling what is enabled changes nothing and is not audited again.
    expect((await t.api.patch(one, { enabled: true })).status).toBe(200);
    const audit = await auditOf(created.body.id);
    expect(audit.map((a) => a.action)).toEqual(["webhook.created", "webhook.disabled", "webhook.enabled"]);
    expect(new Set(audit.map((a) => a.actor_type))).toEqual(new Set(["api_key"]));
  });

  it("changes URL, description and event types, keeping the secret; audits the fields changed", async () => {
    const t = await setup();
    const created = await t.api.post(t.hooks, { url: `${base}${t.path}`, description: "old", eventTypes: ["user.deleted"] });
    const one = `${t.hooks}/${created.body.id}`;
    const moved = `${t.path}-moved`;
    const changed = await t.api.patch(one, { url: `${base}${moved}`, description: null, eventTypes: [] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ url: `${base}${moved}`, description: null, eventTypes: [], enabled: true });
    expect((await t.api.get(one)).body).toEqual(changed.body);
    const [, updated] = await auditOf(created.body.id);
    expect(updated).toMatchObject({ action: "webhook.updated", actor_type: "api_key" });
    expect(JSON.parse(updated.details!)).toEqual({ fields: ["url", "description", "eventTypes"], eventTypes: "all" });
    // Every type now reaches the new URL, signed with the secret given at creation.
    await t.createUser("moved@example.com");
    await drainAll();
    const [delivery] = hook.on(moved);
    expect(delivery).toBeDefined();
    expect(new Webhook(created.body.secret).verify(delivery.body, delivery.headers as Record<string, string>)).toMatchObject({ type: "user.created" });
    expect(hook.on(t.path)).toHaveLength(0);
  });

  it("DELETE answers 204 without a body; the webhook and its log are gone, a second DELETE is a 404", async () => {
    const t = await setup();
    const created = await t.api.post(t.hooks, { url: `${base}${t.path}`, eventTypes: [] });
    const one = `${t.hooks}/${created.body.id}`;
    expect((await t.api.post(`${one}/test`)).status).toBe(200);
    const deleted = await t.api.delete(one);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
    expect((await t.api.get(one)).status).toBe(404);
    expect((await t.api.get(`${one}/deliveries`)).status).toBe(404);
    expect((await t.api.delete(one)).status).toBe(404);
    expect(rowsOf(await database.db.execute(sql`select id from webhook_deliveries where endpoint_id = ${created.body.id}`))).toEqual([]);
    expect((await auditOf(created.body.id)).map((a) => a.action)).toEqual(["webhook.created", "webhook.test_sent", "webhook.deleted"]);
  });
});

describe("test events, the delivery log and retries", () => {
  it("a test event reaches the loopback receiver signed: standardwebhooks verifies it with the secret from the create answer", async () => {
    const t = await setup();
    const created = await t.api.post(t.hooks, { url: `${base}${t.path}`, eventTypes: [] });
    const tested = await t.api.post(`${t.hooks}/${created.body.id}/test`);
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: true, responseStatus: 204, error: null, messageId: expect.stringMatching(/^msg_test_/) });
    const [received] = hook.on(t.path);
    const headers = received.headers as Record<string, string>;
    expect(headers["webhook-id"]).toBe(tested.body.messageId);
    const payload = new Webhook(created.body.secret).verify(received.body, headers) as { type: string; data: { tenantId: string; endpointId: string } };
    expect(payload).toMatchObject({ type: "webhook.test", data: { tenantId: t.tenant.id, endpointId: created.body.id } });
    expect(() => new Webhook(created.body.secret).verify(received.body.replace("test", "tset"), headers)).toThrow();

    // A receiver that refuses: the answer says so, with its status.
    hook.script(t.path, [500]);
    expect((await t.api.post(`${t.hooks}/${created.body.id}/test`)).body).toMatchObject({ ok: false, responseStatus: 500, error: "HTTP 500" });
    const log = await t.api.get(`${t.hooks}/${created.body.id}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.body.data.map((d: Record<string, unknown>) => [d.trigger, d.status, d.responseStatus, d.eventId, d.eventType])).toEqual([
      ["test", "failed", 500, null, "webhook.test"],
      ["test", "succeeded", 204, null, "webhook.test"],
    ]);
    expect(log.body.data[1]).toMatchObject({ messageId: tested.body.messageId, attempt: 1, durationMs: expect.any(Number), createdAt: expect.any(String) });
    const audit = (await auditOf(created.body.id)).filter((a) => a.action === "webhook.test_sent");
    expect(audit).toHaveLength(2);
    expect(audit[0].actor_type).toBe("api_key");
  });

  it("the delivery log is keyset-paged newest first; a cursor it did not issue is a 400", async () => {
    const t = await setup();
    const created = await t.api.post(t.hooks, { url: `${base}${t.path}`, eventTypes: [] });
    const log = `${t.hooks}/${created.body.id}/deliveries`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.unshift((await t.api.post(`${t.hooks}/${created.body.id}/test`)).body.messageId);
    const first = await t.api.get(`${log}?limit=2`);
    expect(first.body.data.map((d: { messageId: string }) => d.messageId)).toEqual(ids.slice(0, 2));
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.api.get(`${log}?limit=2&after=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.data.map((d: { messageId: string }) => d.messageId)).toEqual(ids.slice(2));
    expect(second.body.nextCursor).toBeNull();
    expect((await t.api.get(`${log}?after=bm9wZQ`)).status).toBe(400);
    expect((await t.api.get(`${log}?limit=0`)).status).toBe(400);
  });

  it("retry: a failed delivery is attempted again by the dispatcher; a test delivery is a 409, another webhook's delivery a 404", async () => {
    const t = await setup();
    const created = await t.api.post(t.hooks, { url: `${base}${t.path}`, eventTypes: [] });
    const other = await t.api.post(t.hooks, { url: `${base}${t.path}-other`, eventTypes: ["user.deleted"] });
    const one = `${t.hooks}/${created.body.id}`;
    hook.script(t.path, [500]);
    await t.createUser("retry@example.com");
    await drainAll();
    const [failed] = (await t.api.get(`${one}/deliveries`)).body.data;
    expect(failed).toMatchObject({ trigger: "dispatch", status: "failed", responseStatus: 500, eventType: "user.created", eventId: expect.any(String) });
    expect((await t.api.get(one)).body).toMatchObject({ failedAttempts: 1, nextAttemptAt: expect.any(String) });

    expect((await t.api.post(`${t.hooks}/${other.body.id}/deliveries/${failed.id}/retry`)).status).toBe(404);
    const retried = await t.api.post(`${one}/deliveries/${failed.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toEqual({ queued: true, attempt: null });
    await drainAll();
    const [latest] = (await t.api.get(`${one}/deliveries`)).body.data;
    expect(latest).toMatchObject({ status: "succeeded", responseStatus: 204, eventId: failed.eventId, attempt: 2 });

    // A delivered event sent once more, at once, out of the queue.
    const again = await t.api.post(`${one}/deliveries/${latest.id}/retry`);
    expect(again.body).toMatchObject({ queued: false, attempt: { ok: true, responseStatus: 204, messageId: `msg_${failed.eventId}` } });

    const test = await t.api.post(`${one}/test`);
    const [testDelivery] = (await t.api.get(`${one}/deliveries`)).body.data;
    expect(testDelivery.messageId).toBe(test.body.messageId);
    const refused = await t.api.post(`${one}/deliveries/${testDelivery.id}/retry`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe("This delivery cannot be retried.");
    expect((await auditOf(created.body.id)).filter((a) => a.action === "webhook.retried")).toHaveLength(2);
  });
});

describe("platform keys", () => {
  it("manage any tenant's webhooks, audited under that tenant", async () => {
    const tenant = await newTenant("hooks");
    const platform = webhooksClient(await newKey({ tenantId: null, platform: true }, "read-write"));
    const created = await platform.post(`/tenants/${tenant.id}/webhooks`, { url: `${base}/platform-${randomUUID()}`, eventTypes: [] });
    expect(created.status).toBe(201);
    const [audit] = rowsOf<{ tenant_id: string; actor_type: string }>(await database.db.execute(sql`select tenant_id, actor_type from audit_events where target_id = ${created.body.id}`));
    expect(audit).toEqual({ tenant_id: tenant.id, actor_type: "api_key" });
    expect((await platform.post(`/tenants/${randomUUID()}/webhooks`, { url: `${base}/x`, eventTypes: [] })).status).toBe(404);
  });
});
