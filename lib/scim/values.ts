// RFC 7643 §2.2–§2.5, §7 attribute values: types, sub-attributes, readOnly ignored, one primary; "True" coerced.
import { invalidValue } from "./errors";
import { findDefinition } from "./schemas";
import { isJsonObject, isUnassigned, type JsonObject, type JsonValue } from "./json";
import type { AttributeDefinition } from "./schemas";

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

const describe = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : JSON.stringify(value));

/** Entra (without aadOptscim062020) sends booleans as "True"/"False". */
export function coerceBoolean(value: JsonValue): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  return undefined;
}

function simpleValue(definition: AttributeDefinition, value: JsonValue, label: string): JsonValue {
  const wrongType = () => invalidValue(`${label} must be ${article(definition.type)}, got ${describe(value)}`);
  switch (definition.type) {
    case "boolean": {
      const coerced = coerceBoolean(value);
      if (coerced === undefined) throw wrongType();
      return coerced;
    }
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType();
      return value;
    case "decimal":
      if (typeof value !== "number" || !Number.isFinite(value)) throw wrongType();
      return value;
    case "dateTime":
      if (typeof value !== "string" || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) throw wrongType();
      return value;
    default:
      if (typeof value !== "string") throw wrongType();
      return value;
  }
}

const article = (type: string) => (type === "integer" ? "an integer" : type === "dateTime" ? "a dateTime" : `a ${type}`);

/** One complex value: known sub-attributes only, readOnly ones dropped (RFC 7644 §3.5.1). */
export function complexValue(definition: AttributeDefinition, value: JsonValue, label: string): JsonObject | undefined {
  // Entra sends the manager as a bare id: `"value": "<id>"` stands for `{"value": "<id>"}`.
  const wrapsBareValue = !definition.multiValued && findDefinition(definition.subAttributes, "value") !== undefined;
  const object = typeof value === "string" && wrapsBareValue ? { value } : value;
  if (!isJsonObject(object)) throw invalidValue(`${label} must be an object, got ${describe(value)}`);
  const result: JsonObject = {};
  for (const [key, subValue] of Object.entries(object)) {
    const sub = findDefinition(definition.subAttributes, key);
    if (!sub) throw invalidValue(`${label} has no sub-attribute ${JSON.stringify(key)}`);
    if (sub.mutability === "readOnly" || isUnassigned(subValue)) continue;
    result[sub.name] = simpleValue(sub, subValue, `${label}.${sub.name}`);
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

function singleValue(definition: AttributeDefinition, value: JsonValue, label: string): JsonValue | undefined {
  if (isUnassigned(value)) return undefined;
  return definition.type === "complex" ? complexValue(definition, value, label) : simpleValue(definition, value, label);
}

/**
 * The stored form of an attribute value, or undefined when it is unassigned (null, [] or {}).
 * A single value given for a multi-valued attribute is taken as a one-element list.
 */
export function coerceAttributeValue(definition: AttributeDefinition, value: JsonValue, label = definition.name): JsonValue | undefined {
  if (!definition.multiValued) {
    if (Array.isArray(value)) throw invalidValue(`${label} is single-valued, got an array`);
    return singleValue(definition, value, label);
  }
  const items = (Array.isArray(value) ? value : [value])
    .map((item) => singleValue(definition, item, label))
    .filter((item): item is JsonValue => item !== undefined);
  if (items.filter((item) => isJsonObject(item) && item.primary === true).length > 1) {
    throw invalidValue(`${label} has more than one value with primary true`);
  }
  return items.length > 0 ? items : undefined;
}

export function coerceSubAttributeValue(parent: AttributeDefinition, sub: AttributeDefinition, value: JsonValue): JsonValue | undefined {
  return isUnassigned(value) ? undefined : simpleValue(sub, value, `${parent.name}.${sub.name}`);
}
