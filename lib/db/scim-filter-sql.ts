// SCIM list queries compiled to SQL over the stored SCIM document (`scim` jsonb) and its
// indexed columns: RFC 7644 §3.4.2.2 filters, §3.4.2.3 sorting and the totalResults rule of
// §3.4.2.4. Values only ever travel as bind parameters.
import { asc, desc, sql, type SQL } from "drizzle-orm";
import type { AttributePath, CompareNode, FilterNode } from "../scim/filter";
import { invalidFilter } from "../scim/errors";
import { findAttribute, locateAttribute, type AttributeDefinition, type ResourceTypeName } from "../scim/schemas";
import { foldName, normalizeUserName } from "../identity/normalize";
import { isIssuedId } from "../uuid";

type Columns = {
  id: SQL;
  doc: SQL;
  userNameNormalized?: SQL;
  externalId: SQL;
  displayNameNormalized?: SQL;
  workEmails?: SQL;
  active?: SQL;
  created: SQL;
  lastModified: SQL;
  members?: (values: string[]) => SQL;
};

export type FilterTarget = { resourceType: ResourceTypeName; columns: Columns };

export function compileFilter(node: FilterNode, target: FilterTarget): SQL {
  switch (node.kind) {
    case "and":
      return sql`(${sql.join(node.filters.map((f) => compileFilter(f, target)), sql` and `)})`;
    case "or":
      return sql`(${sql.join(node.filters.map((f) => compileFilter(f, target)), sql` or `)})`;
    case "not":
      return sql`(not coalesce(${compileFilter(node.filter, target)}, false))`;
    case "present":
      return present(node.path, target);
    case "compare":
      return compare(node, target);
    case "valuePath":
      return valuePath(node.path, node.filter, target);
  }
}

type Located = { json: SQL; definition?: AttributeDefinition; multiValued: boolean };

/** The jsonb expression holding a top-level (or extension) attribute of the document. */
function locate(path: AttributePath, target: FilterTarget): Located {
  const location = locateAttribute(target.resourceType, path.schema, path.attribute);
  if (!location) throw invalidFilter(`Unknown attribute "${path.attribute}"`);
  const json = location.extension
    ? sql`(${target.columns.doc} -> ${location.extension}::text -> ${location.name}::text)`
    : sql`(${target.columns.doc} -> ${location.name}::text)`;
  const multiValued = location.definition ? location.definition.multiValued : false;
  return { json, definition: location.definition, multiValued };
}

function subDefinition(parent: AttributeDefinition | undefined, name: string | undefined) {
  if (!parent || !name) return undefined;
  return parent.subAttributes?.find((s) => s.name.toLowerCase() === name.toLowerCase());
}

function elements(json: SQL) {
  return sql`jsonb_array_elements(case when jsonb_typeof(${json}) = 'array' then ${json} else '[]'::jsonb end)`;
}

function present(path: AttributePath, target: FilterTarget): SQL {
  const column = columnFor(path, target);
  if (column) return sql`(${column.expr} is not null)`;
  const loc = locate(path, target);
  if (loc.multiValued) {
    const sub = path.subAttribute;
    if (!sub) return sql`(jsonb_typeof(${loc.json}) = 'array' and jsonb_array_length(${loc.json}) > 0)`;
    return sql`exists (select 1 from ${elements(loc.json)} as e(v) where ${isPresent(sql`(e.v -> ${sub}::text)`)})`;
  }
  const json = path.subAttribute ? sql`(${loc.json} -> ${path.subAttribute}::text)` : loc.json;
  return isPresent(json);
}

function isPresent(json: SQL) {
  return sql`(${json} is not null and jsonb_typeof(${json}) <> 'null' and ${json} not in ('""'::jsonb, '[]'::jsonb, '{}'::jsonb))`;
}

type ColumnHit = { expr: SQL; kind: "uuid" | "userName" | "folded" | "exact" | "boolean" | "timestamp" };

