import "server-only";
import { z } from "zod";
import { actors, type Actor } from "../audit";
import { apiKeyHint, ownerOf } from "../admin/api-keys";
import { AdminError } from "../admin/errors";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  MAX_ENDPOINTS_PER_TENANT,
  retryDelivery,
  sendTestEvent,
  setWebhookEnabled,
  updateWebhook,
  webhookDescriptionSchema,
  webhookEventTypesSchema,
  webhookUrlSchema,
  WebhookNotFound,
  type PublicWebhookEndpoint,
} from "../admin/webhooks";
import { findApiKey } from "../db/queries/api-keys";
import { listWebhookDeliveriesPage } from "../db/queries/webhooks";
import { assertTenantAccess, type ApiKeyPrincipal } from "./auth";
import { defineOperation } from "./operation";
import { createdSerialCursor, pageOf, pageQuery } from "./paging";
import { ApiProblem } from "./problem";
import { apiRoute } from "./route";
import { uuidParam } from "./schemas";

// A tenant's webhook endpoints through the API, with the console's rules (lib/admin/webhooks.ts):
// the same URL checks, the signing secret in the create answer only, the same audit events,
// the API key as their actor. The tenant id in the path is checked against the key before any
// query, and every query takes it first.

const timestamp = z.iso.datetime({ offset: true }).meta({ description: "RFC 3339 timestamp" });

export const webhookSchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()).meta({ description: "The event types delivered; empty: every type" }),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().meta({ description: "Why deliveries are paused (disabled by a request, or given up after the retry schedule)" }),
    disabledAt: timestamp.nullable(),
    failedAttempts: z.number().int().meta({ description: "Failed attempts of the event at the head of the queue (0: not retrying)" }),
    nextAttemptAt: timestamp.nullable().meta({ description: "When the failing event is attempted again; null when not retrying" }),
    lastSuccessAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Webhook", description: "A webhook endpoint; its signing secret is never part of it" });

export const createdWebhookSchema = webhookSchema
  .extend({ secret: z.string().meta({ description: "The Standard Webhooks signing secret (`whsec_…`): in this answer only, never again" }) })
  .meta({ id: "CreatedWebhook" });

export const webhookListSchema = z
  .object({ data: z.array(webhookSchema).meta({ description: `Oldest first; a tenant has at most ${MAX_ENDPOINTS_PER_TENANT}` }) })
  .meta({ id: "WebhookList" });

export const deliverySchema = z
  .object({
    id: z.string().meta({ description: "The delivery's id, for .../deliveries/{deliveryId}/retry" }),
    eventId: z.string().nullable().meta({ description: "The event's id (as /api/v1/events shows it); null for a test event" }),
    messageId: z.string().meta({ description: "The `webhook-id` header sent: the same on every attempt of one event" }),
    eventType: z.string(),
    attempt: z.number().int(),
    trigger: z.enum(["dispatch", "retry", "test"]).meta({ description: "The dispatcher's queue, a retry asked for, or a test event" }),
    status: z.enum(["succeeded", "failed", "given_up"]),
    responseStatus: z.number().int().nullable().meta({ description: "The receiver's HTTP status; null without a response" }),
    error: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    nextAttemptAt: timestamp.nullable(),
    createdAt: timestamp.meta({ description: "When the attempt was made" }),
  })
  .meta({ id: "WebhookDelivery" });

export const attemptSchema = z
  .object({
    ok: z.boolean().meta({ description: "The receiver answered 2xx" }),
    responseStatus: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int(),
    messageId: z.string().meta({ description: "The `webhook-id` header sent" }),
  })
  .meta({ id: "WebhookAttempt" });

export const retrySchema = z
  .object({
    queued: z.boolean().meta({ description: "true: the event at the head of the queue is attempted again now, by the dispatcher; false: a given-up event was sent once more, `attempt` says how it went" }),
    attempt: attemptSchema.nullable(),
  })
  .meta({ id: "WebhookRetry" });

const tenantParams = z.object({ tenantId: uuidParam("The tenant's id") });
const webhookParams = tenantParams.extend({ webhookId: uuidParam("The webhook's id") });

const url = webhookUrlSchema.meta({
  description: "https to a public host (private, link-local and loopback addresses are refused; loopback only where the server allows it for development)",
  example: "https://app.example.com/webhooks/gatehouse",
});
const eventTypes = webhookEventTypesSchema.meta({ description: "The event types to deliver (see /api/v1/events); empty: every type" });

const TAGS = ["Webhooks"];
const NOT_FOUND = "No such tenant (or one this key may not read) or webhook";

export const listWebhooksOperation = defineOperation({
  operationId: "listWebhooks",
  method: "get",
  path: "/api/v1/tenants/{tenantId}/webhooks",
  summary: "List a tenant's webhooks",
  tags: TAGS,
  scope: "read",
  params: tenantParams,
  response: webhookListSchema,
  notFound: "No such tenant (or one this key may not read)",
});

