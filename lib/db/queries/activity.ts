import "server-only";
import { z } from "zod";
import { and, asc, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "../client";
import { auditEvents, tenants } from "../schema";
import { escapeLike } from "../like";
import { decodeCursor, encodeCursor, page } from "../keyset";
import { isUuid } from "../../uuid";

export type SortDirection = "asc" | "desc";

export type ActivityFilters = {
  tenantId?: string;
  /** Prefix match: "scim.user" finds scim.user.created, scim.user.updated… */
  action?: string;
  outcome?: "success" | "failure";
  actor?: string;
  from?: Date;
  /** Exclusive: the start of the day after the "to" date. */
  to?: Date;
  /** Along created_at (audit_events_tenant_created_idx / audit_events_created_idx); newest first by default. */
  direction?: SortDirection;
};

export type ActivityPageOptions = ActivityFilters & { after?: string; before?: string; limit?: number };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function utcDay(value: string) {
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? undefined : date;
}

const day = z
  .string()
  .regex(DAY, "Use a date as YYYY-MM-DD")
  .refine((value) => utcDay(value) !== undefined, "Not a calendar date");

/** The activity filter as the URL carries it (the page, its export links and the export route). */
export const activityFilterSchema = z
  .object({
    tenantId: z.string().refine(isUuid, "Not a tenant id").optional(),
    action: z.string().trim().max(200).optional(),
    outcome: z.enum(["success", "failure"]).optional(),
    actor: z.string().trim().max(320).optional(),
    from: day.optional(),
    to: day.optional(),
    dir: z.enum(["asc", "desc"]).optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "“From” is after “To”", path: ["from"] });

export type ActivityFilterParams = z.infer<typeof activityFilterSchema>;

export const ACTIVITY_FILTER_KEYS = ["tenantId", "action", "outcome", "actor", "from", "to", "dir"] as const;

/** The filter's params from a URL: empty values are no filter. */
export function activityFilterInput(read: (key: string) => string | null | undefined) {
  const input: Record<string, string> = {};
  for (const key of ACTIVITY_FILTER_KEYS) {
    const value = read(key);
    if (typeof value === "string" && value !== "") input[key] = value;
  }
  return input;
}

export function toActivityFilters(params: ActivityFilterParams): ActivityFilters {
  return {
    tenantId: params.tenantId?.toLowerCase(),
    action: params.action || undefined,
    outcome: params.outcome,
    actor: params.actor || undefined,
    from: params.from ? utcDay(params.from) : undefined,
    to: params.to ? new Date(utcDay(params.to)!.getTime() + 86_400_000) : undefined,
    direction: params.dir,
  };
}

/**
 * The page's reading of the URL: what is valid is applied, a malformed value is dropped
 * (the export route refuses the same input with a 400 instead).
 */
export function lenientActivityFilter(read: (key: string) => string | null | undefined): ActivityFilterParams {
  const input = activityFilterInput(read);
  const whole = activityFilterSchema.safeParse(input);
  if (whole.success) return whole.data;
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (activityFilterSchema.safeParse({ [key]: value }).success) kept[key] = value;
  }
  if (kept.from && kept.to && kept.from > kept.to) delete kept.to;
  return activityFilterSchema.parse(kept);
}

// Defence in depth: details are scrubbed when stored (lib/audit.ts); the console and the export
// still never show a secret-looking key, at any depth.
const SECRET_LOOKING_KEY = /secret|token|password|authorization|credential/i;

export function visibleDetails(details: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!details) return null;
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (SECRET_LOOKING_KEY.test(key)) continue;
    shown[key] = value && typeof value === "object" && !Array.isArray(value) ? visibleDetails(value as Record<string, unknown>) : value;
  }
  return shown;
}

function conditions(tenantIds: string[] | "all", filters: ActivityFilters): (SQL | undefined)[] {
  const where: (SQL | undefined)[] = [];
  if (tenantIds !== "all") where.push(tenantIds.length ? sql`${auditEvents.tenantId} in ${tenantIds}` : sql`false`);
  if (filters.tenantId) where.push(eq(auditEvents.tenantId, filters.tenantId));
  if (filters.action?.trim()) where.push(sql`${auditEvents.action} like ${`${escapeLike(filters.action.trim())}%`}`);
  if (filters.outcome) where.push(eq(auditEvents.outcome, filters.outcome));
  if (filters.actor?.trim()) {
    const pattern = `%${escapeLike(filters.actor.trim())}%`;
    where.push(or(ilike(auditEvents.actorLabel, pattern), eq(auditEvents.actorId, filters.actor.trim())));
  }
  if (filters.from) where.push(sql`${auditEvents.createdAt} >= ${filters.from.toISOString()}::timestamptz`);
  if (filters.to) where.push(sql`${auditEvents.createdAt} < ${filters.to.toISOString()}::timestamptz`);
  return where;
}