/** Attributes with their own indexed column. */
function columnFor(path: AttributePath, target: FilterTarget): ColumnHit | undefined {
  if (path.schema && !/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group)$/i.test(path.schema)) return undefined;
  const name = path.attribute.toLowerCase();
  const sub = path.subAttribute?.toLowerCase();
  const c = target.columns;
  if (name === "id" && !sub) return { expr: c.id, kind: "uuid" };
  if (name === "externalid" && !sub) return { expr: c.externalId, kind: "exact" };
  if (name === "username" && !sub && c.userNameNormalized) return { expr: c.userNameNormalized, kind: "userName" };
  if (name === "displayname" && !sub && c.displayNameNormalized) return { expr: c.displayNameNormalized, kind: "folded" };
  if (name === "active" && !sub && c.active) return { expr: c.active, kind: "boolean" };
  if (name === "meta" && sub === "created") return { expr: c.created, kind: "timestamp" };
  if (name === "meta" && sub === "lastmodified") return { expr: c.lastModified, kind: "timestamp" };
  return undefined;
}

function compare(node: CompareNode, target: FilterTarget): SQL {
  // PostgreSQL text cannot hold NUL, so no stored value can equal one: say so instead of failing.
  if (typeof node.value === "string" && node.value.includes("\u0000")) throw invalidFilter("Filter values cannot contain NUL characters");
  const column = columnFor(node.path, target);
  if (column) return compareColumn(column, node);
  if (target.resourceType === "Group" && node.path.attribute.toLowerCase() === "members" && target.columns.members) {
    if ((node.path.subAttribute ?? "value").toLowerCase() === "value" && node.op === "eq" && typeof node.value === "string") {
      return target.columns.members([node.value]);
    }
  }
  const loc = locate(node.path, target);
  if (loc.multiValued) {
    const sub = node.path.subAttribute ?? (loc.definition?.subAttributes ? "value" : undefined);
    const def = subDefinition(loc.definition, sub) ?? (loc.definition?.subAttributes ? undefined : loc.definition);
    const elementJson = sub ? sql`(e.v -> ${sub}::text)` : sql`e.v`;
    return sql`exists (select 1 from ${elements(loc.json)} as e(v) where ${compareJson(elementJson, node, def)})`;
  }
  if (node.path.subAttribute) {
    const def = subDefinition(loc.definition, node.path.subAttribute);
    return compareJson(sql`(${loc.json} -> ${node.path.subAttribute}::text)`, node, def);
  }
  return compareJson(loc.json, node, loc.definition);
}

function valuePath(path: AttributePath, filter: FilterNode, target: FilterTarget): SQL {
  if (target.resourceType === "Group" && path.attribute.toLowerCase() === "members" && target.columns.members) {
    const value = memberValueEquality(filter);
    if (value !== undefined) return target.columns.members([value]);
  }
  const loc = locate(path, target);
  const inner = compileElementFilter(filter, loc.definition);
  const exists = sql`exists (select 1 from ${elements(loc.json)} as e(v) where ${inner})`;
  // Entra's matching filter `emails[type eq "work"].value eq "x"` is served by the GIN index.
  const workEmail = workEmailEquality(path, filter);
  if (workEmail !== undefined && target.columns.workEmails) {
    return sql`(${target.columns.workEmails} @> array[${workEmail.toLowerCase()}]::text[] and ${exists})`;
  }
  return exists;
}

function memberValueEquality(filter: FilterNode): string | undefined {
  if (filter.kind === "compare" && filter.op === "eq" && filter.path.attribute.toLowerCase() === "value" && typeof filter.value === "string") {
    return filter.value;
  }
  return undefined;
}

function workEmailEquality(path: AttributePath, filter: FilterNode): string | undefined {
  if (path.attribute.toLowerCase() !== "emails" || filter.kind !== "and") return undefined;
  let isWork = false;
  let value: string | undefined;
  for (const f of filter.filters) {
    if (f.kind !== "compare" || f.op !== "eq" || typeof f.value !== "string") continue;
    if (f.path.attribute.toLowerCase() === "type" && f.value.toLowerCase() === "work") isWork = true;
    if (f.path.attribute.toLowerCase() === "value") value = f.value;
  }
  return isWork ? value : undefined;
}

