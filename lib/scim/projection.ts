// RFC 7644 §3.4.2.5, §3.9 attributes/excludedAttributes; RFC 7643 §7 returned always/never.
import { cloneJson, findKey, isJsonObject, type JsonObject, type JsonValue } from "./json";
import { coreSchemaUrn, locateAttribute, splitUrn, type ResourceTypeName } from "./schemas";
import { isUrn } from "./urns";

export interface ProjectionParams {
  attributes?: string | readonly string[];
  excludedAttributes?: string | readonly string[];
}

const ALWAYS_RETURNED = new Set(["id", "schemas"]);
const NEVER_RETURNED = new Set(["password"]);

/** `"userName, name.givenName"` or `["userName"]` → `["userName", "name.givenName"]`. */
export function parseAttributeList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = typeof value === "string" ? value.split(",") : value.flatMap((item) => item.split(","));
  return parts.map((part) => part.trim()).filter(Boolean);
}

interface Reference {
  /** Lower-cased extension URN, or undefined for top-level attributes. */
  container?: string;
  /** Lower-cased attribute name; undefined selects the whole container. */
  attribute?: string;
  sub?: string;
}

function resolveReference(name: string, resourceType: ResourceTypeName): Reference | undefined {
  const { schema, rest } = splitUrn(name);
  const isCore = schema === undefined || schema.toLowerCase() === coreSchemaUrn(resourceType).toLowerCase();
  if (rest === "") return isCore ? {} : { container: schema!.toLowerCase() };
  const [attribute = "", sub, ...extra] = rest.split(".");
  if (extra.length > 0) return undefined;
  const location = locateAttribute(resourceType, isCore ? undefined : schema, attribute);
  if (!location) return undefined;
  return {
    ...(location.extension === undefined ? {} : { container: location.extension.toLowerCase() }),
    attribute: location.name.toLowerCase(),
    ...(sub === undefined ? {} : { sub: sub.toLowerCase() }),
  };
}

function pickSubAttributes(value: JsonValue, subs: ReadonlySet<string>): JsonValue | undefined {
  const pick = (object: JsonObject) => {
    const picked = Object.fromEntries(Object.entries(object).filter(([key]) => subs.has(key.toLowerCase())));
    return Object.keys(picked).length > 0 ? picked : undefined;
  };
  if (Array.isArray(value)) {
    const items = value.filter(isJsonObject).map(pick).filter((item): item is JsonObject => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  return isJsonObject(value) ? pick(value) : undefined;
}

/** Attributes of one container (the resource or an extension object) that the references select. */
function selectFrom(object: JsonObject, references: readonly Reference[], keep: (key: string) => boolean): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    const lower = key.toLowerCase();
    if (NEVER_RETURNED.has(lower)) continue;
    const matching = references.filter((r) => r.attribute === undefined || r.attribute === lower);
    if (keep(lower) || matching.some((r) => r.sub === undefined)) {
      result[key] = value;
    } else if (matching.length > 0) {
      const picked = pickSubAttributes(value, new Set(matching.map((r) => r.sub!)));
      if (picked !== undefined) result[key] = picked;
    }
  }
  return result;
}

function include(resource: JsonObject, references: readonly Reference[]): JsonObject {
  const rootReferences = references.filter((r) => r.container === undefined);
  const result = selectFrom(resource, rootReferences, (key) => ALWAYS_RETURNED.has(key));
  for (const [key, value] of Object.entries(resource)) {
    if (!isUrn(key) || !isJsonObject(value)) continue;
    const own = references.filter((r) => r.container === key.toLowerCase());
    if (own.length === 0 && !rootReferences.some((r) => r.attribute === undefined)) continue;
    const selected = own.some((r) => r.attribute === undefined) ? value : selectFrom(value, own, () => false);
    if (Object.keys(selected).length > 0) result[key] = selected;
  }
  return result;
}

function exclude(resource: JsonObject, references: readonly Reference[]): JsonObject {
  const result = cloneJson(resource);
  for (const reference of references) {
    let container: JsonObject = result;
    if (reference.container !== undefined) {
      const key = findKey(result, reference.container);
      if (key === undefined) continue;
      if (reference.attribute === undefined) {
        delete result[key];
        continue;
      }
      if (!isJsonObject(result[key])) continue;
      container = result[key];
    }
    if (reference.attribute === undefined || ALWAYS_RETURNED.has(reference.attribute)) continue;
    const key = findKey(container, reference.attribute);
    if (key === undefined) continue;
    if (reference.sub === undefined) {
      delete container[key];
      continue;
    }
    const sub = reference.sub;
    const value = container[key];
    for (const item of Array.isArray(value) ? value : [value]) {
      const subKey = isJsonObject(item) ? findKey(item, sub) : undefined;
      if (subKey !== undefined) delete (item as JsonObject)[subKey];
    }
  }
  for (const [key, value] of Object.entries(result)) {
    if (NEVER_RETURNED.has(key.toLowerCase())) delete result[key];
    if (isUrn(key) && isJsonObject(value) && Object.keys(value).length === 0) delete result[key];
  }
  return result;
}

/** Returns the projected resource; `schemas` then lists only the extensions still present. */
export function applyAttributeProjection(resource: JsonObject, params: ProjectionParams, resourceType: ResourceTypeName): JsonObject {
  const resolve = (names: string[]) =>
    names.map((name) => resolveReference(name, resourceType)).filter((r): r is Reference => r !== undefined);
  const requested = parseAttributeList(params.attributes);
  const excluded = resolve(parseAttributeList(params.excludedAttributes));
  let result = requested.length > 0 ? include(resource, resolve(requested)) : exclude(resource, []);
  if (excluded.length > 0) result = exclude(result, excluded);
  if (Array.isArray(result.schemas)) {
    const core = coreSchemaUrn(resourceType).toLowerCase();
    result.schemas = result.schemas.filter(
      (schema) => typeof schema === "string" && (schema.toLowerCase() === core || findKey(result, schema) !== undefined),
    );
  }
  return result;
}
