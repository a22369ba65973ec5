import "server-only";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { auditEvents, groupMembers, groups, sessions, tenants, users } from "../schema";
import { compileFilter, compileOrder, totalFromFirstPage, userLookupOf, workEmailCondition, type FilterTarget, type UserLookup } from "../scim-filter-sql";
import type { FilterNode } from "../../scim/filter";
import { uniqueness } from "../../scim/errors";
import type { UserColumns } from "../../scim/resources/user";
import { isIssuedId } from "../../uuid";
import { insertUser, userInsertStatement } from "./users";
import { auditInsert, auditParams, auditPlaceholders, auditRow, type AuditInput } from "./audit";
import { addToTenantCounts, randomShard, tenantCount } from "./tenant-counters";
import { normalizeUserName } from "../../identity/normalize";
import { eventInsert, userPayload, type DirectoryEventInput } from "../../events";

export const userFilterTarget: FilterTarget = {
  resourceType: "User",
  columns: {
    id: sql`${users.id}`,
    doc: sql`${users.scim}`,
    userNameNormalized: sql`${users.userNameNormalized}`,
    externalId: sql`${users.externalId}`,
    workEmails: sql`${users.workEmails}`,
    active: sql`${users.active}`,
    created: sql`${users.createdAt}`,
    lastModified: sql`${users.updatedAt}`,
  },
};

export type UserGroupRef = { value: string; display: string };

export type ScimUserRow = {
  id: string;
  doc: Record<string, unknown>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  groups?: UserGroupRef[];
};

