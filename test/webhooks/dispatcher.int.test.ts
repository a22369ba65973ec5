import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { rowsOf, setupTestDatabase } from "../harness";
import { webhookReceiver } from "./receiver";
import { createScimTenant } from "../scim/client";
import { actors } from "@/lib/audit";
import { resetEnvCache } from "@/lib/env";
import { createWebhook, createWebhookSchema, retryDelivery, sendTestEvent, setWebhookEnabled } from "@/lib/admin/webhooks";
import { drainWebhooks } from "@/lib/webhooks/dispatcher";
import { listWebhookDeliveries, getWebhookEndpoint } from "@/lib/db/queries/webhooks";
import { cronDrain } from "@/lib/webhooks/cron";
import { eventsSettled } from "../events/settled";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const actor = actors.cli();

const hook = webhookReceiver();
let base = "";

function setEnv(values: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(values)) vi.stubEnv(k, v as string);
  resetEnvCache();
}

beforeAll(async () => {
  base = await hook.start();
});
afterAll(() => hook.close());
afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

async function tenantWithWebhook(path: string, eventTypes: string[] = []) {
  setEnv({ GATEHOUSE_ALLOW_LOOPBACK_IDP: "1" });
  const t = await createScimTenant();
  const input = createWebhookSchema.parse({ tenantId: t.tenant.id, url: `${base}${path}`, eventTypes });
  const { endpoint, secret } = await createWebhook(input, actor);
  const createUser = (userName: string) => t.scim.post("/Users", { schemas: [USER], userName, externalId: randomUUID() });
  return { ...t, endpoint, secret, createUser };
}

const typesOn = (path: string) => hook.on(path).map((r) => `${JSON.parse(r.body).type} ${JSON.parse(r.body).data.data.userName ?? ""}`.trim());

/** Drains until nothing is due (retry delays of 0 s under test). */
async function drainAll(times = 20) {
  await eventsSettled(database);
  for (let i = 0; i < times; i++) {
    const r = await drainWebhooks({ budgetMs: 5_000 });
    if (r.endpoints === 0) return;
  }
}

