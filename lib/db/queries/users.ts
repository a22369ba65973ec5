import "server-only";
import { and, asc, desc, eq, getTableColumns, ilike, inArray, or, sql, type Placeholder, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { WithSubquery } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { auditEvents, groupMembers, groups, roleMappings, sessions, tenantCounters, users, type User } from "../schema";
import { escapeLike } from "../like";
import { decodeCursor, encodeCursor, page } from "../keyset";
import { normalizeUserName } from "../../identity/normalize";
import { addToTenantCounts, counterUpsert } from "./tenant-counters";
import { eventInsert, memberRemovedEvents, recordEvents, userEvent, userPayload } from "../../events";
import { sessionIsLive, sessionRow } from "../../auth/session-store";

export type UserSort = "created" | "userName";
export type SortDirection = "asc" | "desc";

export type UserListFilters = {
  search?: string;
  source?: "scim" | "local";
  active?: boolean;
  sort?: UserSort;
  direction?: SortDirection;
  /** Opaque keyset cursors from a previous page. */
  after?: string;
  before?: string;
  limit?: number;
};

export const userListColumns = {
  id: users.id,
  userName: users.userName,
  name: users.name,
  email: users.email,
  active: users.active,
  source: users.source,
  loginMethod: users.loginMethod,
  lastSignInAt: users.lastSignInAt,
  createdAt: users.createdAt,
};

export type UserListRow = { [K in keyof typeof userListColumns]: User[K] };

const CURSOR = ["string", "string"] as const;

/**
 * One page of a tenant's users, keyset-paginated along an index (users_tenant_created_idx or
 * users_tenant_user_name_uq) so any page costs the same at 100k+ users. No count(*) here:
 * the unfiltered total is tenants.user_count; filtered lists only say whether more exist.
 */
export async function listUsers(tenantId: string, filters: UserListFilters = {}) {
  const db = await getDb();
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 200);
  const sort = filters.sort ?? "created";
  const direction = filters.direction ?? (sort === "created" ? "desc" : "asc");
  const before = decodeCursor(filters.before, CURSOR);
  const after = before ? null : decodeCursor(filters.after, CURSOR);
  // Walking backwards (the "previous" page) flips the order, then the rows are flipped back.
  const backwards = Boolean(before);
  const ascending = (direction === "asc") !== backwards;

  const where: (SQL | undefined)[] = [eq(users.tenantId, tenantId)];
  const search = filters.search?.trim();
  if (search) {
    const pattern = `%${escapeLike(search)}%`;
    where.push(
      or(
        sql`${users.userNameNormalized} like ${`%${escapeLike(normalizeUserName(search))}%`}`,
        ilike(users.name, pattern),
        ilike(users.email, pattern),
      ),
    );
  }
  if (filters.source) where.push(eq(users.source, filters.source));
  if (filters.active !== undefined) where.push(eq(users.active, filters.active));

  const cursor = before ?? after;
  const keyColumn = sort === "userName" ? sql`${users.userNameNormalized}` : sql`${users.createdAt}`;
  const keyValue = sort === "userName" ? sql`${cursor?.[0]}` : sql`${cursor?.[0]}::timestamptz`;
  if (cursor) {
    where.push(
      ascending
        ? sql`(${keyColumn}, ${users.id}) > (${keyValue}, ${cursor[1]}::uuid)`
        : sql`(${keyColumn}, ${users.id}) < (${keyValue}, ${cursor[1]}::uuid)`,
    );
  }
  const order = ascending ? asc : desc;
  const rows = await db
    .select({
      ...userListColumns,
      // Full-precision key text (timestamptz has microseconds; a JS Date only milliseconds).
      cursorKey: sort === "userName" ? users.userNameNormalized : sql<string>`${users.createdAt}::text`,
    })
    .from(users)
    .where(and(...where))
    .orderBy(order(sort === "userName" ? users.userNameNormalized : users.createdAt), order(users.id))
    .limit(limit + 1);

  const { rows: pageRows, more } = page(rows, limit, (row) => [row.cursorKey, row.id]);
  if (backwards) pageRows.reverse();
  const first = pageRows[0];
  const last = pageRows[pageRows.length - 1];
  return {
    rows: pageRows.map(({ cursorKey: _key, ...row }) => row) as UserListRow[],
    nextCursor: last && (backwards || more) ? encodeCursor([last.cursorKey, last.id]) : null,
    prevCursor: first && (backwards ? more : Boolean(after)) ? encodeCursor([first.cursorKey, first.id]) : null,
  };
}