export const createWebhookOperation = defineOperation({
  operationId: "createWebhook",
  method: "post",
  path: "/api/v1/tenants/{tenantId}/webhooks",
  summary: "Add a webhook",
  description:
    "The answer carries the signing secret, once: store it, it is never shown again. The endpoint gets the events written from now on, of the types chosen.",
  tags: TAGS,
  scope: "read-write",
  params: tenantParams,
  body: z.strictObject({ url, description: webhookDescriptionSchema.optional().meta({ description: "Up to 200 characters" }), eventTypes }),
  status: 201,
  response: createdWebhookSchema,
  notFound: "No such tenant (or one this key may not read)",
  conflict: `The tenant already has ${MAX_ENDPOINTS_PER_TENANT} webhooks`,
});

export const getWebhookOperation = defineOperation({
  operationId: "getWebhook",
  method: "get",
  path: "/api/v1/tenants/{tenantId}/webhooks/{webhookId}",
  summary: "One webhook",
  tags: TAGS,
  scope: "read",
  params: webhookParams,
  response: webhookSchema,
  notFound: NOT_FOUND,
});

export const updateWebhookOperation = defineOperation({
  operationId: "updateWebhook",
  method: "patch",
  path: "/api/v1/tenants/{tenantId}/webhooks/{webhookId}",
  summary: "Change a webhook, or disable and enable it",
  description:
    "Only the fields sent change. `enabled: false` pauses deliveries (events keep queueing); `enabled: true` resumes at once with the next event, in order, and clears the failure count. A new URL or event types keep the endpoint's place in the feed and its secret.",
  tags: TAGS,
  scope: "read-write",
  params: webhookParams,
  body: z.strictObject({
    url: url.optional(),
    description: webhookDescriptionSchema.nullable().optional().meta({ description: "null or an empty string clears it" }),
    eventTypes: eventTypes.optional(),
    enabled: z.boolean().optional(),
  }),
  response: webhookSchema,
  notFound: NOT_FOUND,
});

export const deleteWebhookOperation = defineOperation({
  operationId: "deleteWebhook",
  method: "delete",
  path: "/api/v1/tenants/{tenantId}/webhooks/{webhookId}",
  summary: "Delete a webhook and its delivery log",
  tags: TAGS,
  scope: "read-write",
  params: webhookParams,
  status: 204,
  response: z.undefined(),
  notFound: NOT_FOUND,
});

export const listWebhookDeliveriesOperation = defineOperation({
  operationId: "listWebhookDeliveries",
  method: "get",
  path: "/api/v1/tenants/{tenantId}/webhooks/{webhookId}/deliveries",
  summary: "A webhook's delivery log",
  description: "Every attempt, newest first, keyset-paged: when, which event, the receiver's status, how long it took, and why it failed.",
  tags: TAGS,
  scope: "read",
  params: webhookParams,
  query: z.strictObject(pageQuery),
  response: pageOf(deliverySchema, "WebhookDeliveryPage"),
  notFound: NOT_FOUND,
});

export const testWebhookOperation = defineOperation({
  operationId: "testWebhook",
  method: "post",
  path: "/api/v1/tenants/{tenantId}/webhooks/{webhookId}/test",
  summary: "Send a signed test event now",
  description: "A `webhook.test` message, signed like every delivery, sent at once outside the queue and logged; the answer says how the receiver answered.",
  tags: TAGS,
  scope: "read-write",
  params: webhookParams,
  response: attemptSchema,
  notFound: NOT_FOUND,
});

export const retryWebhookDeliveryOperation = defineOperation({
  operationId: "retryWebhookDelivery",
  method: "post",
  path: "/api/v1/tenants/{tenantId}/webhooks/{webhookId}/deliveries/{deliveryId}/retry",
  summary: "Retry a delivery",
  description:
    "A failed delivery (the event at the head of the queue) is attempted again now by the dispatcher, order kept; a given-up or delivered event is sent once more at once.",
  tags: TAGS,
  scope: "read-write",
  params: webhookParams.extend({
    deliveryId: z
      .string()
      .regex(/^[1-9][0-9]{0,14}$/, "Must be a delivery id (a positive integer)")
      .transform(Number)
      .meta({ description: "The delivery's id", example: "42" }),
  }),
  response: retrySchema,
  notFound: "No such tenant (or one this key may not read), webhook, or delivery of it",
  conflict: "A test event cannot be retried, or the webhook is disabled (enable it: its queue resumes with this event)",
});

export const webhookOperations = [
  listWebhooksOperation,
  createWebhookOperation,
  getWebhookOperation,
  updateWebhookOperation,
  deleteWebhookOperation,
  listWebhookDeliveriesOperation,
  testWebhookOperation,
  retryWebhookDeliveryOperation,
] as const;

const iso = (value: Date | null) => value?.toISOString() ?? null;

