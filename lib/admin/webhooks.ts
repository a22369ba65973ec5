import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Actor } from "../audit";
import { encryptSecret, decryptSecret } from "../crypto/secret-box";
import {
  deleteWebhookEndpoint,
  getDirectoryEvent,
  getWebhookDelivery,
  getWebhookEndpoint,
  insertDelivery,
  insertWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  retryWebhookEndpointNow,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
  type EndpointChange,
} from "../db/queries/webhooks";
import type { WebhookEndpoint } from "../db/schema";
import { DIRECTORY_EVENT_TYPES } from "../events";
import { isAcceptableIdpUrl } from "../idp-urls";
import { eventMessage } from "../webhooks/dispatcher";
import { generateWebhookSecret } from "../webhooks/signing";
import { sendWebhook } from "../webhooks/send";
import { recordAdminEvent } from "./audit";
import { AdminError } from "./errors";

// The one home of webhook endpoint rules, for the console, the CLI and /api/v1: URLs pass the
// identity-provider URL rules (https to a public host; loopback only with
// GATEHOUSE_ALLOW_LOOPBACK_IDP=1), the signing secret is shown once and stored encrypted,
// every change is audited without the secret.

export const MAX_ENDPOINTS_PER_TENANT = 10;

// PostgreSQL text cannot hold NUL, and no URL or description needs a control character.
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;

export const webhookUrlSchema = z
  .string()
  .trim()
  .min(1, "Enter the URL that receives the events")
  .max(2000, "The URL is too long")
  .regex(NO_CONTROL_CHARACTERS, "The URL must not contain control characters")
  .refine((value) => URL.canParse(value), "Enter a full URL, e.g. https://app.example.com/webhooks/gatehouse")
  .refine((value) => !URL.canParse(value) || isAcceptableIdpUrl(new URL(value)), "Use https to a public host (a private or loopback address is refused)");

export const webhookDescriptionSchema = z
  .string()
  .trim()
  .max(200, "Keep the description under 200 characters")
  .regex(NO_CONTROL_CHARACTERS, "The description must not contain control characters");

/** The event types an endpoint gets, each once; none: every type. */
export const webhookEventTypesSchema = z
  .array(z.enum(DIRECTORY_EVENT_TYPES, "Choose event types from the list"))
  .max(DIRECTORY_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)]);

export const createWebhookSchema = z.object({
  tenantId: z.uuid(),
  url: webhookUrlSchema,
  description: webhookDescriptionSchema.optional().transform((v) => v || null),
  // A form sends one value as a string, several as an array, none as nothing: none means every type.
  eventTypes: z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), webhookEventTypesSchema),
});

export const webhookRefSchema = z.object({ tenantId: z.uuid(), endpointId: z.uuid() });
export const webhookEnabledSchema = webhookRefSchema.extend({ enabled: z.enum(["true", "false"]).transform((v) => v === "true") });
/** `endpointId`, when given, must be the delivery's own endpoint (the API names both in its path). */
export const deliveryRefSchema = z.object({ tenantId: z.uuid(), deliveryId: z.coerce.number().int().positive(), endpointId: z.uuid().optional() });

const GONE = "This webhook no longer exists.";

/** The webhook or delivery asked for is not the tenant's (or no longer exists): a 404 through the API. */
export class WebhookNotFound extends AdminError {
  constructor(message = GONE) {
    super(message);
    this.name = "WebhookNotFound";
  }
}

export type PublicWebhookEndpoint = Omit<WebhookEndpoint, "secretEnc" | "leaseToken" | "leaseUntil" | "cursorTxId" | "cursorEventId">;

function publicEndpoint({ secretEnc: _s, leaseToken: _t, leaseUntil: _u, cursorTxId: _c, cursorEventId: _e, ...rest }: WebhookEndpoint): PublicWebhookEndpoint {
  return rest;
}

const about = (endpoint: { id: string; url: string }) => ({ targetType: "webhook", targetId: endpoint.id, targetLabel: endpoint.url.slice(0, 200) });

export async function createWebhook(input: z.infer<typeof createWebhookSchema>, actor: Actor) {
  if ((await listWebhookEndpoints(input.tenantId)).length >= MAX_ENDPOINTS_PER_TENANT) {
    throw new AdminError(`A tenant has at most ${MAX_ENDPOINTS_PER_TENANT} webhooks; delete one first.`);
  }
  const secret = generateWebhookSecret();
  const row = await insertWebhookEndpoint(input.tenantId, { url: input.url, description: input.description, eventTypes: input.eventTypes, secretEnc: encryptSecret(secret) });
  await recordAdminEvent(actor, { tenantId: input.tenantId, action: "webhook.created", ...about(row), details: { eventTypes: input.eventTypes.length ? input.eventTypes : "all" } });
  return { endpoint: publicEndpoint(row), secret };
}

export async function listWebhooks(tenantId: string) {
  return (await listWebhookEndpoints(tenantId)).map(publicEndpoint);
}

export async function getWebhook(tenantId: string, endpointId: string) {
  const endpoint = await getWebhookEndpoint(tenantId, endpointId);
  return endpoint ? publicEndpoint(endpoint) : undefined;
}