export async function getUser(tenantId: string, userId: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
    .limit(1);
  if (!row) return undefined;
  const { passwordHash, ...rest } = row;
  return { ...rest, hasPassword: Boolean(passwordHash) };
}

export type UserDetail = NonNullable<Awaited<ReturnType<typeof getUser>>>;

/** Which tenant a user belongs to (for routes addressed by user id alone). */
export async function findUserTenantId(userId: string) {
  const db = await getDb();
  const [row] = await db.select({ tenantId: users.tenantId }).from(users).where(eq(users.id, userId)).limit(1);
  return row?.tenantId ?? null;
}

export async function findUsersByIds(tenantId: string, ids: string[]) {
  if (!ids.length) return [];
  const db = await getDb();
  return db
    .select({ id: users.id, userName: users.userName, name: users.name })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, ids)));
}

export async function listUserGroups(tenantId: string, userId: string, limit = 100) {
  const db = await getDb();
  return db
    .select({ id: groups.id, displayName: groups.displayName, source: groups.source })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groupMembers.tenantId, tenantId), eq(groupMembers.userId, userId)))
    .orderBy(asc(groups.displayNameNormalized))
    .limit(limit);
}

/** Session rows without their tokens: when each began and when it expires. */
export async function listUserSessions(tenantId: string, userId: string) {
  const db = await getDb();
  return db
    .select({ createdAt: sessions.createdAt, expires: sessions.expires })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(users.tenantId, tenantId), eq(sessions.userId, userId), sql`${sessions.expires} > now()`))
    .orderBy(desc(sessions.createdAt))
    .limit(50);
}

export async function listUserAuditEvents(tenantId: string, userId: string, limit = 10) {
  const db = await getDb();
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.targetId, userId)))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit);
}

export type LocalUserInput = {
  userName: string;
  givenName?: string;
  familyName?: string;
  displayName?: string;
  email?: string;
};

/** The SCIM-shaped document of a Local user, so the detail page reads both sources alike. */
function localScimDoc(input: LocalUserInput, active: boolean) {
  const formatted = [input.givenName, input.familyName].filter(Boolean).join(" ") || undefined;
  return {
    userName: input.userName,
    ...(input.givenName || input.familyName
      ? { name: { givenName: input.givenName, familyName: input.familyName, formatted } }
      : {}),
    ...(input.displayName ? { displayName: input.displayName } : {}),
    ...(input.email ? { emails: [{ value: input.email, type: "work", primary: true }] } : {}),
    active,
  };
}

function derivedColumns(input: LocalUserInput) {
  const email = input.email?.trim().toLowerCase() || null;
  return {
    userName: input.userName.trim(),
    givenName: input.givenName || null,
    familyName: input.familyName || null,
    name: input.displayName || [input.givenName, input.familyName].filter(Boolean).join(" ") || null,
    email,
    workEmails: email ? [email] : [],
  };
}

export type NewUserColumns = Omit<typeof users.$inferInsert, "id" | "tenantId" | "userNameNormalized">;

/**
 * The one insert of a tenant's user, whichever door creates it (SCIM POST, the console, JIT
 * sign-in): the userName key comes from normalizeUserName here, and the tenant's user count
 * rises in the same statement, so the two never disagree; so is the `user.created` directory
 * event (lib/events): a create is one round trip and needs no transaction of its own.
 */
export async function insertUser(db: Db, tenantId: string, columns: NewUserColumns): Promise<User> {
  const statement = userInsertStatement(db, {
    tenantId,
    values: { ...columns, userNameNormalized: normalizeUserName(columns.userName) },
    payload: userPayload({ userName: columns.userName, externalId: columns.externalId ?? null, name: columns.name ?? null, email: columns.email ?? null, active: columns.active ?? true, source: columns.source ?? "local" }),
    returning: getTableColumns(users),
  });
  const [row] = await statement;
  return row as User;
}

type Param<T> = T | SQL | Placeholder<string>;

/**
 * insertUser's statement, unrun. Any value may be a placeholder, so SCIM's create prepares it
 * once (createScimUser, whose caller computes the userName key with normalizeUserName); `also`
 * adds WITH queries that read the new row (`inserted_user`), such as its audit row.
 */
