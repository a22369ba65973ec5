import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "../scim/client";
import { actors } from "@/lib/audit";
import { issueApiKey } from "@/lib/admin/api-keys";
import { expiryInDays } from "@/lib/admin/token-lifetime";
import { env, resetEnvCache } from "@/lib/env";
import { directoryEvents, webhookDeliveries, webhookEndpoints } from "@/lib/db/schema";
import { decodeEventCursor, START_POSITION, type DirectoryEventRow } from "@/lib/db/queries/directory-events";
import { insertDelivery } from "@/lib/db/queries/webhooks";
import { getEventHorizon, pruneEventBatch } from "@/lib/db/queries/retention";
import { pruneExpired, pruneIfDue, resetPruneSchedule, retentionCutoffs } from "@/lib/events/retention";
import { cronDrain } from "@/lib/webhooks/cron";
import { GET } from "@/app/api/v1/events/route";
import { eventsSettled, settledEventsAfter } from "./settled";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

async function tenantWithUsers(n: number) {
  const t = await createScimTenant();
  for (let i = 0; i < n; i++) await t.scim.post("/Users", { schemas: [USER], userName: `user${i}@${t.tenant.slug}.example`, externalId: randomUUID() });
  return { ...t, events: await settledEventsAfter(database, t.tenant.id) };
}


/** Backdates events (by id) to `days` days ago. */
async function age(events: { id: number }[], days: number) {
  await database.db
    .update(directoryEvents)
    .set({ createdAt: sql`now() - make_interval(days => ${days})` })
    .where(inArray(directoryEvents.id, events.map((e) => e.id)));
}

async function remainingIds(tenantId: string) {
  const rows = await database.db.select({ id: directoryEvents.id }).from(directoryEvents).where(eq(directoryEvents.tenantId, tenantId)).orderBy(directoryEvents.id);
  return rows.map((r) => Number(r.id));
}

async function endpoint(tenantId: string, options: { enabled?: boolean; eventTypes?: string[]; after?: DirectoryEventRow } = {}) {
  const cursor = options.after ? decodeEventCursor(options.after.cursor)! : START_POSITION;
  const [row] = await database.db
    .insert(webhookEndpoints)
    .values({ tenantId, url: "https://hooks.example/x", secretEnc: "unused", enabled: options.enabled ?? true, eventTypes: options.eventTypes ?? [], cursorTxId: cursor.txId, cursorEventId: cursor.id })
    .returning();
  return row;
}