const CURSOR = ["string", "integer"] as const;

async function selectEvents(tenantIds: string[] | "all", filters: ActivityFilters, ascending: boolean, cursor: readonly [string, number] | null, limit: number) {
  const db = await getDb();
  const where = conditions(tenantIds, filters);
  if (cursor) {
    where.push(
      ascending
        ? sql`(${auditEvents.createdAt}, ${auditEvents.id}) > (${cursor[0]}::timestamptz, ${cursor[1]})`
        : sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${cursor[0]}::timestamptz, ${cursor[1]})`,
    );
  }
  const order = ascending ? asc : desc;
  const rows = await db
    .select({
      id: auditEvents.id,
      tenantId: auditEvents.tenantId,
      tenantName: tenants.name,
      actorType: auditEvents.actorType,
      actorId: auditEvents.actorId,
      actorLabel: auditEvents.actorLabel,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      targetLabel: auditEvents.targetLabel,
      outcome: auditEvents.outcome,
      statusCode: auditEvents.statusCode,
      requestId: auditEvents.requestId,
      details: auditEvents.details,
      createdAt: auditEvents.createdAt,
      // Full-precision key text (timestamptz has microseconds; a JS Date only milliseconds).
      cursorKey: sql<string>`${auditEvents.createdAt}::text`,
    })
    .from(auditEvents)
    .leftJoin(tenants, eq(tenants.id, auditEvents.tenantId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(order(auditEvents.createdAt), order(auditEvents.id))
    .limit(limit + 1);
  return rows.map((row) => ({ ...row, details: visibleDetails(row.details) }));
}

/**
 * One page of audit events within the viewer's tenants, keyset-paged on (created_at, id) so it
 * walks audit_events_tenant_created_idx / audit_events_created_idx and never counts.
 */
export async function listAuditEvents(tenantIds: string[] | "all", options: ActivityPageOptions = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const before = decodeCursor(options.before, CURSOR);
  const after = before ? null : decodeCursor(options.after, CURSOR);
  // Walking backwards (the "previous" page) flips the order, then the rows are flipped back.
  const backwards = Boolean(before);
  const ascending = (options.direction === "asc") !== backwards;
  const rows = await selectEvents(tenantIds, options, ascending, before ?? after, limit);
  const { rows: pageRows, more } = page(rows, limit, (row) => [row.cursorKey, row.id]);
  if (backwards) pageRows.reverse();
  const first = pageRows[0];
  const last = pageRows[pageRows.length - 1];
  return {
    rows: pageRows.map(({ cursorKey: _key, ...row }) => row),
    nextCursor: last && (backwards || more) ? encodeCursor([last.cursorKey, last.id]) : null,
    prevCursor: first && (backwards ? more : Boolean(after)) ? encodeCursor([first.cursorKey, first.id]) : null,
  };
}

export type ActivityRow = Awaited<ReturnType<typeof listAuditEvents>>["rows"][number];

/**
 * Every matching event, one keyset page of `pageSize` rows per read: an export of any size
 * holds one page in memory at a time and each page costs one index walk.
 */
export async function* auditEventPages(tenantIds: string[] | "all", filters: ActivityFilters, pageSize = 1000): AsyncGenerator<ActivityRow[]> {
  const ascending = filters.direction === "asc";
  let cursor: readonly [string, number] | null = null;
  for (;;) {
    const rows = await selectEvents(tenantIds, filters, ascending, cursor, pageSize);
    const pageRows = rows.slice(0, pageSize);
    if (pageRows.length) yield pageRows.map(({ cursorKey: _key, ...row }) => row);
    if (rows.length <= pageSize) return;
    const last = pageRows[pageRows.length - 1];
    cursor = [last.cursorKey, last.id];
  }
}