export function userInsertStatement(
  db: Db,
  input: {
    tenantId: Param<string>;
    values: { [K in keyof NewUserColumns]?: Param<NonNullable<NewUserColumns[K]>> | null } & { userName: Param<string>; userNameNormalized: Param<string> };
    payload: Record<string, unknown> | SQL;
    returning: Record<string, PgColumn>;
    shard?: number | Placeholder<string>;
    also?: (inserted: SQL) => WithSubquery[];
  },
) {
  const inserted = db.$with("inserted_user").as(
    db.insert(users).values({ ...input.values, tenantId: input.tenantId } as typeof users.$inferInsert).returning(input.returning),
  );
  const tenantId = input.tenantId as string | Placeholder<string>;
  const counted = db.$with("counted_user").as(counterUpsert(db, tenantId, { users: 1 }, input.shard).returning({ shard: tenantCounters.shard }));
  const evented = db.$with("evented_user").as(
    eventInsert(db, { tenantId, type: "user.created", resourceType: "user", resourceId: sql`(select id from ${inserted})`, payload: input.payload }),
  );
  const also = input.also?.(sql`${inserted}`) ?? [];
  return db.with(inserted, counted, evented, ...also).select().from(inserted);
}

/** Creates a Local user. */
export async function createLocalUser(
  tenantId: string,
  input: LocalUserInput & { loginMethod: "sso" | "password"; passwordHash?: string | null },
) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const row = await insertUser(tx as unknown as Db, tenantId, {
      ...derivedColumns(input),
      source: "local",
      loginMethod: input.loginMethod,
      passwordHash: input.loginMethod === "password" ? (input.passwordHash ?? null) : null,
      scim: localScimDoc(input, true),
    });
    return { id: row.id, userName: row.userName };
  });
}

export async function updateLocalUser(tenantId: string, userId: string, input: LocalUserInput) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({
        ...derivedColumns(input),
        userNameNormalized: normalizeUserName(input.userName),
        scim: sql`${JSON.stringify(localScimDoc(input, true))}::jsonb || jsonb_build_object('active', ${users.active})`,
        version: sql`${users.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId), eq(users.source, "local")))
      .returning(eventColumns);
    if (row) await recordEvents(tx as unknown as Db, [userEvent("user.updated", tenantId, row)]);
    return row;
  });
}

/** The columns a user event tells (lib/events userEvent). */
const eventColumns = { id: users.id, userName: users.userName, externalId: users.externalId, name: users.name, email: users.email, active: users.active, source: users.source };

export async function setUserActive(tenantId: string, userId: string, active: boolean) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ active: users.active }).from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId), eq(users.source, "local"))).for("update");
    const [row] = await tx
      .update(users)
      .set({
        active,
        scim: sql`jsonb_set(${users.scim}, '{active}', ${active ? sql`'true'::jsonb` : sql`'false'::jsonb`})`,
        version: sql`${users.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId), eq(users.source, "local")))
      .returning(eventColumns);
    if (row && before && before.active !== active) {
      await recordEvents(tx as unknown as Db, [userEvent(active ? "user.reactivated" : "user.deactivated", tenantId, row)]);
    }
    return row;
  });
}

/**
 * Switching to SSO forgets the password, so a stale one can never be used again. Only a
 * console-created (local) user may be put on password login: an IdP-managed user signing in
 * with a password an admin chose would skip the IdP's MFA and Conditional Access.
 */
export async function setLoginMethod(tenantId: string, userId: string, method: "sso" | "password", passwordHash?: string | null) {
  const db = await getDb();
  const [row] = await db
    .update(users)
    .set({
      loginMethod: method,
      ...(method === "sso" ? { passwordHash: null } : passwordHash ? { passwordHash } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId), method === "password" ? eq(users.source, "local") : undefined))
    .returning({ id: users.id, userName: users.userName, hasPassword: sql<boolean>`${users.passwordHash} is not null` });
  return row;
}

/** Deletes a Local user; tenant and group counters drop in the same transaction. */
export async function deleteLocalUser(tenantId: string, userId: string) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const memberOf = await tx
      .update(groups)
      .set({ memberCount: sql`greatest(${groups.memberCount} - 1, 0)` })
      .where(
        and(
          eq(groups.tenantId, tenantId),
          inArray(groups.id, tx.select({ id: groupMembers.groupId }).from(groupMembers).where(eq(groupMembers.userId, userId))),
        ),
      )
      .returning({ id: groups.id });
    const deleted = await tx
      .delete(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId), eq(users.source, "local")))
      .returning(eventColumns);
    if (deleted.length) {
      await addToTenantCounts(tx as unknown as Db, tenantId, { users: -1 });
      const memberships = memberRemovedEvents(tenantId, userId, memberOf.map((g) => g.id));
      await recordEvents(tx as unknown as Db, [...memberships, userEvent("user.deleted", tenantId, deleted[0])]);
    }
    return deleted[0] && { id: deleted[0].id, userName: deleted[0].userName };
  });
}

