import "server-only";
import { z } from "zod";
import { defineOperation } from "./operation";
import { ApiProblem } from "./problem";
import { assertTenantAccess, type ApiKeyPrincipal } from "./auth";
import { decodeEventCursor, encodeEventCursor, listDirectoryEvents, START_POSITION, type EventPosition } from "../db/queries/directory-events";
import { getEventHorizon, type EventHorizon } from "../db/queries/retention";
import { env } from "../env";
import { DIRECTORY_EVENT_TYPES, renderEvent } from "../events";

export const eventSchema = z
  .object({
    cursor: z.string().meta({ description: "This event's position: pass it as `after` to read the events after it. 39 digits; later events have greater cursors." }),
    id: z.string().meta({ description: "The event's id, also the `webhook-id` (`msg_<id>`) of its webhook deliveries." }),
    type: z.enum(DIRECTORY_EVENT_TYPES),
    tenantId: z.uuid(),
    resourceType: z.enum(["user", "group"]),
    resourceId: z.uuid(),
    occurredAt: z.iso.datetime(),
    data: z.record(z.string(), z.unknown()).meta({ description: "The resource's attributes after the change (user: userName, externalId, displayName, email, active, source; group: displayName, externalId; membership: groupId, userId; role: role, previousRole; sign-in: method)." }),
  })
  .meta({ id: "Event" });

export const eventPageSchema = z
  .object({
    events: z.array(eventSchema),
    nextCursor: z.string().meta({ description: "Where the next request starts (`after`): the last event's cursor, or the `after` you sent when no event is newer." }),
  })
  .meta({ id: "EventPage" });

export const listEventsOperation = defineOperation({
  operationId: "listEvents",
  method: "get",
  path: "/api/v1/events",
  summary: "Directory events after a cursor",
  description:
    "Every user, group, membership, role and sign-in change of the tenant, in order. An event appears once the transaction that wrote it, and every transaction older than it, has finished, so paging with `after=<nextCursor>` never skips or repeats an event, whatever the number of writers. Events are kept EVENT_RETENTION_DAYS (default 30) days: a cursor from before the events pruned since is answered 410 Gone (resync the directory, then read from the cursor the problem's detail names), never with a page that silently misses them.",
  tags: ["Events"],
  scope: "read",
  query: z.strictObject({
    after: z.string().optional().meta({ description: "A cursor from a previous page; omit (or 0) to start at the oldest event still kept." }),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    tenantId: z.string().optional().meta({ description: "Required with a platform key; a tenant key reads its own tenant." }),
    types: z.string().optional().meta({ description: "Comma-separated event types to return, e.g. `user.created,user.deleted`." }),
  }),
  response: eventPageSchema,
  gone: "The cursor is older than the events kept (EVENT_RETENTION_DAYS): resync the directory, then resume from the cursor the detail names",
});

async function tenantOf(key: ApiKeyPrincipal, requested: string | undefined) {
  if (!key.platform) {
    if (requested !== undefined) return assertTenantAccess(key, requested);
    return key.tenantId!;
  }
  if (!requested) throw new ApiProblem("invalid-request", "A platform key names the tenant: add tenantId=<id>.", { errors: [{ name: "query.tenantId", reason: "required with a platform key" }] });
  return assertTenantAccess(key, requested);
}

export async function listEvents(key: ApiKeyPrincipal, query: { after?: string; limit: number; tenantId?: string; types?: string }) {
  const tenantId = await tenantOf(key, query.tenantId);
  const position = decodeEventCursor(query.after);
  if (!position) throw new ApiProblem("invalid-request", "after must be a cursor from a previous page (39 digits) or 0.", { errors: [{ name: "query.after", reason: "not a cursor" }] });
  const types = query.types?.split(",").map((t) => t.trim()).filter(Boolean);
  const unknown = types?.find((t) => !(DIRECTORY_EVENT_TYPES as readonly string[]).includes(t));
  if (unknown) throw new ApiProblem("invalid-request", `Unknown event type ${JSON.stringify(unknown.slice(0, 60))}.`, { errors: [{ name: "query.types", reason: "unknown event type" }] });
  const fromStart = position.txId === START_POSITION.txId && position.id === START_POSITION.id;
  // From the start: the oldest event kept. Otherwise the horizon is read after the page, so a
  // prune that committed before the page was read is always seen, and the page refused.
  const start: EventPosition = fromStart ? ((await getEventHorizon(tenantId)) ?? START_POSITION) : position;
  const rows = await listDirectoryEvents(tenantId, start, query.limit, { types });
  if (!fromStart) {
    const horizon = await getEventHorizon(tenantId);
    if (horizon && isBefore(position, horizon)) throw goneProblem(horizon);
  }
  const events = rows.map((row) => renderEvent(tenantId, row));
  return { events, nextCursor: events.length ? events[events.length - 1].cursor : encodeEventCursor(start) };
}

const isBefore = (a: EventPosition, b: EventPosition) => BigInt(a.txId) < BigInt(b.txId) || (a.txId === b.txId && a.id < b.id);

function goneProblem(horizon: EventHorizon) {
  const days = env().EVENT_RETENTION_DAYS;
  return new ApiProblem(
    "gone",
    `Events up to ${horizon.eventCreatedAt.toISOString()} were removed after ${days} days (EVENT_RETENTION_DAYS) and this cursor is older: events after it are missing. ` +
      `Resync the directory (users and groups), then read events from after=${encodeEventCursor(horizon)} (resumeAfter).`,
    { resumeAfter: encodeEventCursor(horizon) },
  );
}
