import "server-only";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { page } from "../keyset";
import { directoryEvents, webhookDeliveries, webhookEndpoints, type WebhookEndpoint } from "../schema";
import { after, currentPosition, eventRow, settled, type EventPosition } from "./directory-events";

export type EndpointInput = { url: string; description: string | null; eventTypes: string[]; secretEnc: string };

/** A new endpoint starts at the present: it gets the events written from now on, not the tenant's history. */
export async function insertWebhookEndpoint(tenantId: string, input: EndpointInput) {
  const db = await getDb();
  const start = await currentPosition(db);
  const [row] = await db
    .insert(webhookEndpoints)
    .values({ tenantId, ...input, cursorTxId: start.txId, cursorEventId: start.id })
    .returning();
  return row;
}

export async function listWebhookEndpoints(tenantId: string) {
  const db = await getDb();
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId)).orderBy(webhookEndpoints.createdAt).limit(100);
}

export async function getWebhookEndpoint(tenantId: string, endpointId: string) {
  const db = await getDb();
  const [row] = await db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, endpointId))).limit(1);
  return row;
}

export async function deleteWebhookEndpoint(tenantId: string, endpointId: string) {
  const db = await getDb();
  const rows = await db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, endpointId))).returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
  return rows[0];
}

export type EndpointChange = Partial<Pick<EndpointInput, "url" | "description" | "eventTypes">>;

/** A new URL, description or event types; the endpoint keeps its place in the feed and its secret. */
export async function updateWebhookEndpoint(tenantId: string, endpointId: string, change: EndpointChange) {
  const db = await getDb();
  const [row] = await db
    .update(webhookEndpoints)
    .set({ ...change, updatedAt: new Date() })
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, endpointId)))
    .returning();
  return row;
}

/** Enabling again resumes where the endpoint stopped, at once; disabling keeps its place. */
export async function setWebhookEndpointEnabled(tenantId: string, endpointId: string, enabled: boolean, reason: string | null = null) {
  const db = await getDb();
  const [row] = await db
    .update(webhookEndpoints)
    .set(
      enabled
        ? { enabled, disabledReason: null, disabledAt: null, failedAttempts: 0, nextAttemptAt: sql`now()`, updatedAt: new Date() }
        : { enabled, disabledReason: reason, disabledAt: sql`now()`, updatedAt: new Date() },
    )
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, endpointId)))
    .returning();
  return row;
}

/** Attempts are due again now (the console's Retry of the delivery at the head of the queue). */
export async function retryWebhookEndpointNow(tenantId: string, endpointId: string) {
  const db = await getDb();
  const rows = await db
    .update(webhookEndpoints)
    .set({ nextAttemptAt: sql`now()`, updatedAt: new Date() })
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.enabled, true)))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

/**
 * Claims one due endpoint for `leaseSeconds`: `FOR UPDATE SKIP LOCKED` lets dispatchers on
 * several instances claim different endpoints at once without waiting on each other; the
 * lease (not a long transaction) holds the claim while the HTTP request runs, and a crashed
 * dispatcher's lease simply lapses. `skip`: endpoints this pass already handled.
 */