/** A (created_at text, id) keyset position, already checked by the caller (lib/api/paging.ts). */
export type CreatedKey = readonly [createdAtText: string, id: string];

export type ApiUserFilters = {
  /** Matches the primary email or a work email, case-insensitively. */
  email?: string;
  externalId?: string;
  /** Members of this group only. */
  groupId?: string;
  /** Changed at or after this moment. */
  updatedSince?: Date;
  after?: CreatedKey | null;
  limit: number;
};

/**
 * A tenant's users for the API, in (created_at, id) order along users_tenant_created_idx: a
 * row's key never changes, so walking the pages with `after` neither skips nor repeats a user
 * that existed throughout, whatever is written meanwhile.
 */
export async function listUsersForApi(tenantId: string, filters: ApiUserFilters) {
  const db = await getDb();
  const where: (SQL | undefined)[] = [eq(users.tenantId, tenantId)];
  if (filters.email) {
    const email = filters.email.trim().toLowerCase();
    where.push(or(sql`lower(${users.email}) = ${email}`, sql`${email} = any(${users.workEmails})`));
  }
  if (filters.externalId !== undefined) where.push(eq(users.externalId, filters.externalId));
  if (filters.groupId) {
    where.push(
      sql`exists (select 1 from ${groupMembers} where ${groupMembers.tenantId} = ${tenantId} and ${groupMembers.groupId} = ${filters.groupId}::uuid and ${groupMembers.userId} = ${users.id})`,
    );
  }
  if (filters.updatedSince) where.push(sql`${users.updatedAt} >= ${filters.updatedSince.toISOString()}::timestamptz`);
  if (filters.after) where.push(sql`(${users.createdAt}, ${users.id}) > (${filters.after[0]}::timestamptz, ${filters.after[1]}::uuid)`);
  const rows = await db
    .select({ ...apiUserColumns, cursorKey: sql<string>`${users.createdAt}::text` })
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(filters.limit + 1);
  return page(rows, filters.limit, (row) => [row.cursorKey, row.id]);
}

export const apiUserColumns = {
  id: users.id,
  tenantId: users.tenantId,
  userName: users.userName,
  externalId: users.externalId,
  name: users.name,
  givenName: users.givenName,
  familyName: users.familyName,
  email: users.email,
  active: users.active,
  source: users.source,
  consoleRole: users.consoleRole,
  scim: users.scim,
  lastSignInAt: users.lastSignInAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

export async function getUserForApi(tenantId: string, userId: string) {
  const db = await getDb();
  const [row] = await db.select(apiUserColumns).from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, userId))).limit(1);
  return row;
}

/** The groups a user is in, with the console role each maps to (null when none). */
export async function listUserGroupsWithRoles(tenantId: string, userId: string) {
  const db = await getDb();
  return db
    .select({ id: groups.id, displayName: groups.displayName, externalId: groups.externalId, mappedRole: roleMappings.role })
    .from(groupMembers)
    .innerJoin(groups, and(eq(groups.id, groupMembers.groupId), eq(groups.tenantId, tenantId)))
    .leftJoin(roleMappings, and(eq(roleMappings.groupId, groupMembers.groupId), eq(roleMappings.tenantId, tenantId)))
    .where(and(eq(groupMembers.tenantId, tenantId), eq(groupMembers.userId, userId)))
    .orderBy(asc(groups.displayNameNormalized))
    .limit(1000);
}

/**
 * The user and expiry of a live session, by the session cookie's value (stored hashed; the
 * sliding expiry and the absolute lifetime both count). Read-only: it never extends the session.
 */
export async function findLiveSessionUser(sessionToken: string) {
  const db = await getDb();
  const [row] = await db
    .select({ user: apiUserColumns, expires: sessions.expires, sessionCreatedAt: sessions.createdAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(sessionRow(sessionToken), sessionIsLive()))
    .limit(1);
  return row;
}
