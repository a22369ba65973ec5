// RFC 7644 §3.4.2.2 filter semantics: caseExact per attribute, any-value on multi-valued, invalidFilter combinations.
import { invalidFilter, undefinedSubAttribute } from "./errors";
import type { AttributePath, CompareNode, FilterLiteral, FilterNode } from "./filter";
import { getIgnoringCase, isJsonObject, type JsonObject, type JsonValue } from "./json";
import { findDefinition, locateAttribute, URN, type AttributeDefinition, type ResourceTypeName } from "./schemas";
import { coerceBoolean } from "./values";

interface Values {
  values: JsonValue[];
  definition?: AttributeDefinition;
}

const asList = (value: JsonValue | undefined): JsonValue[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function inferResourceType(resource: object): ResourceTypeName {
  const schemas = (resource as { schemas?: unknown }).schemas;
  return Array.isArray(schemas) && schemas.some((s) => typeof s === "string" && s.toLowerCase() === URN.Group.toLowerCase())
    ? "Group"
    : "User";
}

function resourceValues(resource: JsonObject, path: AttributePath, resourceType: ResourceTypeName): Values {
  const location = locateAttribute(resourceType, path.schema, path.attribute);
  if (!location) return { values: [] };
  const container = location.extension === undefined ? resource : getIgnoringCase(resource, location.extension);
  if (!isJsonObject(container)) return { values: [] };
  const values = asList(getIgnoringCase(container, location.name));
  if (path.subAttribute === undefined) return { values, definition: location.definition };
  const sub = path.subAttribute;
  return {
    values: values.flatMap((v) => (isJsonObject(v) ? asList(getIgnoringCase(v, sub)) : [])),
    definition: findDefinition(location.definition?.subAttributes, sub),
  };
}

function elementValues(element: JsonValue, path: AttributePath, parent: AttributeDefinition | undefined): Values {
  const definition = findDefinition(parent?.subAttributes, path.attribute);
  if (isJsonObject(element)) return { values: asList(getIgnoringCase(element, path.attribute)), definition };
  // Simple multi-valued elements (custom extension arrays) expose themselves as `value`.
  return { values: path.attribute.toLowerCase() === "value" ? [element] : [], definition };
}

function isPresent(value: JsonValue): boolean {
  if (value === null || value === "") return false;
  if (Array.isArray(value)) return value.some(isPresent);
  if (isJsonObject(value)) return Object.values(value).some(isPresent);
  return true;
}

/** A complex value is compared through its `value` sub-attribute (`emails co "@example.com"`). */
function comparable(values: Values): Values {
  if (!values.values.some(isJsonObject)) return values;
  return {
    values: values.values.flatMap((v) => (isJsonObject(v) ? asList(getIgnoringCase(v, "value")) : [v])),
    definition: findDefinition(values.definition?.subAttributes, "value"),
  };
}

function order(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareOne(actual: JsonValue, node: CompareNode, definition: AttributeDefinition | undefined): boolean {
  // Entra (no aadOptscim062020) filters booleans as strings: roles[primary eq "True"].
  const expected: FilterLiteral = typeof actual === "boolean" && typeof node.value === "string" ? (coerceBoolean(node.value) ?? node.value) : node.value;
  let a: number | string;
  let b: number | string;
  if (typeof actual === "string" && typeof expected === "string") {
    const dates = definition?.type === "dateTime" ? [Date.parse(actual), Date.parse(expected)] : [];
    if (dates.length === 2 && dates.every(Number.isFinite) && !["co", "sw", "ew"].includes(node.op)) {
      [a, b] = dates as [number, number];
    } else {
      const caseExact = definition?.caseExact ?? false;
      a = caseExact ? actual : actual.toLowerCase();
      b = caseExact ? expected : expected.toLowerCase();
      if (node.op === "co") return a.includes(b);
      if (node.op === "sw") return a.startsWith(b);
      if (node.op === "ew") return a.endsWith(b);
    }
  } else if (typeof actual === "number" && typeof expected === "number") {
    [a, b] = [actual, expected];
  } else if (typeof actual === "boolean" && typeof expected === "boolean") {
    return node.op === "eq" && actual === expected;
  } else {
    return false;
  }
  const sign = order(a, b);
  switch (node.op) {
    case "eq": return sign === 0;
    case "gt": return sign > 0;
    case "ge": return sign >= 0;
    case "lt": return sign < 0;
    case "le": return sign <= 0;
    default: return false;
  }
}

/** `ne` is the negation of `eq`; `eq null` holds when the attribute is unassigned. */
function matchCompare(node: CompareNode, found: Values): boolean {
  const { values, definition } = comparable(found);
  if (node.value === null) {
    const assigned = values.some(isPresent);
    return node.op === "eq" ? !assigned : node.op === "ne" ? assigned : false;
  }
  if (node.op === "ne") return !values.some((v) => compareOne(v, { ...node, op: "eq" }, definition));
  return values.some((v) => compareOne(v, node, definition));
}

type Lookup = (path: AttributePath) => Values;

function evaluate(node: FilterNode, lookup: Lookup): boolean {
  switch (node.kind) {
    case "and": return node.filters.every((f) => evaluate(f, lookup));
    case "or": return node.filters.some((f) => evaluate(f, lookup));
    case "not": return !evaluate(node.filter, lookup);
    case "present": return lookup(node.path).values.some(isPresent);
    case "compare": return matchCompare(node, lookup(node.path));
    case "valuePath": {
      const { values, definition } = lookup(node.path);
      return values.some((element) => matchesValueFilter(element, node.filter, definition));
    }
  }
}

/** Evaluates a filter against a SCIM resource or stored document (in memory). */
export function matchesFilter(resource: object, node: FilterNode, resourceType: ResourceTypeName = inferResourceType(resource)): boolean {
  const doc = resource as JsonObject;
  return evaluate(node, (path) => resourceValues(doc, path, resourceType));
}

/** Evaluates a value filter (`type eq "work"`) against one element of a multi-valued attribute. */
export function matchesValueFilter(element: JsonValue, node: FilterNode, parent?: AttributeDefinition): boolean {
  return evaluate(node, (path) => elementValues(element, path, parent));
}

const ORDERING = new Set(["gt", "ge", "lt", "le"]);

function checkComparison(node: FilterNode & { kind: "compare" | "present" }, definition: AttributeDefinition | undefined, label: string): void {
  if (!definition || node.kind === "present") return;
  if (definition.returned === "never") throw invalidFilter(`${label} cannot be filtered on`);
  const target = definition.type === "complex" ? findDefinition(definition.subAttributes, "value") : definition;
  if (!target) throw invalidFilter(`${label} is complex: compare one of its sub-attributes`);
  if (ORDERING.has(node.op) && (target.type === "boolean" || target.type === "binary")) {
    throw invalidFilter(`${node.op} is not supported on ${target.type} attribute ${label}`);
  }
}

/**
 * Rejects filters the resource type cannot answer (RFC 7644 Table 9, invalidFilter): attributes no
 * known schema defines (custom extension attributes are allowed), ordering on booleans, value
 * filters on simple attributes. Run before compiling a filter to SQL.
 */
export function validateFilter(node: FilterNode, resourceType: ResourceTypeName): void {
  switch (node.kind) {
    case "and":
    case "or":
      node.filters.forEach((f) => validateFilter(f, resourceType));
      return;
    case "not":
      validateFilter(node.filter, resourceType);
      return;
    case "compare":
    case "present":
    case "valuePath": {
      const { path } = node;
      const label = path.schema ? `${path.schema}:${path.attribute}` : path.attribute;
      const location = locateAttribute(resourceType, path.schema, path.attribute);
      if (!location) throw invalidFilter(`Unknown attribute ${JSON.stringify(label)} for ${resourceType}`);
      const definition = location.definition;
      if (node.kind === "valuePath") {
        if (definition && definition.type !== "complex") throw invalidFilter(`${label} has no sub-attributes to filter`);
        validateElementFilter(node.filter, definition, label);
        return;
      }
      if (path.subAttribute === undefined) return checkComparison(node, definition, label);
      if (!definition) return;
      const sub = findDefinition(definition.subAttributes, path.subAttribute);
      if (!sub) throw undefinedSubAttribute(`${label}.${path.subAttribute}`);
      return checkComparison(node, sub, `${label}.${sub.name}`);
    }
  }
}

function validateElementFilter(node: FilterNode, parent: AttributeDefinition | undefined, label: string): void {
  if (node.kind === "and" || node.kind === "or") return node.filters.forEach((f) => validateElementFilter(f, parent, label));
  if (node.kind === "not") return validateElementFilter(node.filter, parent, label);
  if (node.kind === "valuePath") throw invalidFilter("Value filters cannot nest");
  if (!parent) return;
  const sub = findDefinition(parent.subAttributes, node.path.attribute);
  if (!sub) throw undefinedSubAttribute(`${label}.${node.path.attribute}`);
  checkComparison(node, sub, `${label}.${sub.name}`);
}
