import "server-only";
import { and, eq, sql, type Placeholder, type SQL } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { auditEvents, groupMembers, groups, tenants, users } from "../schema";
import { auditParams, auditPlaceholders, auditRow, type AuditInput, type AuditParam } from "./audit";
import { compileFilter, compileOrder, totalFromFirstPage, type FilterTarget } from "../scim-filter-sql";
import { invalidValue } from "../../scim/errors";
import type { ListQuery } from "./scim-users";
import { isIssuedId } from "../../uuid";
import { addToTenantCounts, tenantCount } from "./tenant-counters";
import { memberEventsQuery } from "../../events";

export const groupFilterTarget: FilterTarget = {
  resourceType: "Group",
  columns: {
    id: sql`${groups.id}`,
    doc: sql`${groups.scim}`,
    externalId: sql`${groups.externalId}`,
    displayNameNormalized: sql`${groups.displayNameNormalized}`,
    created: sql`${groups.createdAt}`,
    lastModified: sql`${groups.updatedAt}`,
    members: (values) => {
      const ids = values.filter(isIssuedId);
      if (ids.length === 0) return sql`false`;
      return sql`exists (select 1 from ${groupMembers} gm where gm.group_id = ${groups.id} and gm.user_id in ${ids})`;
    },
  },
};

export type GroupMemberRef = { value: string; display: string | null };

export type ScimGroupRow = {
  id: string;
  doc: Record<string, unknown>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  members?: GroupMemberRef[];
};

const rowColumns = {
  id: groups.id,
  doc: groups.scim,
  version: groups.version,
  createdAt: groups.createdAt,
  updatedAt: groups.updatedAt,
};

const membersOfGroup = sql<GroupMemberRef[]>`coalesce((
  select json_agg(json_build_object('value', u.id, 'display', coalesce(u.name, u.user_name)) order by gm.created_at, u.id)
  from ${groupMembers} gm join ${users} u on u.id = gm.user_id
  where gm.group_id = "groups"."id"
), '[]'::json)`;

export async function getScimGroup(tenantId: string, groupId: string, withMembers = true, db?: Db) {
  if (!isIssuedId(groupId)) return undefined;
  const handle = db ?? (await getDb());
  const [row] = await handle
    .select(withMembers ? { ...rowColumns, members: membersOfGroup } : rowColumns)
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), eq(groups.id, groupId)))
    .limit(1);
  return row as ScimGroupRow | undefined;
}

export async function listScimGroups(tenantId: string, query: Omit<ListQuery, "withGroups"> & { withMembers: boolean }) {
  const db = await getDb();
  const where = and(eq(groups.tenantId, tenantId), query.filter ? compileFilter(query.filter, groupFilterTarget) : undefined);
  const rows =
    query.count === 0
      ? []
      : await db
          .select(query.withMembers ? { ...rowColumns, members: membersOfGroup } : rowColumns)
          .from(groups)
          .where(where)
          .orderBy(...compileOrder(query.sortBy, query.sortOrder, groupFilterTarget))
          .limit(query.count)
          .offset(query.startIndex - 1);
  // Unfiltered, the tenant's group counter answers.
  const totalResults: number = query.filter
    ? (totalFromFirstPage(query, rows.length) ?? (await db.select({ n: sql<number>`count(*)::int` }).from(groups).where(where).then((r) => r[0]?.n ?? 0)))
    : await db.select({ n: tenantCount("groups") }).from(tenants).where(eq(tenants.id, tenantId)).then((r) => r[0]?.n ?? 0);
  return { totalResults, rows: rows as ScimGroupRow[] };
}

export type GroupColumns = { displayName: string; displayNameNormalized: string; externalId: string | null };

export async function insertScimGroup(db: Db, tenantId: string, doc: Record<string, unknown>, columns: GroupColumns) {
  const [row] = await db.insert(groups).values({ tenantId, ...columns, scim: doc, source: "scim" }).returning(rowColumns);
  await addToTenantCounts(db, tenantId, { groups: 1 });
  return row as ScimGroupRow;
}

export async function lockScimGroup(db: Db, tenantId: string, groupId: string) {
  if (!isIssuedId(groupId)) return undefined;
  const [row] = await db
    .select(rowColumns)
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), eq(groups.id, groupId)))
    .for("update")
    .limit(1);
  return row as ScimGroupRow | undefined;
}