describe("webhook deliveries (Standard Webhooks)", () => {
  it("a SCIM create reaches the endpoint signed: the standardwebhooks verifier accepts it, a tampered body is refused", async () => {
    const t = await tenantWithWebhook(`/signed-${randomUUID()}`);
    expect(t.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const created = await t.createUser("ada@example.com");
    await drainAll();
    const [delivery] = hook.on(new URL(`${base}${t.endpoint.url.slice(base.length)}`).pathname);
    expect(delivery).toBeDefined();
    const headers = { "webhook-id": String(delivery.headers["webhook-id"]), "webhook-timestamp": String(delivery.headers["webhook-timestamp"]), "webhook-signature": String(delivery.headers["webhook-signature"]) };
    const payload = new Webhook(t.secret).verify(delivery.body, headers) as { type: string; data: { resourceId: string; data: Record<string, unknown> } };
    expect(payload.type).toBe("user.created");
    expect(payload.data.resourceId).toBe(created.body.id);
    expect(headers["webhook-id"]).toMatch(/^msg_\d+$/);
    expect(() => new Webhook(t.secret).verify(delivery.body.replace("ada@", "eve@"), headers)).toThrow();
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 1).toString("base64")}`).verify(delivery.body, headers)).toThrow();
    // The secret is stored encrypted and appears in no audit row.
    const stored = JSON.stringify(rowsOf(await database.db.execute(sql`select * from webhook_endpoints where id = ${t.endpoint.id}`)));
    const audit = JSON.stringify(rowsOf(await database.db.execute(sql`select * from audit_events where target_id = ${t.endpoint.id}`)));
    expect(stored).not.toContain(t.secret.slice(6));
    expect(audit).not.toContain(t.secret.slice(6));
    expect(audit).toContain("webhook.created");
  });

  it("a receiver failing 3 times then succeeding gets the event once per attempt, with one webhook-id, and the next event only after it", async () => {
    setEnv({ GATEHOUSE_TEST_WEBHOOK_RETRY_SECONDS: "0,0,0,0,0" });
    const path = `/flaky-${randomUUID()}`;
    const t = await tenantWithWebhook(path);
    setEnv({ GATEHOUSE_TEST_WEBHOOK_RETRY_SECONDS: "0,0,0,0,0" });
    hook.script(path, [500, 503, 429]);
    await t.createUser("first@example.com");
    await t.createUser("second@example.com");
    await drainAll();
    expect(typesOn(path)).toEqual([
      "user.created first@example.com",
      "user.created first@example.com",
      "user.created first@example.com",
      "user.created first@example.com",
      "user.created second@example.com",
    ]);
    const ids = hook.on(path).map((r) => r.headers["webhook-id"]);
    expect(new Set(ids.slice(0, 4)).size).toBe(1);
    expect(ids[4]).not.toBe(ids[0]);
    const log = (await listWebhookDeliveries(t.tenant.id, t.endpoint.id)).reverse();
    expect(log.map((d) => [d.attempt, d.status, d.responseStatus])).toEqual([
      [1, "failed", 500],
      [2, "failed", 503],
      [3, "failed", 429],
      [4, "succeeded", 204],
      [1, "succeeded", 204],
    ]);
  });

  it("backs off on the real schedule: after a failure the next attempt waits (5 s first), and nothing later overtakes it", async () => {
    const path = `/down-${randomUUID()}`;
    const t = await tenantWithWebhook(path);
    hook.script(path, [500, 500]);
    await t.createUser("one@example.com");
    await t.createUser("two@example.com");
    const before = Date.now();
    await drainAll();
    expect(typesOn(path)).toEqual(["user.created one@example.com"]);
    const endpoint = await getWebhookEndpoint(t.tenant.id, t.endpoint.id);
    expect(endpoint!.failedAttempts).toBe(1);
    const wait = endpoint!.nextAttemptAt.getTime() - before;
    expect(wait).toBeGreaterThanOrEqual(4_000);
    expect(wait).toBeLessThan(60_000);
  });

  it("gives an event up after the schedule, disables the endpoint with a reason, and resumes with the next event when enabled", async () => {
    setEnv({ GATEHOUSE_TEST_WEBHOOK_RETRY_SECONDS: "0,0" });
    const path = `/dead-${randomUUID()}`;
    const t = await tenantWithWebhook(path);
    setEnv({ GATEHOUSE_TEST_WEBHOOK_RETRY_SECONDS: "0,0" });
    hook.script(path, [500, 500, 500]);
    await t.createUser("lost@example.com");
    await t.createUser("next@example.com");
    await drainAll();
    expect(typesOn(path)).toEqual(Array(3).fill("user.created lost@example.com"));
    const disabled = await getWebhookEndpoint(t.tenant.id, t.endpoint.id);
    expect(disabled!.enabled).toBe(false);
    expect(disabled!.disabledReason).toMatch(/Disabled after 3 failed attempts/);
    const [last] = await listWebhookDeliveries(t.tenant.id, t.endpoint.id);
    expect(last.status).toBe("given_up");

    await setWebhookEnabled({ tenantId: t.tenant.id, endpointId: t.endpoint.id, enabled: true }, actor);
    await drainAll();
    expect(typesOn(path).slice(3)).toEqual(["user.created next@example.com"]);
    // Retry of the given-up delivery sends that event once more, at once.
    const givenUp = (await listWebhookDeliveries(t.tenant.id, t.endpoint.id)).find((d) => d.status === "given_up")!;
    const retried = await retryDelivery({ tenantId: t.tenant.id, deliveryId: givenUp.id }, actor);
    expect(retried.queued).toBe(false);
    expect(typesOn(path).slice(4)).toEqual(["user.created lost@example.com"]);
  });

  it("event types narrow what an endpoint gets; a test event is signed and logged", async () => {
    const path = `/narrow-${randomUUID()}`;
    const t = await tenantWithWebhook(path, ["user.deleted"]);
    const u = await t.createUser("gone@example.com");
    await t.scim.delete(`/Users/${u.body.id}`);
    await drainAll();
    expect(typesOn(path)).toEqual(["user.deleted gone@example.com"]);
    const outcome = await sendTestEvent(t.tenant.id, t.endpoint.id, actor);
    expect(outcome).toMatchObject({ ok: true, status: 204 });
    const test = hook.on(path).at(-1)!;
    const verified = new Webhook(t.secret).verify(test.body, test.headers as Record<string, string>) as { type: string };
    expect(verified.type).toBe("webhook.test");
    const [logged] = await listWebhookDeliveries(t.tenant.id, t.endpoint.id);
    expect(logged).toMatchObject({ trigger: "test", status: "succeeded", responseStatus: 204 });
  });

  it("delivery targets follow the identity-provider URL rules: private addresses refused when saved, loopback refused when not allowed", async () => {
    for (const url of ["https://10.0.0.5/hook", "https://169.254.169.254/latest", "http://example.com/hook", "ftp://example.com", "not a url"]) {
      expect(createWebhookSchema.safeParse({ tenantId: randomUUID(), url }).success, url).toBe(false);
    }
    setEnv({ GATEHOUSE_ALLOW_LOOPBACK_IDP: "0" });
    expect(createWebhookSchema.safeParse({ tenantId: randomUUID(), url: `${base}/x` }).success).toBe(false);
    const path = `/guarded-${randomUUID()}`;
    const t = await tenantWithWebhook(path);
    setEnv({ GATEHOUSE_ALLOW_LOOPBACK_IDP: "0" });
    await t.createUser("blocked@example.com");
    await drainAll();
    expect(hook.on(path)).toHaveLength(0);
    const [attempt] = await listWebhookDeliveries(t.tenant.id, t.endpoint.id);
    expect(attempt).toMatchObject({ status: "failed", responseStatus: null });
  });

  it("two dispatchers draining at once deliver each event to each endpoint exactly once, in order (SKIP LOCKED claims)", async () => {
    hook.slow(30);
    try {
      const tenants = await Promise.all(Array.from({ length: 4 }, (_, i) => tenantWithWebhook(`/pair-${i}-${randomUUID()}`)));
      for (const t of tenants) for (let i = 0; i < 3; i++) await t.createUser(`p${i}@example.com`);
      await eventsSettled(database);
      const [a, b] = await Promise.all([drainWebhooks({ budgetMs: 20_000 }), drainWebhooks({ budgetMs: 20_000 })]);
      await drainAll();
      for (const t of tenants) {
        const path = new URL(t.endpoint.url).pathname;
        expect(typesOn(path)).toEqual(["user.created p0@example.com", "user.created p1@example.com", "user.created p2@example.com"]);
      }
      expect(a.delivered + b.delivered).toBe(12);
      if (database.driver !== "pglite") {
        // On PostgreSQL both dispatchers got work: neither waited on the other's locked rows.
        expect(a.endpoints).toBeGreaterThan(0);
        expect(b.endpoints).toBeGreaterThan(0);
      }
    } finally {
      hook.slow(0);
    }
  });

  it("the cron route: 404 without CRON_SECRET, 401 with a wrong bearer, drains with the right one", async () => {
    const path = `/cron-${randomUUID()}`;
    const t = await tenantWithWebhook(path);
    await t.createUser("cron@example.com");
    // The feed shows the event once every older transaction on the server has ended (other suites run beside this one).
    await eventsSettled(database);
    const call = (auth?: string) => cronDrain(new Request("http://gatehouse.test/api/cron/webhooks", { headers: auth ? { authorization: auth } : {} }));
    setEnv({ GATEHOUSE_ALLOW_LOOPBACK_IDP: "1", CRON_SECRET: undefined });
    expect((await call("Bearer x")).status).toBe(404);
    setEnv({ GATEHOUSE_ALLOW_LOOPBACK_IDP: "1", CRON_SECRET: "cron-secret-for-tests-only" });
    expect((await call("Bearer wrong")).status).toBe(401);
    expect((await call()).status).toBe(401);
    const ok = await call("Bearer cron-secret-for-tests-only");
    expect(ok.status).toBe(200);
    expect((await ok.json()).delivered).toBeGreaterThanOrEqual(1);
    expect(typesOn(path)).toEqual(["user.created cron@example.com"]);
  });
});
