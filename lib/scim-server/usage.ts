import "server-only";
import { sql } from "drizzle-orm";
import { getDb, type Db } from "../db/client";
import { scimUsage, tenantCounters, tenants, usageDays } from "../db/schema";
import { defer } from "../defer";
import { isForeignKeyViolation } from "../db/errors";
import { errorSummary } from "../error-summary";
import { logger } from "../log";
import { onVercel } from "../env";

// Requests and sign-ins are counted, not logged one by one: counters accumulate in memory and
// are written to scim_usage (with the day's user/group counts, and tenants.last_scim_request_at
// when SCIM was seen) after the response, through defer(). One flush runs at a time, and a
// long-lived instance starts one at most every FLUSH_INTERVAL_MS: whatever arrives meanwhile
// joins it, so a busy instance writes once a second, not once a request (a flush per request
// held pool connections that the requests themselves were waiting for). A serverless instance
// flushes at once: it may be suspended right after its response.
type Counter = { reads: number; writes: number; errors: number; rateLimited: number; signIns: number; signInFailures: number; lastScimAt?: Date; lastAt: Date };
const pending = new Map<string, Counter>();
let flushQueued = false;
let flushing: Promise<void> = Promise.resolve();
let lastFlushAt = 0;
const FLUSH_INTERVAL_MS = 1_000;

function queueFlush() {
  if (flushQueued) return;
  flushQueued = true;
  defer("scim usage", async () => {
    await flushing;
    const wait = onVercel() ? 0 : lastFlushAt + FLUSH_INTERVAL_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await flushScimUsage();
  });
}

function counterOf(tenantId: string) {
  let counter = pending.get(tenantId);
  if (!counter) {
    counter = { reads: 0, writes: 0, errors: 0, rateLimited: 0, signIns: 0, signInFailures: 0, lastAt: new Date() };
    pending.set(tenantId, counter);
  }
  counter.lastAt = new Date();
  queueFlush();
  return counter;
}

/** One SCIM request answered; a 429 counts as an error and as rate limited. */
export function countScimRequest(tenantId: string, kind: "read" | "write", failed: boolean, rateLimited = false) {
  const counter = counterOf(tenantId);
  if (kind === "read") counter.reads++;
  else counter.writes++;
  if (failed || rateLimited) counter.errors++;
  if (rateLimited) counter.rateLimited++;
  counter.lastScimAt = counter.lastAt;
}

/** One SSO or password sign-in into a tenant, successful or refused. */
export function countSignIn(tenantId: string, ok: boolean) {
  const counter = counterOf(tenantId);
  if (ok) counter.signIns++;
  else counter.signInFailures++;
}

/** Writes what is counted so far (after any flush already running); a queued flush finds less to do. */
export async function flushScimUsage() {
  const previous = flushing;
  const current = previous.then(async () => {
    flushQueued = false;
    lastFlushAt = Date.now();
    if (pending.size === 0) return;
    const batch = [...pending.entries()];
    pending.clear();
    const db = await getDb();
    for (const [tenantId, c] of batch) {
      await recordDay(db, tenantId, c).catch((error) => {
        // A deleted tenant's counters are dropped; anything else is logged (never the values).
        if (!isForeignKeyViolation(error)) logger.warn({ err: errorSummary(error), tenantId }, "scim usage not recorded");
      });
    }
  });
  flushing = current.catch(() => {});
  await current;
}

/**
 * One tenant's counters into its day, in one transaction: the tenant row is locked first, so
 * two instances recording one tenant take turns, and each adds to usage_days only the
 * difference between the tenant's counts now and the ones it last recorded, plus its traffic.
 */
async function recordDay(db: Db, tenantId: string, c: Counter) {
  const day = c.lastAt.toISOString().slice(0, 10);
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ users: tenants.recordedUsers, groups: tenants.recordedGroups })
      .from(tenants)
      .where(sql`${tenants.id} = ${tenantId}`)
      .for("update");
    if (!before) return; // deleted meanwhile
    const now = tx.$with("now_counts").as(
      tx
        .select({
          users: sql<number>`greatest(coalesce(sum(${tenantCounters.users}), 0), 0)::int`.as("users"),
          groups: sql<number>`greatest(coalesce(sum(${tenantCounters.groups}), 0), 0)::int`.as("groups"),
        })
        .from(tenantCounters)
        .where(sql`${tenantCounters.tenantId} = ${tenantId}`),
    );
    const recorded = tx.$with("recorded").as(
      tx
        .insert(scimUsage)
        .values({
          tenantId,
          day,
          reads: c.reads,
          writes: c.writes,
          errors: c.errors,
          rateLimited: c.rateLimited,
          signIns: c.signIns,
          signInFailures: c.signInFailures,
          users: sql`(select users from ${now})`,
          groups: sql`(select groups from ${now})`,
        })
        .onConflictDoUpdate({
          target: [scimUsage.tenantId, scimUsage.day],
          set: {
            reads: sql`${scimUsage.reads} + ${c.reads}`,
            writes: sql`${scimUsage.writes} + ${c.writes}`,
            errors: sql`${scimUsage.errors} + ${c.errors}`,
            rateLimited: sql`${scimUsage.rateLimited} + ${c.rateLimited}`,
            signIns: sql`${scimUsage.signIns} + ${c.signIns}`,
            signInFailures: sql`${scimUsage.signInFailures} + ${c.signInFailures}`,
            users: sql`excluded.users`,
            groups: sql`excluded.groups`,
          },
        })
        .returning({ day: scimUsage.day }),
    );
    const stamped = tx.$with("stamped").as(
      tx
        .update(tenants)
        .set({
          recordedUsers: sql`(select users from ${now})`,
          recordedGroups: sql`(select groups from ${now})`,
          ...(c.lastScimAt ? { lastScimRequestAt: sql`greatest(${tenants.lastScimRequestAt}, ${c.lastScimAt.toISOString()}::timestamptz)` } : {}),
        })
        .where(sql`${tenants.id} = ${tenantId}`)
        .returning({ id: tenants.id }),
    );
    await tx
      .with(now, recorded, stamped)
      .insert(usageDays)
      .select(
        sql`select r.day, n.users - ${before.users}::int, n.groups - ${before.groups}::int,
          ${c.reads}::int, ${c.writes}::int, ${c.errors}::int, ${c.rateLimited}::int, ${c.signIns}::int, ${c.signInFailures}::int
          from ${recorded} r, ${now} n, ${stamped} s`,
      )
      .onConflictDoUpdate({
        target: usageDays.day,
        set: {
          usersChange: sql`${usageDays.usersChange} + excluded.users_change`,
          groupsChange: sql`${usageDays.groupsChange} + excluded.groups_change`,
          reads: sql`${usageDays.reads} + excluded.reads`,
          writes: sql`${usageDays.writes} + excluded.writes`,
          errors: sql`${usageDays.errors} + excluded.errors`,
          rateLimited: sql`${usageDays.rateLimited} + excluded.rate_limited`,
          signIns: sql`${usageDays.signIns} + excluded.sign_ins`,
          signInFailures: sql`${usageDays.signInFailures} + excluded.sign_in_failures`,
        },
      });
  });
}