async function readEvents(tenantId: string, search: string) {
  const { key } = await issueApiKey({ tenantId }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
  await eventsSettled(database);
  const response = await GET(new Request(`http://gatehouse.test/api/v1/events${search}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({}) });
  return { status: response.status, type: response.headers.get("content-type"), body: await response.json() };
}

const ids = (events: { id: number }[]) => events.map((e) => Number(e.id));

describe("retention settings (lib/env.ts)", () => {
  it("default to 30 days of events (plus 7 days while an endpoint still owes them) and 30 days of deliveries; 0 days is refused", () => {
    expect(env()).toMatchObject({ EVENT_RETENTION_DAYS: 30, EVENT_RETENTION_GRACE_DAYS: 7, WEBHOOK_DELIVERY_RETENTION_DAYS: 30 });
    vi.stubEnv("EVENT_RETENTION_DAYS", "0");
    resetEnvCache();
    expect(() => env()).toThrow(/EVENT_RETENTION_DAYS/);
    vi.stubEnv("EVENT_RETENTION_DAYS", "30");
    vi.stubEnv("WEBHOOK_DELIVERY_RETENTION_DAYS", "0");
    resetEnvCache();
    expect(() => env()).toThrow(/WEBHOOK_DELIVERY_RETENTION_DAYS/);
  });
});

describe("pruning expired events and deliveries", () => {
  it("removes events older than EVENT_RETENTION_DAYS and keeps the recent ones; records the tenant's horizon at the latest removed", async () => {
    const { tenant, events } = await tenantWithUsers(4);
    await age(events.slice(0, 2), 31);
    await age(events.slice(2, 3), 29);
    const result = await pruneExpired();
    expect(result).toMatchObject({ events: 2, complete: true });
    expect(await remainingIds(tenant.id)).toEqual(ids(events.slice(2)));
    const horizon = await getEventHorizon(tenant.id);
    expect(horizon).toMatchObject(decodeEventCursor(events[1].cursor)!);
  });

  it("honours EVENT_RETENTION_DAYS as configured", async () => {
    const { tenant, events } = await tenantWithUsers(2);
    await age(events.slice(0, 1), 6);
    vi.stubEnv("EVENT_RETENTION_DAYS", "5");
    resetEnvCache();
    await pruneExpired();
    expect(await remainingIds(tenant.id)).toEqual(ids(events.slice(1)));
  });

  it("removes delivery log rows older than WEBHOOK_DELIVERY_RETENTION_DAYS, keeps recent ones; a removed event takes its deliveries along", async () => {
    const { tenant, events } = await tenantWithUsers(2);
    const hook = await endpoint(tenant.id, { enabled: false });
    const delivery = (eventId: number | null) =>
      insertDelivery({ tenantId: tenant.id, endpointId: hook.id, eventId, messageId: `msg_${eventId ?? "test"}`, eventType: "user.created", attempt: 1, trigger: "dispatch", status: "succeeded" });
    const old = await delivery(null);
    const recent = await delivery(null);
    const ofOldEvent = await delivery(events[0].id);
    const ofRecentEvent = await delivery(events[1].id);
    await database.db.update(webhookDeliveries).set({ createdAt: sql`now() - interval '31 days'` }).where(eq(webhookDeliveries.id, old.id));
    await age(events.slice(0, 1), 40);

    const result = await pruneExpired();
    expect(result.deliveries).toBe(1);
    const left = await database.db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, hook.id)).orderBy(webhookDeliveries.id);
    expect(left.map((r) => r.id)).toEqual([recent.id, ofRecentEvent.id]);
    expect(left.map((r) => r.id)).not.toContain(ofOldEvent.id);
  });

  it("works in bounded batches: one batch removes at most its limit; a spent time budget stops before any", async () => {
    const { tenant, events } = await tenantWithUsers(25);
    await age(events, 40);
    expect(await pruneEventBatch(retentionCutoffs(), 10)).toBe(10);
    expect(await remainingIds(tenant.id)).toHaveLength(15);

    expect(await pruneExpired({ budgetMs: 0 })).toEqual({ events: 0, deliveries: 0, batches: 0, complete: false });

    const result = await pruneExpired({ batchSize: 4 });
    // 15 events: 4 + 4 + 4 + 3 (short: done), then one delivery batch that finds nothing.
    expect(result).toEqual({ events: 15, deliveries: 0, batches: 5, complete: true });
    expect(await remainingIds(tenant.id)).toEqual([]);
    expect(await getEventHorizon(tenant.id)).toMatchObject(decodeEventCursor(events[24].cursor)!);
  });

  it("is idempotent: a second run removes nothing and leaves the horizon where it was", async () => {
    const { tenant, events } = await tenantWithUsers(3);
    await age(events.slice(0, 2), 40);
    await pruneExpired();
    const horizon = await getEventHorizon(tenant.id);
    expect(await pruneExpired()).toMatchObject({ events: 0, deliveries: 0, complete: true });
    expect(await getEventHorizon(tenant.id)).toEqual(horizon);
    expect(await remainingIds(tenant.id)).toEqual(ids(events.slice(2)));
  });
});

describe("an enabled webhook endpoint holds back the events it has not delivered yet, for the grace days only", () => {
  it("keeps expired events after an enabled endpoint's cursor, until retention + EVENT_RETENTION_GRACE_DAYS; a disabled endpoint holds nothing", async () => {
    const { tenant, events } = await tenantWithUsers(4);
    const hook = await endpoint(tenant.id, { after: events[0] });
    await age(events.slice(0, 1), 31); // delivered already (at the cursor): removed
    await age(events.slice(1, 2), 38); // owed, but past 30 + 7 days: removed all the same
    await age(events.slice(2, 3), 36); // owed, within the grace: kept
    await pruneExpired();
    expect(await remainingIds(tenant.id)).toEqual(ids(events.slice(2)));

    await database.db.update(webhookEndpoints).set({ enabled: false }).where(and(eq(webhookEndpoints.tenantId, tenant.id), eq(webhookEndpoints.id, hook.id)));
    await pruneExpired();
    expect(await remainingIds(tenant.id)).toEqual(ids(events.slice(3)));
  });

  it("an endpoint holds back only the types it subscribed to", async () => {
    const { tenant, events } = await tenantWithUsers(2);
    await endpoint(tenant.id, { eventTypes: ["user.deleted"] });
    await age(events, 31);
    await pruneExpired();
    expect(await remainingIds(tenant.id)).toEqual([]);
  });
});

describe("GET /api/v1/events behind the pruned horizon: 410 Gone, never a silent gap", () => {
  it("an old cursor is answered 410 with a problem naming the retention and the cursor to resume from; a current cursor and after=0 read what is kept", async () => {
    const { tenant, events } = await tenantWithUsers(4);
    await age(events.slice(0, 2), 31);
    await pruneExpired();

    for (const stale of [events[0].cursor, "1".padStart(39, "0")]) {
      const gone = await readEvents(tenant.id, `?after=${stale}`);
      expect(gone.status).toBe(410);
      expect(gone.type).toBe("application/problem+json");
      expect(gone.body).toMatchObject({ type: "urn:gatehouse:problem:gone", title: "Gone", status: 410 });
      expect(gone.body.detail).toContain("after 30 days");
      expect(gone.body.detail).toContain(`after=${events[1].cursor}`);
      expect(gone.body.resumeAfter).toBe(events[1].cursor);
    }

    const atHorizon = await readEvents(tenant.id, `?after=${events[1].cursor}`);
    expect(atHorizon.status).toBe(200);
    expect(atHorizon.body.events.map((e: { id: string }) => e.id)).toEqual(events.slice(2).map((e) => String(e.id)));
    const current = await readEvents(tenant.id, `?after=${events[3].cursor}`);
    expect(current).toMatchObject({ status: 200, body: { events: [], nextCursor: events[3].cursor } });

    for (const start of ["", "?after=0", `?after=${"0".repeat(39)}`]) {
      const fromStart = await readEvents(tenant.id, start);
      expect(fromStart.status).toBe(200);
      expect(fromStart.body.events.map((e: { id: string }) => e.id)).toEqual(events.slice(2).map((e) => String(e.id)));
    }
  });

  it("a tenant never pruned reads from any cursor as before", async () => {
    const { tenant, events } = await tenantWithUsers(2);
    const page = await readEvents(tenant.id, `?after=${events[0].cursor}`);
    expect(page.status).toBe(200);
    expect(page.body.events.map((e: { id: string }) => e.id)).toEqual([String(events[1].id)]);
  });
});

describe("who prunes", () => {
  it("the cron route prunes (at most every few minutes per instance) and reports it", async () => {
    const { tenant, events } = await tenantWithUsers(2);
    await age(events.slice(0, 1), 31);
    vi.stubEnv("CRON_SECRET", "cron-secret-for-tests-only");
    resetEnvCache();
    resetPruneSchedule();
    const call = () => cronDrain(new Request("http://gatehouse.test/api/cron/webhooks", { headers: { authorization: "Bearer cron-secret-for-tests-only" } }));
    const first = await call();
    expect(first.status).toBe(200);
    expect((await first.json()).pruned).toMatchObject({ events: 1, complete: true });
    expect(await remainingIds(tenant.id)).toEqual(ids(events.slice(1)));
    expect((await (await call()).json()).pruned).toBeUndefined();
    expect(await pruneIfDue()).toBeUndefined();
  });
});
