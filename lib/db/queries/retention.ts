import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { directoryEventHorizons, directoryEvents, webhookDeliveries, webhookEndpoints } from "../schema";
import type { EventPosition } from "./directory-events";

/**
 * Retention deletes in bounded batches: each call is one short statement removing at most
 * `limit` rows, so a large backlog is worked off in many small transactions and never holds
 * locks for long. Callers loop until a batch comes back short (lib/events/retention.ts).
 */

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows);

export type EventPruneCutoffs = {
  /** Events written before this are expired. */
  expiredBefore: Date;
  /** Expired events an enabled endpoint still has to deliver are kept until this. */
  heldUntil: Date;
};

/**
 * Deletes up to `limit` expired events and moves each affected tenant's horizon to the latest
 * one removed, in the same statement. An expired event is kept while an enabled webhook
 * endpoint of its tenant whose types match it has not passed it yet, unless it was written
 * before `heldUntil` too. Deliveries of a removed event go with it (foreign key cascade).
 */
export async function pruneEventBatch(cutoffs: EventPruneCutoffs, limit: number, db?: Db): Promise<number> {
  const handle = db ?? (await getDb());
  const result = await handle.execute(sql`
    with doomed as (
      select e.id from ${directoryEvents} e
      where e.created_at < ${cutoffs.expiredBefore.toISOString()}::timestamptz
        and (e.created_at < ${cutoffs.heldUntil.toISOString()}::timestamptz or not exists (
          select 1 from ${webhookEndpoints} w
          where w.tenant_id = e.tenant_id and w.enabled
            and (w.cursor_tx_id, w.cursor_event_id) < (e.tx_id, e.id)
            and (cardinality(w.event_types) = 0 or e.type = any(w.event_types))
        ))
      order by e.created_at
      limit ${limit}
      for update of e skip locked
    ), deleted as (
      delete from ${directoryEvents} e using doomed d where e.id = d.id
      returning e.tenant_id, e.tx_id, e.id, e.created_at
    ), latest as (
      select distinct on (tenant_id) tenant_id, tx_id, id, created_at from deleted order by tenant_id, tx_id desc, id desc
    ), horizon as (
      insert into ${directoryEventHorizons} as h (tenant_id, tx_id, event_id, event_created_at, updated_at)
      select tenant_id, tx_id, id, created_at, now() from latest
      on conflict (tenant_id) do update
        set tx_id = excluded.tx_id, event_id = excluded.event_id, event_created_at = excluded.event_created_at, updated_at = now()
        where (h.tx_id, h.event_id) < (excluded.tx_id, excluded.event_id)
    )
    select count(*)::int as removed from deleted`);
  return Number(rowsOf<{ removed: number }>(result)[0]?.removed ?? 0);
}

/** Deletes up to `limit` delivery log rows written before `before`. */
export async function pruneDeliveryBatch(before: Date, limit: number, db?: Db): Promise<number> {
  const handle = db ?? (await getDb());
  const result = await handle.execute(sql`
    with deleted as (
      delete from ${webhookDeliveries} where id in (
        select id from ${webhookDeliveries} where created_at < ${before.toISOString()}::timestamptz order by created_at limit ${limit}
      )
      returning 1
    )
    select count(*)::int as removed from deleted`);
  return Number(rowsOf<{ removed: number }>(result)[0]?.removed ?? 0);
}

export type EventHorizon = EventPosition & { eventCreatedAt: Date };

/** The position of the latest event pruned from the tenant's feed; undefined while none was. */
export async function getEventHorizon(tenantId: string, db?: Db): Promise<EventHorizon | undefined> {
  const handle = db ?? (await getDb());
  const [row] = await handle
    .select({ txId: directoryEventHorizons.txId, eventId: directoryEventHorizons.eventId, eventCreatedAt: directoryEventHorizons.eventCreatedAt })
    .from(directoryEventHorizons)
    .where(eq(directoryEventHorizons.tenantId, tenantId))
    .limit(1);
  return row && { txId: String(row.txId), id: Number(row.eventId), eventCreatedAt: row.eventCreatedAt };
}
