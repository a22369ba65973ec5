import { sql } from "drizzle-orm";
import { rowsOf, type TestDatabase } from "../harness";
import { decodeEventCursor, listDirectoryEvents, START_POSITION, type DirectoryEventRow, type EventPosition } from "@/lib/db/queries/directory-events";

/**
 * Waits until every directory event written so far is settled (visible to the feed). The feed
 * shows an event once no transaction older than it is still running anywhere in the PostgreSQL
 * cluster; other suites run transactions on the same server in parallel, so a test that reads
 * right after writing waits for theirs to end (at most `timeoutMs`). On PGlite it returns at once.
 */
export async function eventsSettled(database: TestDatabase, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = rowsOf<{ settled: boolean }>(
      await database.db.execute(
        sql`select coalesce((select max(tx_id) from directory_events) < pg_snapshot_xmin(pg_current_snapshot()), true) as settled`,
      ),
    );
    if (row.settled) return;
    if (Date.now() > deadline) throw new Error("directory events did not settle: a transaction stayed open");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every settled event of the tenant after `from` (default: the start), in cursor order, read `pageSize` at a time. */
export async function settledEventsAfter(database: TestDatabase, tenantId: string, from: EventPosition = START_POSITION, pageSize = 100) {
  await eventsSettled(database);
  const events: DirectoryEventRow[] = [];
  let position = from;
  for (;;) {
    const page = await listDirectoryEvents(tenantId, position, pageSize);
    if (page.length === 0) return events;
    events.push(...page);
    position = decodeEventCursor(page[page.length - 1].cursor)!;
  }
}