/** A filter inside `attr[…]`: its paths name sub-attributes of one element `e.v`. */
function compileElementFilter(node: FilterNode, parent: AttributeDefinition | undefined): SQL {
  switch (node.kind) {
    case "and":
      return sql`(${sql.join(node.filters.map((f) => compileElementFilter(f, parent)), sql` and `)})`;
    case "or":
      return sql`(${sql.join(node.filters.map((f) => compileElementFilter(f, parent)), sql` or `)})`;
    case "not":
      return sql`(not coalesce(${compileElementFilter(node.filter, parent)}, false))`;
    case "present":
      return isPresent(sql`(e.v -> ${node.path.attribute}::text)`);
    case "compare":
      return compareJson(sql`(e.v -> ${node.path.attribute}::text)`, node, subDefinition(parent, node.path.attribute));
    case "valuePath":
      throw invalidFilter("Value filters cannot nest");
  }
}

function compareJson(json: SQL, node: CompareNode, definition: AttributeDefinition | undefined): SQL {
  const { op, value } = node;
  if (typeof value === "string" && value.includes("\u0000")) throw invalidFilter("Filter values cannot contain NUL characters");
  if (value === null) {
    if (op === "eq") return sql`(not ${isPresent(json)})`;
    if (op === "ne") return isPresent(json);
    throw invalidFilter(`Operator "${op}" cannot compare with null`);
  }
  if (typeof value === "boolean") {
    if (op !== "eq" && op !== "ne") throw invalidFilter(`Operator "${op}" does not apply to booleans`);
    // Entra (no aadOptscim062020) may have stored booleans as "True"/"False" strings.
    const asBool = sql`(case when jsonb_typeof(${json}) = 'boolean' then (${json})::text::boolean when jsonb_typeof(${json}) = 'string' and lower(${json} #>> '{}') in ('true','false') then lower(${json} #>> '{}')::boolean end)`;
    return op === "eq" ? sql`(${asBool} = ${value})` : sql`(${asBool} is distinct from ${value})`;
  }
  if (typeof value === "number") {
    const asNumber = sql`(case when jsonb_typeof(${json}) = 'number' then (${json})::text::numeric end)`;
    return numericCompare(asNumber, op, value);
  }
  if (definition?.type === "dateTime" && ["gt", "ge", "lt", "le", "eq", "ne"].includes(op)) {
    const when = parseDate(value);
    const asTime = sql`(case when jsonb_typeof(${json}) = 'string' and (${json} #>> '{}') ~ '^\\d{4}-\\d{2}-\\d{2}' then (${json} #>> '{}')::timestamptz end)`;
    return orderedCompare(asTime, op, sql`${when.toISOString()}::timestamptz`);
  }
  const caseExact = definition?.caseExact ?? false;
  const raw = sql`(case when jsonb_typeof(${json}) in ('string','number','boolean') then ${json} #>> '{}' end)`;
  const text = caseExact ? raw : sql`lower(${raw})`;
  const param = caseExact ? value : value.toLowerCase();
  return stringCompare(text, op, param);
}

function stringCompare(text: SQL, op: CompareNode["op"], value: string): SQL {
  switch (op) {
    case "eq":
      return sql`(${text} = ${value})`;
    case "ne":
      return sql`(${text} is distinct from ${value})`;
    case "co":
      return sql`(strpos(${text}, ${value}) > 0)`;
    case "sw":
      return sql`starts_with(${text}, ${value}::text)`;
    case "ew":
      return sql`(right(${text}, char_length(${value}::text)) = ${value})`;
    default:
      return orderedCompare(text, op, sql`${value}::text`);
  }
}

function orderedCompare(left: SQL, op: CompareNode["op"], right: SQL): SQL {
  switch (op) {
    case "gt":
      return sql`(${left} > ${right})`;
    case "ge":
      return sql`(${left} >= ${right})`;
    case "lt":
      return sql`(${left} < ${right})`;
    case "le":
      return sql`(${left} <= ${right})`;
    case "eq":
      return sql`(${left} = ${right})`;
    case "ne":
      return sql`(${left} is distinct from ${right})`;
    default:
      throw invalidFilter(`Operator "${op}" does not apply here`);
  }
}