export async function updateScimGroup(db: Db, tenantId: string, groupId: string, doc: Record<string, unknown>, columns: GroupColumns) {
  const [row] = await db
    .update(groups)
    .set({ ...columns, scim: doc, version: sql`${groups.version} + 1`, updatedAt: new Date() })
    .where(and(eq(groups.tenantId, tenantId), eq(groups.id, groupId)))
    .returning(rowColumns);
  return row as ScimGroupRow;
}

export async function deleteScimGroup(db: Db, tenantId: string, groupId: string) {
  if (!isIssuedId(groupId)) return false;
  const deleted = await db
    .delete(groups)
    .where(and(eq(groups.tenantId, tenantId), eq(groups.id, groupId)))
    .returning({ id: groups.id });
  if (deleted.length === 0) return false;
  await addToTenantCounts(db, tenantId, { groups: -1 });
  return true;
}

type MemberStatementResult = { group_found: boolean; users_found: number; changed: number };

/** A value of a member statement: a parameter, or a placeholder of its prepared form. */
type Value = string | number | null | Placeholder;
type Key = string | Placeholder;

/** A member statement as its WITH queries, so it runs as one raw statement or as a prepared one. */
type MemberStatement = { queries: [name: string, body: SQL][]; result: SQL };

/**
 * Adds members with one statement: single-row inserts of (group, user), never a rewrite of
 * the member list, so a 100k-member group costs what a 2-member group costs and parallel
 * PATCHes lose nothing. Every id must be a user of this tenant, or nothing is added. Each
 * membership it adds writes its `group.member_added` event in the same statement. Entra's
 * shape (one member, audited) is a named prepared statement.
 */
export async function addGroupMembers(db: Db, tenantId: string, groupId: string, userIds: string[], event?: AuditInput) {
  if (!isIssuedId(groupId)) return { notFound: true as const, changed: 0 };
  const ids = unique(userIds);
  if (ids.some((id) => !isIssuedId(id))) throw invalidValue("Every member value must be the id of a User");
  if (ids.length === 0) return { changed: 0 };
  const row =
    ids.length === 1 && event
      ? await runPrepared(db, "add", { tenantId, groupId, userId: ids[0], ...(await auditValues(event)) })
      : await runRaw(db, addMembersStatement(tenantId, groupId, sql`${ids}`, ids.length, event && (await auditValues(event))));
  if (!row.group_found) return { notFound: true as const, changed: 0 };
  if (row.users_found !== ids.length) throw invalidValue("One or more members are not users of this tenant");
  return { changed: row.changed };
}

function addMembersStatement(tenantId: Key, groupId: Key, idList: SQL, idCount: Value, audit?: AuditValues): MemberStatement {
  return {
    queries: [
      ["g", sql`select id from ${groups} where tenant_id = ${tenantId}::uuid and id = ${groupId}::uuid`],
      ["u", sql`select id from ${users} where tenant_id = ${tenantId}::uuid and id in ${idList}`],
      ["ok", sql`select (select count(*) from u) = ${idCount}::int as all_found`],
      ["ins", sql`insert into ${groupMembers} (group_id, user_id, tenant_id)
      select g.id, u.id, ${tenantId}::uuid from g, u, ok where ok.all_found
      on conflict do nothing
      returning user_id`],
      ["upd", sql`update ${groups} set member_count = member_count + (select count(*) from ins), version = version + 1, updated_at = now()
      where id = (select id from g) and (select all_found from ok)
      returning id`],
      ...auditQuery(audit),
      memberEventsQuery("ins", "group.member_added", tenantId, groupId),
    ],
    result: sql`select exists(select 1 from g) as group_found, (select count(*) from u)::int as users_found,
      (select count(*) from ins)::int as changed`,
  };
}

/**
 * Removes members with one statement (single-row deletes), each with its `group.member_removed`
 * event. Unknown ids are ignored. `{ except }`: every member but these (a PUT's new list).
 * Entra's shape (one member, audited) is a named prepared statement.
 */