export async function webhookDetail(tenantId: string, endpointId: string) {
  const endpoint = await getWebhookEndpoint(tenantId, endpointId);
  if (!endpoint) return undefined;
  return { endpoint: publicEndpoint(endpoint), deliveries: await listWebhookDeliveries(tenantId, endpointId) };
}

export async function deleteWebhook(tenantId: string, endpointId: string, actor: Actor) {
  const row = await deleteWebhookEndpoint(tenantId, endpointId);
  if (!row) throw new WebhookNotFound();
  await recordAdminEvent(actor, { tenantId, action: "webhook.deleted", ...about(row) });
}

export async function setWebhookEnabled(input: z.infer<typeof webhookEnabledSchema>, actor: Actor) {
  const row = await setWebhookEndpointEnabled(input.tenantId, input.endpointId, input.enabled, input.enabled ? null : "Disabled by an administrator.");
  if (!row) throw new WebhookNotFound();
  await recordAdminEvent(actor, { tenantId: input.tenantId, action: input.enabled ? "webhook.enabled" : "webhook.disabled", ...about(row) });
  return publicEndpoint(row);
}

/**
 * A new URL, description or event types (already validated by the schemas above). The
 * endpoint keeps its secret and its place in the feed; the audit names the fields changed.
 */
export async function updateWebhook(tenantId: string, endpointId: string, change: EndpointChange, actor: Actor) {
  const given = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as EndpointChange;
  const fields = Object.keys(given);
  if (fields.length === 0) return publicEndpoint(await requireEndpoint(tenantId, endpointId));
  const row = await updateWebhookEndpoint(tenantId, endpointId, given);
  if (!row) throw new WebhookNotFound();
  const details = { fields, ...(change.eventTypes ? { eventTypes: change.eventTypes.length ? change.eventTypes : "all" } : {}) };
  await recordAdminEvent(actor, { tenantId, action: "webhook.updated", ...about(row), details });
  return publicEndpoint(row);
}

async function requireEndpoint(tenantId: string, endpointId: string) {
  const endpoint = await getWebhookEndpoint(tenantId, endpointId);
  if (!endpoint) throw new WebhookNotFound();
  return endpoint;
}

/** "Send test event": a signed `webhook.test` message now, outside the queue; logged like any attempt. */
export async function sendTestEvent(tenantId: string, endpointId: string, actor: Actor) {
  const endpoint = await requireEndpoint(tenantId, endpointId);
  const messageId = `msg_test_${randomUUID()}`;
  const body = JSON.stringify({ type: "webhook.test", timestamp: new Date().toISOString(), data: { tenantId, endpointId, message: "A test event from Gatehouse" } });
  const outcome = await sendWebhook(endpoint.url, decryptSecret(endpoint.secretEnc), { id: messageId, type: "webhook.test", body });
  await insertDelivery({
    tenantId,
    endpointId,
    eventId: null,
    messageId,
    eventType: "webhook.test",
    attempt: 1,
    trigger: "test",
    status: outcome.ok ? "succeeded" : "failed",
    responseStatus: outcome.status,
    error: outcome.error,
    durationMs: outcome.durationMs,
  });
  await recordAdminEvent(actor, { tenantId, action: "webhook.test_sent", ...about(endpoint), details: { status: outcome.status, ok: outcome.ok } });
  return { ...outcome, messageId };
}

/**
 * "Retry": the event at the head of the endpoint's queue is attempted again now by the
 * dispatcher (order kept); an event given up earlier is sent once more at once, out of order,
 * since an admin asked for exactly that one.
 */
export async function retryDelivery(input: z.infer<typeof deliveryRefSchema>, actor: Actor) {
  const delivery = await getWebhookDelivery(input.tenantId, input.deliveryId);
  if (!delivery || (input.endpointId !== undefined && delivery.endpointId !== input.endpointId)) throw new WebhookNotFound("No such delivery of this webhook.");
  if (delivery.eventId === null) throw new AdminError("This delivery cannot be retried.");
  const endpoint = await requireEndpoint(input.tenantId, delivery.endpointId);
  if (delivery.status === "failed") {
    if (!endpoint.enabled) throw new AdminError("Enable the webhook first: its queue resumes with this event.");
    await retryWebhookEndpointNow(input.tenantId, endpoint.id);
    await recordAdminEvent(actor, { tenantId: input.tenantId, action: "webhook.retried", ...about(endpoint), details: { eventId: delivery.eventId, queued: true } });
    return { queued: true as const };
  }
  const event = await getDirectoryEvent(input.tenantId, delivery.eventId);
  if (!event) throw new AdminError("This event no longer exists.");
  const message = eventMessage(input.tenantId, event);
  const outcome = await sendWebhook(endpoint.url, decryptSecret(endpoint.secretEnc), message);
  await insertDelivery({
    tenantId: input.tenantId,
    endpointId: endpoint.id,
    eventId: event.id,
    messageId: message.id,
    eventType: message.type,
    attempt: delivery.attempt + 1,
    trigger: "retry",
    status: outcome.ok ? "succeeded" : "failed",
    responseStatus: outcome.status,
    error: outcome.error,
    durationMs: outcome.durationMs,
  });
  await recordAdminEvent(actor, { tenantId: input.tenantId, action: "webhook.retried", ...about(endpoint), details: { eventId: event.id, status: outcome.status, ok: outcome.ok } });
  return { queued: false as const, outcome: { ...outcome, messageId: message.id } };
}
