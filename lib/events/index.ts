import "server-only";
import { sql, type Placeholder, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { directoryEvents, groupMembers } from "../db/schema";
import type { DirectoryEventRow } from "../db/queries/directory-events";

/**
 * The directory event outbox's one home. Every directory change and sign-in writes its event
 * with the change, in the same statement (as a WITH query) or the same transaction, so a change
 * that rolls back leaves no event and an event always describes a committed change. Readers:
 * lib/db/queries/directory-events.ts (the feed, /api/v1/events) and lib/webhooks.
 */

export const DIRECTORY_EVENT_TYPES = [
  "user.created",
  "user.updated",
  "user.deactivated",
  "user.reactivated",
  "user.deleted",
  "user.role_changed",
  "user.signed_in",
  "group.created",
  "group.updated",
  "group.deleted",
  "group.member_added",
  "group.member_removed",
  "group.role_changed",
] as const;

export type DirectoryEventType = (typeof DIRECTORY_EVENT_TYPES)[number];

export const isDirectoryEventType = (value: string): value is DirectoryEventType => (DIRECTORY_EVENT_TYPES as readonly string[]).includes(value);

export type DirectoryEventInput = {
  tenantId: string;
  type: DirectoryEventType;
  resourceType: "user" | "group";
  resourceId: string;
  payload: Record<string, unknown>;
};

/** What an event says of a user: identifiers and the attributes a host application syncs, never a secret. */
export type UserFacts = {
  id: string;
  userName: string;
  externalId?: string | null;
  name?: string | null;
  email?: string | null;
  active?: boolean;
  source?: string;
};

export function userPayload(user: Omit<UserFacts, "id">) {
  return {
    userName: user.userName,
    ...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
    ...(user.name !== undefined ? { displayName: user.name } : {}),
    ...(user.email !== undefined ? { email: user.email } : {}),
    ...(user.active !== undefined ? { active: user.active } : {}),
    ...(user.source !== undefined ? { source: user.source } : {}),
  };
}

export function userEvent(type: DirectoryEventType, tenantId: string, user: UserFacts, extra: Record<string, unknown> = {}): DirectoryEventInput {
  const { id, ...facts } = user;
  return { tenantId, type, resourceType: "user", resourceId: id, payload: { ...userPayload(facts), ...extra } };
}

/** The user event of an update: deactivated / reactivated when `active` flipped, else updated. */
export function userChangeType(before: { active: boolean }, after: { active: boolean }): DirectoryEventType {
  if (before.active && !after.active) return "user.deactivated";
  if (!before.active && after.active) return "user.reactivated";
  return "user.updated";
}

export type GroupFacts = { id: string; displayName: string; externalId?: string | null };

export function groupEvent(type: DirectoryEventType, tenantId: string, group: GroupFacts, extra: Record<string, unknown> = {}): DirectoryEventInput {
  return {
    tenantId,
    type,
    resourceType: "group",
    resourceId: group.id,
    payload: { displayName: group.displayName, ...(group.externalId !== undefined ? { externalId: group.externalId } : {}), ...extra },
  };
}

/** Writes events in the caller's transaction (or as one statement of its own). */
export async function recordEvents(db: Db, events: DirectoryEventInput[]) {
  if (events.length === 0) return;
  await eventInsert(db, events);
}

/** An event as an insert's values: any of them may come from the statement (SQL) or a prepared statement's placeholder. */
type EventValues = { [K in keyof DirectoryEventInput]: DirectoryEventInput[K] | SQL | Placeholder };

/**
 * The insert of events, unrun: recordEvents runs it, and a statement carries it as a WITH query
 * (`db.$with(…).as(eventInsert(…))`) when a value is another WITH query's, such as a user's id
 * from its insert.
 */
export function eventInsert(db: Db, events: EventValues | EventValues[]) {
  return db.insert(directoryEvents).values(events as (typeof directoryEvents.$inferInsert)[]).returning({ id: directoryEvents.id });
}

/**
 * A WITH query for hand-written statements, as [name, body]: one `type` event per row of the
 * WITH query `source`, whose `user_id` column names the member (group membership statements).
 * The tenant and group may be placeholders of a prepared statement.
 */
export function memberEventsQuery(source: string, type: "group.member_added" | "group.member_removed", tenantId: string | Placeholder, groupId: string | Placeholder): [string, SQL] {
  return [
    "ev",
    sql`insert into ${directoryEvents} (tenant_id, type, resource_type, resource_id, payload)
      select ${tenantId}::uuid, ${type}, 'group', ${groupId}::uuid, jsonb_build_object('groupId', ${groupId}::text, 'userId', s.user_id::text)
      from ${sql.identifier(source)} s
      returning id`,
  ];
}

/**
 * A user's deletion ends its memberships (foreign key cascade) without a word: these are the
 * `group.member_removed` events that say so, written before the `user.deleted` event (same
 * transaction, lower ids), so a consumer sees the leaves, then the deletion.
 */
export function memberRemovedEvents(tenantId: string, userId: string, groupIds: string[]): DirectoryEventInput[] {
  return [...groupIds].sort().map((groupId) => ({ tenantId, type: "group.member_removed", resourceType: "group", resourceId: groupId, payload: { groupId, userId } }));
}

/** memberRemovedEvents as one set-based statement over the user's memberships, run before they go. */
export async function recordMembershipsEnding(db: Db, tenantId: string, userId: string) {
  await db.execute(sql`
    insert into ${directoryEvents} (tenant_id, type, resource_type, resource_id, payload)
    select ${tenantId}::uuid, 'group.member_removed', 'group', gm.group_id, jsonb_build_object('groupId', gm.group_id::text, 'userId', gm.user_id::text)
    from ${groupMembers} gm
    where gm.tenant_id = ${tenantId}::uuid and gm.user_id = ${userId}::uuid
    order by gm.group_id`);
}

/** An event as the API and webhooks show it: `data` is the resource's id and what the event recorded. */
export function renderEvent(tenantId: string, event: DirectoryEventRow) {
  return {
    cursor: event.cursor,
    id: String(event.id),
    type: event.type as DirectoryEventType,
    tenantId,
    resourceType: event.resourceType as "user" | "group",
    resourceId: event.resourceId,
    occurredAt: event.createdAt.toISOString(),
    data: { id: event.resourceId, ...event.payload },
  };
}
