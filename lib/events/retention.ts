import "server-only";
import { env } from "../env";
import { pruneDeliveryBatch, pruneEventBatch } from "../db/queries/retention";

/**
 * Retention of the event feed and the webhook delivery log. Rules:
 * - an event is removed once it is EVENT_RETENTION_DAYS old, a delivery log row once it is
 *   WEBHOOK_DELIVERY_RETENTION_DAYS old (a delivery also goes when its event goes);
 * - an event an enabled webhook endpoint still has to deliver (its cursor is before it and its
 *   types match) is kept EVENT_RETENTION_GRACE_DAYS longer, then removed all the same; a
 *   disabled endpoint holds nothing back;
 * - each tenant's horizon (the latest event removed) is recorded with the removal, so a feed
 *   reader behind it is answered 410 Gone rather than skipping events unknowingly;
 * - work is done in batches of BATCH_SIZE rows, each its own short statement.
 * Run by the webhook dispatcher loop and the cron route (at most every PRUNE_INTERVAL_MS per
 * process, pruneIfDue) and by `gatehouse events prune`.
 */

const DAY_MS = 86_400_000;
export const BATCH_SIZE = 1_000;
export const PRUNE_INTERVAL_MS = 5 * 60_000;

export type PruneResult = { events: number; deliveries: number; batches: number; complete: boolean };

export function retentionCutoffs(now = Date.now()) {
  const e = env();
  return {
    expiredBefore: new Date(now - e.EVENT_RETENTION_DAYS * DAY_MS),
    heldUntil: new Date(now - (e.EVENT_RETENTION_DAYS + e.EVENT_RETENTION_GRACE_DAYS) * DAY_MS),
    deliveriesBefore: new Date(now - e.WEBHOOK_DELIVERY_RETENTION_DAYS * DAY_MS),
  };
}

/**
 * Prunes until nothing expired is left or `budgetMs` is spent (`complete: false`: the rest is
 * left for the next run). Safe to run twice or on several instances at once: batches skip rows
 * another run has locked, and a second run finds nothing more to remove.
 */
export async function pruneExpired(options: { budgetMs?: number; batchSize?: number; now?: number } = {}): Promise<PruneResult> {
  const deadline = Date.now() + (options.budgetMs ?? 10_000);
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const cutoffs = retentionCutoffs(options.now);
  const result: PruneResult = { events: 0, deliveries: 0, batches: 0, complete: false };
  let eventsLeft = true;
  let deliveriesLeft = true;
  while (eventsLeft || deliveriesLeft) {
    if (Date.now() >= deadline) return result;
    if (eventsLeft) {
      const removed = await pruneEventBatch(cutoffs, batchSize);
      result.events += removed;
      result.batches++;
      eventsLeft = removed === batchSize;
    } else {
      const removed = await pruneDeliveryBatch(cutoffs.deliveriesBefore, batchSize);
      result.deliveries += removed;
      result.batches++;
      deliveriesLeft = removed === batchSize;
    }
  }
  result.complete = true;
  return result;
}

let lastRun = 0;

/** pruneExpired at most every PRUNE_INTERVAL_MS in this process; undefined when not yet due. */
export async function pruneIfDue(options: { budgetMs?: number } = {}): Promise<PruneResult | undefined> {
  if (Date.now() - lastRun < PRUNE_INTERVAL_MS) return undefined;
  lastRun = Date.now();
  return pruneExpired(options);
}

/** Tests only: the next pruneIfDue runs at once. */
export function resetPruneSchedule() {
  lastRun = 0;
}
