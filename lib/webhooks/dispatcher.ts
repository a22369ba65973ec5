import "server-only";
import { randomUUID } from "node:crypto";
import { decryptSecret } from "../crypto/secret-box";
import { claimDueEndpoint, nextEventFor, recordAttempt, releaseEndpoint } from "../db/queries/webhooks";
import type { DirectoryEventRow } from "../db/queries/directory-events";
import type { WebhookEndpoint } from "../db/schema";
import { renderEvent } from "../events";
import { logger } from "../log";
import { leaseSeconds, maxAttempts, nextRetryDelayMs, retryDelays } from "./schedule";
import { sendWebhook, type AttemptResult, type WebhookMessage } from "./send";

/**
 * The webhook dispatcher. Each endpoint is a queue over its tenant's event feed: the event after
 * its cursor is attempted until it is delivered (any 2xx) or given up after the retry schedule
 * (lib/webhooks/schedule.ts), and only then does the cursor move to the next one, so an
 * endpoint never gets event N+1 before N. Delivery is at least once: the cursor moves after the
 * receiver answered, so a crash in between sends the event again (same `webhook-id`).
 * Run by the in-process loop (lib/webhooks/loop.ts) on every instance and by the cron route
 * (app/api/cron/webhooks) in serverless; claims with SKIP LOCKED keep them apart.
 */

/** The Standard Webhooks message of an event: `{type, timestamp, data}`, data being the event as /api/v1/events shows it. */
export function eventMessage(tenantId: string, event: DirectoryEventRow): WebhookMessage {
  const rendered = renderEvent(tenantId, event);
  return { id: `msg_${event.id}`, type: event.type, body: JSON.stringify({ type: event.type, timestamp: rendered.occurredAt, data: rendered }) };
}

export type DrainResult = { endpoints: number; delivered: number; failed: number; givenUp: number };

/** At most this many events in a row to one endpoint per claim, so one busy endpoint cannot starve the others. */
const EVENTS_PER_CLAIM = 25;

export async function drainWebhooks(options: { budgetMs?: number; maxEndpoints?: number } = {}): Promise<DrainResult> {
  const deadline = Date.now() + (options.budgetMs ?? 10_000);
  const result: DrainResult = { endpoints: 0, delivered: 0, failed: 0, givenUp: 0 };
  const handled: string[] = [];
  while (Date.now() < deadline && handled.length < (options.maxEndpoints ?? 100)) {
    const token = randomUUID();
    const endpoint = await claimDueEndpoint(token, leaseSeconds(), handled);
    if (!endpoint) break;
    handled.push(endpoint.id);
    result.endpoints++;
    await serveEndpoint(endpoint, token, deadline, result);
  }
  return result;
}

async function serveEndpoint(endpoint: WebhookEndpoint, token: string, deadline: number, result: DrainResult) {
  let secret: string;
  try {
    secret = decryptSecret(endpoint.secretEnc);
  } catch {
    logger.error({ endpointId: endpoint.id }, "webhook secret cannot be decrypted (ENCRYPTION_KEY changed?)");
    await releaseEndpoint(token, endpoint.id);
    return;
  }
  let cursor = { cursorTxId: endpoint.cursorTxId, cursorEventId: endpoint.cursorEventId };
  let failedAttempts = endpoint.failedAttempts;
  for (let sent = 0; sent < EVENTS_PER_CLAIM && Date.now() < deadline; sent++) {
    const event = await nextEventFor({ ...endpoint, ...cursor });
    if (!event) break;
    const attempt = failedAttempts + 1;
    const message = eventMessage(endpoint.tenantId, event);
    const outcome = await sendWebhook(endpoint.url, secret, message);
    const kept = await recordOutcome(endpoint, token, event, message, attempt, outcome, result);
    if (!kept || !outcome.ok) return;
    cursor = { cursorTxId: event.txId, cursorEventId: event.id };
    failedAttempts = 0;
  }
  await releaseEndpoint(token, endpoint.id);
}

/** Logs the attempt and moves the endpoint on; false when this dispatcher should stop serving it. */
async function recordOutcome(
  endpoint: WebhookEndpoint,
  token: string,
  event: DirectoryEventRow & { txId: string },
  message: WebhookMessage,
  attempt: number,
  outcome: AttemptResult,
  result: DrainResult,
) {
  const base = {
    tenantId: endpoint.tenantId,
    endpointId: endpoint.id,
    eventId: event.id,
    messageId: message.id,
    eventType: message.type,
    attempt,
    trigger: "dispatch" as const,
    responseStatus: outcome.status,
    error: outcome.error,
    durationMs: outcome.durationMs,
  };
  const advance = { cursorTxId: event.txId, cursorEventId: event.id, failedAttempts: 0 };
  if (outcome.ok) {
    result.delivered++;
    return recordAttempt(token, endpoint.id, { ...base, status: "succeeded" }, { ...advance, nextAttemptAt: new Date(), succeeded: true, keepLease: true });
  }
  const delay = nextRetryDelayMs(attempt);
  if (delay !== null) {
    result.failed++;
    const nextAttemptAt = new Date(Date.now() + delay);
    await recordAttempt(token, endpoint.id, { ...base, status: "failed", nextAttemptAt }, { failedAttempts: attempt, nextAttemptAt, succeeded: false });
    return false;
  }
  // The schedule is spent: give the event up, move past it, and disable the endpoint until an admin enables it again.
  result.givenUp++;
  const hours = Math.round(retryDelays().reduce((sum, s) => sum + s, 0) / 360) / 10;
  const disabledReason = `Disabled after ${maxAttempts()} failed attempts over ${hours} h to deliver event ${event.id} (${event.type}); last: ${outcome.error ?? "no response"}.`;
  await recordAttempt(token, endpoint.id, { ...base, status: "given_up" }, { ...advance, enabled: false, disabledReason, nextAttemptAt: new Date(), succeeded: false });
  logger.warn({ endpointId: endpoint.id, tenantId: endpoint.tenantId, eventId: event.id }, "webhook endpoint disabled after persistent failure");
  return false;
}