export async function claimDueEndpoint(leaseToken: string, leaseSeconds: number, skip: string[], db?: Db): Promise<WebhookEndpoint | undefined> {
  const handle = db ?? (await getDb());
  const due = handle
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.enabled, true),
        sql`${webhookEndpoints.nextAttemptAt} <= now()`,
        or(sql`${webhookEndpoints.leaseUntil} is null`, lt(webhookEndpoints.leaseUntil, sql`now()`)),
        skip.length ? sql`${webhookEndpoints.id} <> all(${sql.param(skip)}::uuid[])` : undefined,
      ),
    )
    .orderBy(webhookEndpoints.nextAttemptAt)
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await handle
    .update(webhookEndpoints)
    .set({ leaseToken, leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})` })
    .where(sql`${webhookEndpoints.id} = (${due})`)
    .returning();
  return row;
}

/** The next settled event this endpoint has not had, among the types it asked for. */
export async function nextEventFor(endpoint: Pick<WebhookEndpoint, "tenantId" | "cursorTxId" | "cursorEventId" | "eventTypes">) {
  const db = await getDb();
  const position: EventPosition = { txId: String(endpoint.cursorTxId), id: Number(endpoint.cursorEventId) };
  const [row] = await db
    .select({
      id: directoryEvents.id,
      txId: directoryEvents.txId,
      type: directoryEvents.type,
      resourceType: directoryEvents.resourceType,
      resourceId: directoryEvents.resourceId,
      payload: directoryEvents.payload,
      createdAt: directoryEvents.createdAt,
    })
    .from(directoryEvents)
    .where(
      and(
        eq(directoryEvents.tenantId, endpoint.tenantId),
        after(position),
        settled,
        endpoint.eventTypes.length ? sql`${directoryEvents.type} = any(${sql.param(endpoint.eventTypes)}::text[])` : undefined,
      ),
    )
    .orderBy(directoryEvents.txId, directoryEvents.id)
    .limit(1);
  return row ? { ...eventRow(row), txId: String(row.txId) } : undefined;
}

export type DeliveryRecord = typeof webhookDeliveries.$inferInsert;

/**
 * Records an attempt and moves the endpoint on, only while `leaseToken` still holds the claim
 * (a dispatcher whose lease lapsed mid-request logs its attempt but leaves the endpoint to
 * whoever took over). Returns whether the endpoint was updated.
 */
export async function recordAttempt(
  leaseToken: string,
  endpointId: string,
  delivery: DeliveryRecord,
  change: Partial<Pick<WebhookEndpoint, "cursorTxId" | "cursorEventId" | "failedAttempts" | "enabled" | "disabledReason">> & { nextAttemptAt: Date; succeeded: boolean; keepLease?: boolean },
) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.insert(webhookDeliveries).values(delivery);
    const { nextAttemptAt, succeeded, keepLease, ...rest } = change;
    const updated = await tx
      .update(webhookEndpoints)
      .set({
        ...rest,
        nextAttemptAt,
        ...(succeeded ? { lastSuccessAt: sql`now()` } : {}),
        ...(rest.enabled === false ? { disabledAt: sql`now()` } : {}),
        ...(keepLease ? {} : { leaseToken: null, leaseUntil: null }),
        updatedAt: new Date(),
      })
      .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.leaseToken, leaseToken)))
      .returning({ id: webhookEndpoints.id });
    return updated.length > 0;
  });
}

export async function releaseEndpoint(leaseToken: string, endpointId: string) {
  const db = await getDb();
  await db
    .update(webhookEndpoints)
    .set({ leaseToken: null, leaseUntil: null })
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.leaseToken, leaseToken)));
}

/** A delivery outside the queue (a test event, a manual redelivery): logged, the endpoint's place unchanged. */
export async function insertDelivery(delivery: DeliveryRecord) {
  const db = await getDb();
  const [row] = await db.insert(webhookDeliveries).values(delivery).returning();
  return row;
}

export async function listWebhookDeliveries(tenantId: string, endpointId: string, limit = 50) {
  const db = await getDb();
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.endpointId, endpointId)))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
}

/** The delivery log newest first, keyset-paged on (created_at, id) along webhook_deliveries_endpoint_idx. */
export async function listWebhookDeliveriesPage(tenantId: string, endpointId: string, options: { after: readonly [string, number] | null; limit: number }) {
  const db = await getDb();
  const rows = await db
    .select({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      messageId: webhookDeliveries.messageId,
      eventType: webhookDeliveries.eventType,
      attempt: webhookDeliveries.attempt,
      trigger: webhookDeliveries.trigger,
      status: webhookDeliveries.status,
      responseStatus: webhookDeliveries.responseStatus,
      error: webhookDeliveries.error,
      durationMs: webhookDeliveries.durationMs,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      createdAt: webhookDeliveries.createdAt,
      cursorKey: sql<string>`${webhookDeliveries.createdAt}::text`,
    })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.tenantId, tenantId),
        eq(webhookDeliveries.endpointId, endpointId),
        options.after ? sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (${options.after[0]}::timestamptz, ${options.after[1]}::bigint)` : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(options.limit + 1);
  return page(rows, options.limit, (row) => [row.cursorKey, row.id]);
}

export async function getWebhookDelivery(tenantId: string, deliveryId: number) {
  const db = await getDb();
  const [row] = await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, deliveryId))).limit(1);
  return row;
}

export async function getDirectoryEvent(tenantId: string, eventId: number) {
  const db = await getDb();
  const [row] = await db
    .select({
      id: directoryEvents.id,
      txId: directoryEvents.txId,
      type: directoryEvents.type,
      resourceType: directoryEvents.resourceType,
      resourceId: directoryEvents.resourceId,
      payload: directoryEvents.payload,
      createdAt: directoryEvents.createdAt,
    })
    .from(directoryEvents)
    .where(and(eq(directoryEvents.tenantId, tenantId), eq(directoryEvents.id, eventId)))
    .limit(1);
  return row ? eventRow(row) : undefined;
}
