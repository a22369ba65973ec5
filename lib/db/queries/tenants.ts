import "server-only";
import { and, asc, desc, eq, getTableColumns, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { tenantDomains, tenants, usageDays, type TenantSettings } from "../schema";
import { slugify as slugFromName } from "../../slug";
import { insertTenantDomains, type DomainVerifier } from "./tenant-domains";
import { isUuid } from "../../uuid";
import { escapeLike } from "../like";
import { decodeCursor, encodeCursor, isTimestampKey, page } from "../keyset";
import { tenantCountColumns } from "./tenant-counters";

/** A tenant row with its user and group counts. */
const tenantWithCounts = { ...getTableColumns(tenants), ...tenantCountColumns };

export const DEFAULT_TENANT_SETTINGS: Required<TenantSettings> = {
  userLinking: "conflict",
  defaultTokenDays: 30,
  jitProvisioning: false,
  scimRateLimitPerMinute: 6000,
  ssoMatchBy: "automatic",
};

export function tenantSettings(settings: TenantSettings | null | undefined): Required<TenantSettings> {
  return { ...DEFAULT_TENANT_SETTINGS, ...(settings ?? {}) };
}

/**
 * A tenant and its email-domain claims, together or not at all: unverified unless
 * `domainsVerifiedBy` says the platform operator vouches for them (the CLI, the seed).
 */
export async function createTenant(input: {
  name: string;
  slug: string;
  domains?: string[];
  domainsVerifiedBy?: DomainVerifier;
  settings?: TenantSettings;
}) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(tenants).values({ name: input.name, slug: input.slug, settings: input.settings ?? {} }).returning();
    await insertTenantDomains(tx as unknown as Db, row.id, [...new Set(input.domains ?? [])], input.domainsVerifiedBy);
    return row;
  });
}

export async function findTenantById(tenantId: string) {
  if (!isUuid(tenantId)) return undefined;
  const db = await getDb();
  const [row] = await db.select(tenantWithCounts).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  return row;
}

export async function findTenantBySlug(slug: string) {
  const db = await getDb();
  const [row] = await db.select(tenantWithCounts).from(tenants).where(eq(tenants.slug, slug.toLowerCase())).limit(1);
  return row;
}

/** Accepts an id or a slug (CLI convenience). */
export async function findTenantByIdOrSlug(ref: string) {
  return (await findTenantById(ref)) ?? (await findTenantBySlug(ref));
}

export type TenantSort = "created" | "name";

export type TenantListOptions = {
  /** Part of a name or slug, or an email domain (`acme.com`, `@acme.com`, `jane@acme.com`). */
  search?: string;
  /** Only these tenants (a tenant admin's scope); an empty list matches none. */
  ids?: string[];
  sort?: TenantSort;
  direction?: "asc" | "desc";
  /** Opaque keyset cursors from a previous page. */
  after?: string;
  before?: string;
  limit?: number;
};

export const MAX_TENANT_PAGE = 200;

const CURSOR = ["string", "string"] as const;

/** The key a tenant-list cursor carries, when it is one for `sort`; else null (the first page). */
export function decodeTenantCursor(cursor: string | undefined, sort: TenantSort) {
  const key = decodeCursor(cursor, CURSOR);
  if (!key || !isUuid(key[1]) || key[0].length > 1000 || key[0].includes("\u0000")) return null;
  if (sort === "created" && !isTimestampKey(key[0])) return null;
  return key;
}

function tenantFilters(options: Pick<TenantListOptions, "search" | "ids">): SQL[] {
  const filters: SQL[] = [];
  const search = options.search?.trim();
  // PostgreSQL text cannot hold NUL, so no tenant matches a search with one.
  if (search?.includes("\u0000")) filters.push(sql`false`);
  else if (search) {
    const pattern = `%${escapeLike(search)}%`;
    const domain = search.slice(search.lastIndexOf("@") + 1).toLowerCase();
    const matches = [ilike(tenants.name, pattern), ilike(tenants.slug, pattern)];
    if (domain) {
      matches.push(
        sql`exists (select 1 from ${tenantDomains} d where d.tenant_id = ${tenants.id} and d.domain like ${`%${escapeLike(domain)}%`})`,
      );
    }
    filters.push(or(...matches)!);
  }
  if (options.ids) filters.push(options.ids.length ? inArray(tenants.id, options.ids) : sql`false`);
  return filters;
}