function numericCompare(left: SQL, op: CompareNode["op"], value: number): SQL {
  if (op === "co" || op === "sw" || op === "ew") throw invalidFilter(`Operator "${op}" does not apply to numbers`);
  return orderedCompare(left, op, sql`${value}::numeric`);
}

function parseDate(value: string): Date {
  const when = new Date(value);
  if (Number.isNaN(when.getTime())) throw invalidFilter(`"${value}" is not a dateTime`);
  // JavaScript accepts years 0, negative and above 9999, whose ISO strings (0000, -000001,
  // +010000) PostgreSQL refuses; RFC 3339 has four-digit years anyway.
  const year = when.getUTCFullYear();
  if (year < 1 || year > 9999) throw invalidFilter(`"${value}" is outside the years 0001 to 9999`);
  return when;
}

function compareColumn(column: ColumnHit, node: CompareNode): SQL {
  const { op, value } = node;
  if (value === null) {
    if (op === "eq") return sql`(${column.expr} is null)`;
    if (op === "ne") return sql`(${column.expr} is not null)`;
    throw invalidFilter(`Operator "${op}" cannot compare with null`);
  }
  switch (column.kind) {
    case "uuid": {
      if (op !== "eq" && op !== "ne") return stringCompare(sql`(${column.expr})::text`, op, String(value));
      // Ids are case-exact: an upper-cased id names no resource (Postgres would compare it equal).
      const ok = isIssuedId(value);
      if (op === "eq") return ok ? sql`(${column.expr} = ${value})` : sql`false`;
      return ok ? sql`(${column.expr} <> ${value})` : sql`true`;
    }
    case "boolean": {
      const bool = typeof value === "boolean" ? value : typeof value === "string" && /^(true|false)$/i.test(value) ? value.toLowerCase() === "true" : undefined;
      if (bool === undefined || (op !== "eq" && op !== "ne")) throw invalidFilter(`"active" compares with true or false`);
      return op === "eq" ? sql`(${column.expr} = ${bool})` : sql`(${column.expr} <> ${bool})`;
    }
    case "timestamp": {
      if (typeof value !== "string") throw invalidFilter("meta dates compare with a dateTime string");
      return orderedCompare(column.expr, op, sql`${parseDate(value).toISOString()}::timestamptz`);
    }
    case "userName": {
      if (typeof value !== "string") return sql`false`;
      return stringCompare(column.expr, op, normalizeUserName(value));
    }
    case "folded": {
      if (typeof value !== "string") return sql`false`;
      return stringCompare(column.expr, op, foldName(value));
    }
    case "exact": {
      if (typeof value !== "string") return sql`false`;
      return stringCompare(column.expr, op, value);
    }
  }
}

/**
 * RFC 7644 §3.4.2.3 `sortBy` as ORDER BY, ties broken by id so pages never overlap; without
 * sortBy, creation order. Attributes with their own column sort by it; other User attributes
 * by their stored value, case-insensitively, a multi-valued one by its primary (else first)
 * value. A Group document holds no other sortable value (members are rows), so a Group
 * sorted by anything else comes in id order.
 */
export function compileOrder(sortBy: string | undefined, sortOrder: "ascending" | "descending", target: FilterTarget): SQL[] {
  const c = target.columns;
  if (!sortBy) return [asc(c.created), asc(c.id)];
  const direction = sortOrder === "descending" ? desc : asc;
  const attribute = findAttribute(target.resourceType, sortBy);
  if (!attribute) throw invalidFilter(`Cannot sort by unknown attribute "${sortBy}"`);
  const name = attribute.name.toLowerCase();
  const sub = attribute.subAttribute?.name;
  const column =
    name === "username" && !sub ? c.userNameNormalized
    : name === "displayname" && !sub ? c.displayNameNormalized
    : name === "id" && target.resourceType === "User" ? c.id
    : name === "externalid" ? c.externalId
    : name === "meta" && sub === "created" ? c.created
    : name === "meta" && sub === "lastModified" ? c.lastModified
    : undefined;
  if (column) return [direction(column), asc(c.id)];
  if (target.resourceType === "Group") return [direction(c.id)];
  const json = attribute.extension
    ? sql`(${c.doc} -> ${attribute.extension}::text -> ${attribute.name}::text)`
    : sql`(${c.doc} -> ${attribute.name}::text)`;
  if (attribute.definition?.multiValued) {
    const key = sub ?? "value";
    return [direction(sql`lower(coalesce((select e.v ->> ${key}::text from ${elements(json)} as e(v) order by (e.v ->> 'primary') = 'true' desc limit 1), ''))`), asc(c.id)];
  }
  return [direction(sub ? sql`lower(${json} ->> ${sub}::text)` : sql`lower(${json} #>> '{}')`), asc(c.id)];
}