const rowColumns = {
  id: users.id,
  doc: users.scim,
  version: users.version,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

/**
 * SCIM reaches only the users it provisioned: console-created (Local) users are neither read,
 * changed nor deleted through a provisioning token; a tenant that links on creation adopts
 * one through an explicit, audited POST (security review L-2).
 */
const provisioned = (tenantId: string) => and(eq(users.tenantId, tenantId), eq(users.source, "scim"));

/** The user's groups, aggregated in the same statement (no N+1 over a page). */
const groupsOfUser = sql<UserGroupRef[]>`coalesce((
  select json_agg(json_build_object('value', g.id, 'display', g.display_name) order by g.display_name)
  from ${groupMembers} gm join ${groups} g on g.id = gm.group_id
  where gm.user_id = "users"."id" and gm.tenant_id = "users"."tenant_id"
), '[]'::json)`;

function userByIdQuery(db: Db, withGroups: boolean) {
  return db
    .select(withGroups ? { ...rowColumns, groups: groupsOfUser } : rowColumns)
    .from(users)
    .where(and(eq(users.tenantId, sql.placeholder("tenantId")), eq(users.source, "scim"), eq(users.id, sql.placeholder("userId"))))
    .limit(1);
}

// GET /Users/{id} is Entra's most frequent read: a named prepared statement per database
// handle, so PostgreSQL parses and plans it once per connection.
const preparedById = new WeakMap<Db, { withGroups: ReturnType<typeof prepareById>; without: ReturnType<typeof prepareById> }>();
const prepareById = (db: Db, withGroups: boolean) => userByIdQuery(db, withGroups).prepare(withGroups ? "scim_user_by_id_groups" : "scim_user_by_id");

export async function getScimUser(tenantId: string, userId: string, withGroups = true, db?: Db): Promise<ScimUserRow | undefined> {
  if (!isIssuedId(userId)) return undefined;
  let rows: unknown[];
  if (db) rows = await userByIdQuery(db, withGroups).execute({ tenantId, userId });
  else {
    const shared = await getDb();
    let prepared = preparedById.get(shared);
    if (!prepared) preparedById.set(shared, (prepared = { withGroups: prepareById(shared, true), without: prepareById(shared, false) }));
    rows = await (withGroups ? prepared.withGroups : prepared.without).execute({ tenantId, userId });
  }
  return rows[0] as ScimUserRow | undefined;
}

export type ListQuery = {
  filter?: FilterNode;
  startIndex: number;
  count: number;
  sortBy?: string;
  sortOrder: "ascending" | "descending";
  withGroups: boolean;
};

// Entra matches every user it provisions with one of three filters (userName, externalId or
// the work email, lib/db/scim-filter-sql.ts userLookupOf): built once, one indexed read of the
// columns a User response is rendered from, in creation order as compileOrder orders an
// unsorted list. userName and externalId are named prepared statements, as GET /Users/{id}
// is: their plan (the tenant's unique or composite index) is right for every tenant. The work
// email's is not: once PostgreSQL switches a prepared statement to its generic plan, it
// estimates a tenant at the average size and walks the tenant's index instead of the global
// GIN index of work emails (measured at 1M users: 496 ms instead of 61 ms with one
// connection). So it is sent unnamed ("" in node-postgres) and planned for its values on each
// execution.
type LookupStatement = { execute: (values: { tenantId: string; value: string; limit: number; offset: number }) => Promise<unknown[]> };
const LOOKUP_STATEMENTS: Record<UserLookup["by"], string> = {
  userName: "scim_users_by_user_name",
  externalId: "scim_users_by_external_id",
  workEmail: "",
};
const preparedLookups = new WeakMap<Db, Map<string, LookupStatement>>();

function lookupCondition(by: UserLookup["by"]) {
  const value = sql.placeholder("value");
  if (by === "userName") return eq(users.userNameNormalized, value);
  if (by === "externalId") return eq(users.externalId, value);
  return workEmailCondition({ doc: sql`${users.scim}`, workEmails: sql`${users.workEmails}` }, sql`${value}`);
}

function preparedLookup(db: Db, by: UserLookup["by"], withGroups: boolean): LookupStatement {
  let statements = preparedLookups.get(db);
  if (!statements) preparedLookups.set(db, (statements = new Map()));
  const key = `${by}${withGroups ? "_groups" : ""}`;
  const name = LOOKUP_STATEMENTS[by] && `${LOOKUP_STATEMENTS[by]}${withGroups ? "_groups" : ""}`;
  let statement = statements.get(key);
  if (!statement) {
    statement = db
      .select(withGroups ? { ...rowColumns, groups: groupsOfUser } : rowColumns)
      .from(users)
      .where(and(eq(users.tenantId, sql.placeholder("tenantId")), eq(users.source, "scim"), lookupCondition(by)))
      .orderBy(users.createdAt, users.id)
      .limit(sql.placeholder("limit"))
      .offset(sql.placeholder("offset"))
      .prepare(name) as LookupStatement;
    statements.set(key, statement);
  }
  return statement;
}

async function filteredCount(db: Db, where: SQL | undefined) {
  return db.select({ n: sql<number>`count(*)::int` }).from(users).where(where).then((r) => r[0]?.n ?? 0);
}

export async function listScimUsers(tenantId: string, query: ListQuery) {
  const db = await getDb();
  const lookup = query.filter && !query.sortBy ? userLookupOf(query.filter) : undefined;
  if (lookup) {
    const rows = query.count === 0
      ? []
      : await preparedLookup(db, lookup.by, query.withGroups).execute({ tenantId, value: lookup.value, limit: query.count, offset: query.startIndex - 1 });
    const totalResults = totalFromFirstPage(query, rows.length) ?? (await filteredCount(db, and(provisioned(tenantId), compileFilter(query.filter!, userFilterTarget))));
    return { totalResults, rows: rows as ScimUserRow[] };
  }
  const where = and(provisioned(tenantId), query.filter ? compileFilter(query.filter, userFilterTarget) : undefined);
  const order = compileOrder(query.sortBy, query.sortOrder, userFilterTarget);
  // Deferred join: the offset walks only the ordering index (an index-only scan of ids), and
  // documents and groups are read for the page's rows alone, so a deep startIndex stays cheap.
  const pageIds = db.select({ id: users.id }).from(users).where(where).orderBy(...order).limit(query.count).offset(query.startIndex - 1);
  const rows =
    query.count === 0
      ? []
      : await db
          .select(query.withGroups ? { ...rowColumns, groups: groupsOfUser } : rowColumns)
          .from(users)
          .where(and(eq(users.tenantId, tenantId), inArray(users.id, pageIds)))
          .orderBy(...order);
  // Unfiltered, the tenant's user counter minus the (few, partially indexed) users SCIM may not see.
  const totalResults: number =
    totalFromFirstPage(query, rows.length) ??
    (query.filter
      ? await filteredCount(db, where)
      : await db
          .select({
            n: sql<number>`greatest(${tenantCount("users")} - (select count(*)::int from ${users} where ${users.tenantId} = ${tenants.id} and ${users.source} <> 'scim'), 0)`,
          })
          .from(tenants)
          .where(eq(tenants.id, tenantId))
          .then((r) => r[0]?.n ?? 0));
  return { totalResults, rows: rows as ScimUserRow[] };
}

/** Derived SCIM columns → table columns (`displayName` is the Auth.js `name`). */
function dbColumns({ displayName, ...rest }: UserColumns) {
  return { ...rest, name: displayName };
}

/**
 * The Local user a SCIM create links to (userLinking = link): the one with this userName, else
 * the one with this externalId. externalId is not unique, so several matches are refused.
 */
export async function findLinkableLocalUser(db: Db, tenantId: string, columns: UserColumns) {
  const rows = await db
    .select({ id: users.id, userNameNormalized: users.userNameNormalized })
    .from(users)
    .where(
      and(
        eq(users.tenantId, tenantId),
        eq(users.source, "local"),
        columns.externalId
          ? sql`(${users.userNameNormalized} = ${columns.userNameNormalized} or ${users.externalId} = ${columns.externalId})`
          : eq(users.userNameNormalized, columns.userNameNormalized),
      ),
    )
    .limit(3);
  const byUserName = rows.find((row) => row.userNameNormalized === columns.userNameNormalized);
  if (byUserName) return { id: byUserName.id };
  if (rows.length > 1) {
    throw uniqueness(`externalId ${JSON.stringify(columns.externalId)} matches ${rows.length === 2 ? 2 : "several"} Local users; link one by giving it this userName`);
  }
  return rows[0] ? { id: rows[0].id } : undefined;
}

/** Inserts a provisioned user in the caller's transaction (the create that links or grants a role; see createScimUser). */
export async function insertScimUser(db: Db, tenantId: string, doc: Record<string, unknown>, columns: UserColumns): Promise<ScimUserRow> {
  const { userNameNormalized: _key, ...rest } = dbColumns(columns);
  const row = await insertUser(db, tenantId, { ...rest, scim: doc, source: "scim", loginMethod: "sso" });
  return { id: row.id, doc: row.scim, version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

/**
 * Entra's every create (POST /Users, no linking, no admin role): the user, the tenant's count,
 * the audit row and the `user.created` event in one statement, built once per database handle as
 * a named prepared statement. The query builder and PostgreSQL's parse and plan of this
 * four-table statement cost more per create than its execution (docs/BENCHMARKS.md).
 */
export async function createScimUser(db: Db, tenantId: string, doc: Record<string, unknown>, columns: UserColumns, audit: AuditInput): Promise<ScimUserRow> {
  let statement = preparedCreates.get(db);
  if (!statement) preparedCreates.set(db, (statement = prepareCreate(db)));
  const [created] = await statement.execute({
    tenantId,
    userName: columns.userName,
    userNameNormalized: normalizeUserName(columns.userName),
    externalId: columns.externalId,
    name: columns.displayName,
    givenName: columns.givenName,
    familyName: columns.familyName,
    email: columns.email,
    workEmails: JSON.stringify(columns.workEmails),
    active: columns.active,
    userType: columns.userType,
    scim: JSON.stringify(doc),
    shard: randomShard(),
    ...auditParams(await auditRow(audit)),
    payload: JSON.stringify(userPayload({ userName: columns.userName, externalId: columns.externalId, name: columns.displayName, email: columns.email, active: columns.active, source: "scim" })),
  });
  return created as ScimUserRow;
}

const preparedCreates = new WeakMap<Db, ReturnType<typeof prepareCreate>>();

function prepareCreate(db: Db) {
  const p = (name: string) => sql.placeholder(name);
  const audit = auditPlaceholders();
  return userInsertStatement(db, {
    tenantId: p("tenantId"),
    values: {
      userName: p("userName"),
      userNameNormalized: p("userNameNormalized"),
      externalId: p("externalId"),
      name: p("name"),
      givenName: p("givenName"),
      familyName: p("familyName"),
      email: p("email"),
      workEmails: sql`(select coalesce(array_agg(e), '{}'::text[]) from jsonb_array_elements_text(${p("workEmails")}::jsonb) e)`,
      active: p("active"),
      userType: p("userType"),
      scim: sql`${p("scim")}::jsonb`,
      source: "scim",
      loginMethod: "sso",
    },
    payload: sql`${p("payload")}::jsonb`,
    returning: rowColumns,
    shard: p("shard"),
    also: (inserted) => [
      db.$with("audited_user").as(
        db
          .insert(auditEvents)
          .values({
            tenantId: audit.auditTenantId,
            actorType: audit.actorType,
            actorId: audit.actorId,
            actorLabel: audit.actorLabel,
            action: audit.action,
            targetType: audit.targetType,
            targetId: sql`(select id::text from ${inserted})`,
            targetLabel: audit.targetLabel,
            outcome: audit.outcome,
            requestId: audit.requestId,
            details: sql`${audit.details}::jsonb`,
          })
          .returning({ id: auditEvents.id }),
      ),
    ],
  }).prepare("scim_user_create");
}

/** Adopts a pre-existing Local user as SCIM-sourced (tenant setting userLinking = link). */
export async function adoptLocalUser(db: Db, tenantId: string, userId: string, doc: Record<string, unknown>, columns: UserColumns) {
  const [row] = await db
    .update(users)
    .set({ ...dbColumns(columns), scim: doc, source: "scim", version: sql`${users.version} + 1`, updatedAt: new Date() })
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
    .returning(rowColumns);
  return row as ScimUserRow;
}

/** Locks the user row for a read-modify-write of its document (PATCH/PUT). */
export async function lockScimUser(db: Db, tenantId: string, userId: string) {
  if (!isIssuedId(userId)) return undefined;
  const [row] = await db
    .select({ ...rowColumns, active: users.active })
    .from(users)
    .where(and(provisioned(tenantId), eq(users.id, userId)))
    .for("update")
    .limit(1);
  return row as (ScimUserRow & { active: boolean }) | undefined;
}

/** The rows a user write records beside itself: its audit rows and directory events. */
export type WriteRecords = { audits: AuditInput[]; events: DirectoryEventInput[] };

/**
 * Writes the user's new document and returns the updated resource, groups included, in one
 * statement with the write's audit rows and events and, for a deactivation, the end of the
 * user's sessions. The caller holds the row's lock (lockScimUser), so the update always matches.
 */
export async function updateScimUser(db: Db, tenantId: string, userId: string, doc: Record<string, unknown>, columns: UserColumns, records: WriteRecords) {
  const updated = db.$with("updated_user").as(
    db
      .update(users)
      .set({ ...dbColumns(columns), scim: doc, version: sql`${users.version} + 1`, updatedAt: new Date() })
      .where(and(provisioned(tenantId), eq(users.id, userId)))
      .returning({ ...rowColumns, groups: sql<UserGroupRef[]>`${groupsOfUser}`.as("groups") }),
  );
  const audits = await Promise.all(records.audits.map(auditRow));
  const also = [
    ...(audits.length ? [db.$with("audited_user").as(auditInsert(db, audits))] : []),
    ...(records.events.length ? [db.$with("evented_user").as(eventInsert(db, records.events))] : []),
    ...(columns.active ? [] : [db.$with("ended_sessions").as(db.delete(sessions).where(eq(sessions.userId, userId)).returning({ userId: sessions.userId }))]),
  ];
  const [row] = await db.with(updated, ...also).select().from(updated);
  return row as ScimUserRow;
}

export async function deleteScimUser(db: Db, tenantId: string, userId: string) {
  if (!isIssuedId(userId)) return false;
  // Keep the groups' maintained member counts right before the cascade removes memberships.
  await db.execute(sql`update ${groups} set member_count = member_count - 1, version = version + 1, updated_at = now()
    where id in (select gm.group_id from ${groupMembers} gm join ${users} u on u.id = gm.user_id
      where gm.user_id = ${userId} and gm.tenant_id = ${tenantId} and u.source = 'scim')`);
  const deleted = await db
    .delete(users)
    .where(and(provisioned(tenantId), eq(users.id, userId)))
    .returning({ id: users.id });
  if (deleted.length === 0) return false;
  await addToTenantCounts(db, tenantId, { users: -1 });
  return true;
}