function webhookBody(endpoint: PublicWebhookEndpoint): z.input<typeof webhookSchema> {
  return {
    id: endpoint.id,
    tenantId: endpoint.tenantId,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    disabledAt: iso(endpoint.disabledAt),
    failedAttempts: endpoint.failedAttempts,
    nextAttemptAt: endpoint.failedAttempts > 0 ? endpoint.nextAttemptAt.toISOString() : null,
    lastSuccessAt: iso(endpoint.lastSuccessAt),
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

const attemptBody = (outcome: { ok: boolean; status: number | null; error: string | null; durationMs: number; messageId: string }) => ({
  ok: outcome.ok,
  responseStatus: outcome.status,
  error: outcome.error,
  durationMs: outcome.durationMs,
  messageId: outcome.messageId,
});

/** The key as the audit actor: its id and hint, never the key. */
async function actorOf(key: ApiKeyPrincipal): Promise<Actor> {
  const row = await findApiKey(ownerOf(key), key.keyId);
  return actors.apiKey({ keyId: key.keyId, hint: row ? apiKeyHint(row) : null });
}

/** The admin layer's refusals as problems: a missing webhook or delivery is a 404, any other refusal a 409. */
async function refusalsAsProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AdminError) throw new ApiProblem(error instanceof WebhookNotFound ? "not-found" : "conflict", error.message);
    throw error;
  }
}

async function requireWebhook(tenantId: string, webhookId: string) {
  const endpoint = await getWebhook(tenantId, webhookId);
  if (!endpoint) throw new ApiProblem("not-found", "No such webhook in this tenant");
  return endpoint;
}

export const listWebhooksRoute = apiRoute(listWebhooksOperation, async ({ key, params }) => {
  const tenantId = await assertTenantAccess(key, params.tenantId);
  return { data: (await listWebhooks(tenantId)).map(webhookBody) };
});

export const createWebhookRoute = apiRoute(createWebhookOperation, async ({ key, params, body }) => {
  const tenantId = await assertTenantAccess(key, params.tenantId);
  const input = { tenantId, url: body.url, description: body.description || null, eventTypes: body.eventTypes };
  const { endpoint, secret } = await refusalsAsProblems(async () => createWebhook(input, await actorOf(key)));
  return { ...webhookBody(endpoint), secret };
});

export const getWebhookRoute = apiRoute(getWebhookOperation, async ({ key, params }) => {
  const tenantId = await assertTenantAccess(key, params.tenantId);
  return webhookBody(await requireWebhook(tenantId, params.webhookId));
});

export const updateWebhookRoute = apiRoute(updateWebhookOperation, async ({ key, params, body }) => {
  const tenantId = await assertTenantAccess(key, params.tenantId);
  await requireWebhook(tenantId, params.webhookId);
  const actor = await actorOf(key);
  const change = { url: body.url, description: body.description === undefined ? undefined : body.description || null, eventTypes: body.eventTypes };
  return refusalsAsProblems(async () => {
    let endpoint = await updateWebhook(tenantId, params.webhookId, change, actor);
    // Enabling an enabled endpoint would reset its retry schedule: only a change is applied (and audited).
    if (body.enabled !== undefined && body.enabled !== endpoint.enabled) {
      endpoint = await setWebhookEnabled({ tenantId, endpointId: params.webhookId, enabled: body.enabled }, actor);
    }
    return webhookBody(endpoint);
  });
});

export const deleteWebhookRoute = apiRoute(deleteWebhookOperation, async ({ key, params }) => {
  const tenantId = await assertTenantAccess(key, params.tenantId);
  await requireWebhook(tenantId, params.webhookId);
  await refusalsAsProblems(async () => deleteWebhook(tenantId, params.webhookId, await actorOf(key)));
  return undefined;
});

export const listWebhookDeliveriesRoute = apiRoute(listWebhookDeliveriesOperation, async ({ key, params, query }) => {
  const tenantId = await assertTenantAccess(key, params.tenantId);
  await requireWebhook(tenantId, params.webhookId);
  const { rows, nextCursor } = await listWebhookDeliveriesPage(tenantId, params.webhookId, { after: createdSerialCursor(query.after), limit: query.limit });
  const data = rows.map(({ cursorKey: _cursor, ...row }) => ({
    ...row,
    id: String(row.id),
    eventId: row.eventId === null ? null : String(row.eventId),
    nextAttemptAt: iso(row.nextAttemptAt),
    createdAt: row.createdAt.toISOString(),
  }));
  return { data, nextCursor };
});

export const testWebhookRoute = apiRoute(testWebhookOperation, async ({ key, params }) => {
  const tenantId = await assertTenantAccess(key, params.tenantId);
  await requireWebhook(tenantId, params.webhookId);
  return attemptBody(await refusalsAsProblems(async () => sendTestEvent(tenantId, params.webhookId, await actorOf(key))));
});

export const retryWebhookDeliveryRoute = apiRoute(retryWebhookDeliveryOperation, async ({ key, params }) => {
  const tenantId = await assertTenantAccess(key, params.tenantId);
  await requireWebhook(tenantId, params.webhookId);
  const result = await refusalsAsProblems(async () =>
    retryDelivery({ tenantId, endpointId: params.webhookId, deliveryId: params.deliveryId }, await actorOf(key)),
  );
  return { queued: result.queued, attempt: result.queued ? null : attemptBody(result.outcome) };
});
