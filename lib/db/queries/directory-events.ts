import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { directoryEvents } from "../schema";

/**
 * A position in a tenant's event feed: the event's transaction id (20 digits) then its id (19
 * digits), so cursors compare alike as numbers and as strings, and every later event's is greater.
 */
export type EventPosition = { txId: string; id: number };

export const START_POSITION: EventPosition = { txId: "0", id: 0 };

const CURSOR = /^\d{39}$/;

export function encodeEventCursor(position: EventPosition) {
  return position.txId.padStart(20, "0") + String(position.id).padStart(19, "0");
}

/** The position a cursor names; undefined when it is not one (never a throw). "0" or empty: the start. */
export function decodeEventCursor(cursor: string | null | undefined): EventPosition | undefined {
  if (cursor === null || cursor === undefined || cursor === "" || cursor === "0") return START_POSITION;
  if (!CURSOR.test(cursor)) return undefined;
  const txId = BigInt(cursor.slice(0, 20));
  const id = BigInt(cursor.slice(20));
  if (txId > 0xffffffffffffffffn || id > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return { txId: txId.toString(), id: Number(id) };
}

export type DirectoryEventRow = {
  cursor: string;
  id: number;
  type: string;
  resourceType: string;
  resourceId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
};

/**
 * Only events of transactions that are older than every transaction still running: a writer
 * that took its transaction id earlier but commits later can then never appear behind a
 * position a reader has already passed (no skip), and positions never change (no duplicate).
 */
export const settled = sql`${directoryEvents.txId} < pg_snapshot_xmin(pg_current_snapshot())`;

export const after = (position: EventPosition) => sql`(${directoryEvents.txId}, ${directoryEvents.id}) > (${position.txId}::xid8, ${position.id}::bigint)`;

const columns = {
  id: directoryEvents.id,
  txId: directoryEvents.txId,
  type: directoryEvents.type,
  resourceType: directoryEvents.resourceType,
  resourceId: directoryEvents.resourceId,
  payload: directoryEvents.payload,
  createdAt: directoryEvents.createdAt,
};

type Row = { id: number; txId: string; type: string; resourceType: string; resourceId: string; payload: Record<string, unknown>; createdAt: Date };

export function eventRow(row: Row): DirectoryEventRow {
  const { txId, ...rest } = row;
  return { cursor: encodeEventCursor({ txId: String(txId), id: Number(row.id) }), ...rest, id: Number(row.id) };
}

/** A page of the tenant's settled events after `position`, in order; `types` narrows them. */
export async function listDirectoryEvents(tenantId: string, position: EventPosition, limit: number, options: { types?: string[]; db?: Db } = {}) {
  const db = options.db ?? (await getDb());
  const rows = await db
    .select(columns)
    .from(directoryEvents)
    .where(
      and(
        eq(directoryEvents.tenantId, tenantId),
        after(position),
        settled,
        options.types?.length ? sql`${directoryEvents.type} = any(${sql.param(options.types)}::text[])` : undefined,
      ),
    )
    .orderBy(directoryEvents.txId, directoryEvents.id)
    .limit(Math.min(Math.max(limit, 1), 1000));
  return (rows as Row[]).map(eventRow);
}

/** The position just before every event not yet settled: where a new webhook endpoint starts. */
export async function currentPosition(db?: Db): Promise<EventPosition> {
  const handle = db ?? (await getDb());
  const result = await handle.execute<{ xmin: string }>(sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`);
  const rows = Array.isArray(result) ? result : (result as { rows: { xmin: string }[] }).rows;
  return { txId: rows[0].xmin, id: 0 };
}