/**
 * One page of tenants, keyset-paginated by creation time or name (each with the id as tie-break),
 * so any page costs the same with 10,000 tenants. Searches name, slug and email domain.
 */
export async function listTenants(options: TenantListOptions = {}) {
  const db = await getDb();
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50) || 50, 1), MAX_TENANT_PAGE);
  const sort = options.sort ?? "created";
  const direction = options.direction ?? (sort === "created" ? "desc" : "asc");
  const before = decodeTenantCursor(options.before, sort);
  const after = before ? null : decodeTenantCursor(options.after, sort);
  const backwards = Boolean(before);
  const ascending = (direction === "asc") !== backwards;
  const cursor = before ?? after;
  const where = tenantFilters(options);
  if (cursor) {
    const keyColumn = sort === "name" ? sql`${tenants.name}` : sql`${tenants.createdAt}`;
    const keyValue = sort === "name" ? sql`${cursor[0]}` : sql`${cursor[0]}::timestamptz`;
    where.push(
      ascending
        ? sql`(${keyColumn}, ${tenants.id}) > (${keyValue}, ${cursor[1]}::uuid)`
        : sql`(${keyColumn}, ${tenants.id}) < (${keyValue}, ${cursor[1]}::uuid)`,
    );
  }
  const order = ascending ? asc : desc;
  const rows = await db
    .select({
      ...tenantWithCounts,
      // Full-precision key text (timestamptz has microseconds; a JS Date only milliseconds).
      cursorKey: sort === "name" ? tenants.name : sql<string>`${tenants.createdAt}::text`,
    })
    .from(tenants)
    .where(where.length ? and(...where) : undefined)
    .orderBy(order(sort === "name" ? tenants.name : tenants.createdAt), order(tenants.id))
    .limit(limit + 1);

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

export type TenantListRow = Awaited<ReturnType<typeof listTenants>>["rows"][number];

/** How many tenants match (for "showing N of M"); tenants are few enough per platform to count. */
export async function countTenants(options: Pick<TenantListOptions, "search" | "ids"> = {}) {
  const db = await getDb();
  const where = tenantFilters(options);
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(tenants)
    .where(where.length ? and(...where) : undefined);
  return row?.count ?? 0;
}

/** The newest tenant (the console's default when none is picked). */
export async function newestTenant() {
  const { rows } = await listTenants({ limit: 1 });
  return rows[0];
}

export async function updateTenant(
  tenantId: string,
  patch: Partial<{ name: string; slug: string; settings: TenantSettings }>,
) {
  const db = await getDb();
  const [row] = await db
    .update(tenants)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(tenants.id, tenantId))
    .returning();
  return row;
}

/** Deletes a tenant (its rows cascade); the overall users/groups chart loses its last recorded counts today. */
export async function deleteTenant(tenantId: string) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const today = new Date().toISOString().slice(0, 10);
    await tx.execute(sql`
      insert into ${usageDays} (day, users_change, groups_change)
      select ${today}, -recorded_users, -recorded_groups from ${tenants} where id = ${tenantId} for update
      on conflict (day) do update set users_change = ${usageDays.usersChange} + excluded.users_change,
        groups_change = ${usageDays.groupsChange} + excluded.groups_change`);
    const deleted = await tx.delete(tenants).where(eq(tenants.id, tenantId)).returning({ id: tenants.id });
    return deleted.length > 0;
  });
}

/** The slug a tenant gets when none is given. */
export function slugify(name: string) {
  return slugFromName(name) || "tenant";
}