export async function removeGroupMembers(db: Db, tenantId: string, groupId: string, userIds: string[] | "all" | { except: string[] }, event?: AuditInput) {
  if (!isIssuedId(groupId)) return { notFound: true as const, changed: 0 };
  const ids = Array.isArray(userIds) ? unique(userIds).filter(isIssuedId) : [];
  if (Array.isArray(userIds) && ids.length === 0) return { changed: 0 };
  const kept = typeof userIds === "object" && !Array.isArray(userIds) ? unique(userIds.except).filter(isIssuedId) : [];
  const which = Array.isArray(userIds) ? sql`user_id in ${ids}` : kept.length ? sql`user_id not in ${kept}` : sql`true`;
  const row =
    ids.length === 1 && event
      ? await runPrepared(db, "remove", { tenantId, groupId, userId: ids[0], ...(await auditValues(event)) })
      : await runRaw(db, removeMembersStatement(tenantId, groupId, which, event && (await auditValues(event))));
  if (!row.group_found) return { notFound: true as const, changed: 0 };
  return { changed: row.changed };
}

function removeMembersStatement(tenantId: Key, groupId: Key, which: SQL, audit?: AuditValues): MemberStatement {
  return {
    queries: [
      ["g", sql`select id from ${groups} where tenant_id = ${tenantId}::uuid and id = ${groupId}::uuid`],
      ["del", sql`delete from ${groupMembers} where group_id = (select id from g) and tenant_id = ${tenantId}::uuid and ${which}
      returning user_id`],
      ["upd", sql`update ${groups} set member_count = greatest(member_count - (select count(*) from del), 0), version = version + 1, updated_at = now()
      where id = (select id from g)
      returning id`],
      ...auditQuery(audit),
      memberEventsQuery("del", "group.member_removed", tenantId, groupId),
    ],
    result: sql`select exists(select 1 from g) as group_found, 0 as users_found, (select count(*) from del)::int as changed`,
  };
}

async function runRaw(db: Db, statement: MemberStatement) {
  const queries = sql.join(statement.queries.map(([name, body]) => sql`${sql.identifier(name)} as (${body})`), sql`, `);
  return firstRow<MemberStatementResult>(await db.execute(sql`with ${queries} ${statement.result}`));
}

/** The one-member add and remove, prepared once per database handle. */
const preparedMembers = new WeakMap<Db, Record<"add" | "remove", ReturnType<typeof prepareMember>>>();

async function runPrepared(db: Db, op: "add" | "remove", values: Record<string, unknown>) {
  let prepared = preparedMembers.get(db);
  if (!prepared) preparedMembers.set(db, (prepared = { add: prepareMember(db, "add"), remove: prepareMember(db, "remove") }));
  const [row] = await prepared[op].execute(values);
  return row as MemberStatementResult;
}

function prepareMember(db: Db, op: "add" | "remove") {
  const p = (name: string) => sql.placeholder(name);
  const audit = auditPlaceholders();
  const statement =
    op === "add"
      ? addMembersStatement(p("tenantId"), p("groupId"), sql`(${p("userId")}::uuid)`, 1, audit)
      : removeMembersStatement(p("tenantId"), p("groupId"), sql`user_id = ${p("userId")}::uuid`, audit);
  const queries = statement.queries.map(([name, body]) => db.$with(name, {}).as(body));
  const result = db
    .$with("result", {
      group_found: sql<boolean>`group_found`.as("group_found"),
      users_found: sql<number>`users_found`.as("users_found"),
      changed: sql<number>`changed`.as("changed"),
    })
    .as(statement.result);
  return db.with(...queries, result).select().from(result).prepare(`scim_group_member_${op}`);
}

type AuditValues = Record<AuditParam, Value>;

async function auditValues(event: AuditInput): Promise<AuditValues> {
  return auditParams(await auditRow(event));
}

/**
 * The audit row written by the same statement as the membership change (inserted only when
 * the group was updated), so a member PATCH costs one statement and needs no transaction.
 */
function auditQuery(audit: AuditValues | undefined): [string, SQL][] {
  if (!audit) return [];
  return [
    ["aud", sql`insert into ${auditEvents} (tenant_id, actor_type, actor_id, actor_label, action, target_type, target_id, target_label, outcome, request_id, details)
      select ${audit.auditTenantId}::uuid, ${audit.actorType}::text, ${audit.actorId}::text, ${audit.actorLabel}::text, ${audit.action}::text,
        ${audit.targetType}::text, ${audit.targetId}::text, g2.display_name, ${audit.outcome}::text, ${audit.requestId}::text, ${audit.details}::jsonb
      from upd join ${groups} g2 on g2.id = upd.id
      returning id`],
  ];
}

function firstRow<T>(result: unknown): T {
  const rows = Array.isArray(result) ? result : (result as { rows: T[] }).rows;
  return rows[0] as T;
}

function unique(values: string[]) {
  return [...new Set(values.map((v) => v.toLowerCase()))];
}