/**
 * The three lookups Entra sends to match a user before it creates one (`userName eq "x"`,
 * `externalId eq "x"`, `emails[type eq "work"].value eq "x"`), recognised exactly so that they
 * run as prepared statements (lib/db/queries/scim-users.ts). `value` is the bound parameter,
 * already transformed as compileFilter transforms it (userName normalised, the work email
 * lower-cased): the prepared statement and compileFilter select the same rows. Anything
 * else, including a value compileFilter refuses (NUL) or a non-string one, is undefined and
 * goes through compileFilter.
 */
export type UserLookup = { by: "userName" | "externalId" | "workEmail"; value: string };

const CORE_USER = /^urn:ietf:params:scim:schemas:core:2\.0:User$/i;

const plainString = (value: unknown): value is string => typeof value === "string" && !value.includes("\u0000");

function coreUserAttribute(path: AttributePath): string | undefined {
  if (path.subAttribute !== undefined || (path.schema !== undefined && !CORE_USER.test(path.schema))) return undefined;
  return path.attribute.toLowerCase();
}

export function userLookupOf(filter: FilterNode): UserLookup | undefined {
  if (filter.kind === "compare") {
    if (filter.op !== "eq" || !plainString(filter.value)) return undefined;
    const name = coreUserAttribute(filter.path);
    if (name === "username") return { by: "userName", value: normalizeUserName(filter.value) };
    if (name === "externalid") return { by: "externalId", value: filter.value };
    return undefined;
  }
  if (filter.kind !== "valuePath" || coreUserAttribute(filter.path) !== "emails") return undefined;
  const inner = filter.filter;
  if (inner.kind !== "and" || inner.filters.length !== 2) return undefined;
  let isWork = false;
  let value: string | undefined;
  for (const f of inner.filters) {
    if (f.kind !== "compare" || f.op !== "eq" || !plainString(f.value) || f.path.schema !== undefined || f.path.subAttribute !== undefined) return undefined;
    const name = f.path.attribute.toLowerCase();
    if (name === "type" && f.value.toLowerCase() === "work") isWork = true;
    else if (name === "value" && value === undefined) value = f.value;
    else return undefined;
  }
  return isWork && value !== undefined ? { by: "workEmail", value: value.toLowerCase() } : undefined;
}

/**
 * The condition compileFilter builds for `emails[type eq "work"].value eq <value>` (valuePath
 * with the GIN-indexed work emails), over a bound `value` that is already lower-cased.
 */
export function workEmailCondition(columns: { doc: SQL; workEmails: SQL }, value: SQL | string): SQL {
  const emails = sql`(${columns.doc} -> 'emails'::text)`;
  const sub = (name: string) => sql.raw(`lower((case when jsonb_typeof((e.v -> '${name}'::text)) in ('string','number','boolean') then (e.v -> '${name}'::text) #>> '{}' end))`);
  return sql`(${columns.workEmails} @> array[${value}]::text[] and exists (select 1 from ${elements(emails)} as e(v) where (${sub("type")} = 'work' and ${sub("value")} = ${value})))`;
}

/**
 * A first page that is not full already tells totalResults (RFC 7644 §3.4.2.4): the lookups
 * Entra sends (`userName eq "…"`) need no count. Undefined when a count is needed.
 */
export function totalFromFirstPage(query: { startIndex: number; count: number }, rowsOnPage: number): number | undefined {
  return query.startIndex === 1 && query.count > 0 && rowsOnPage < query.count ? rowsOnPage : undefined;
}
