// RFC 7644 §3.5.2 PATCH: add/replace/remove, value-filtered paths, atomicity; Entra shapes; members as changes.
import { invalidPath, invalidSyntax, invalidValue, mutability, noTarget, ScimError, undefinedSubAttribute } from "./errors";
import { parsePath, type FilterNode, type PatchPath } from "./filter";
import { matchesValueFilter, validateFilter } from "./filter-match";
import { cloneJson, findKey, getIgnoringCase, isJsonObject, isUnassigned, jsonEqual, type JsonObject, type JsonValue } from "./json";
import { containerFor, finalizeDocument, type ScimDocument } from "./resources/document";
import { memberIdsFromValue } from "./resources/group";
import { coreSchemaUrn, findDefinition, isForeignSchema, knownExtension, locateAttribute, URN, type AttributeDefinition, type ResourceTypeName } from "./schemas";
import { classifyUrnKey, isUrn } from "./urns";
import { coerceAttributeValue, coerceSubAttributeValue, complexValue } from "./values";

export type PatchOpName = "add" | "replace" | "remove";

/** One operation as received: `op` in any letter case (Entra sends `Add`, `Replace`, `Remove`). */
export interface PatchOperation {
  op: string;
  path?: string | null;
  value?: unknown;
}

/**
 * Group membership edits, in request order, for the database to apply as single-row writes:
 * `add`/`remove` the listed user ids, `replace` the whole list with `ids`, `removeAll`.
 */
export type MemberChange =
  | { op: "add"; ids: string[] }
  | { op: "remove"; ids: string[] }
  | { op: "replace"; ids: string[] }
  | { op: "removeAll" };

export interface PatchResult {
  doc: ScimDocument;
  memberChanges: MemberChange[];
}

const MAX_OPERATIONS = 1000;

/** Validates a PatchOp message (RFC 7644 §3.5.2) and returns its operations. */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isJsonObject(body)) throw invalidSyntax("PATCH body must be a JSON object");
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === "string" && s.toLowerCase() === URN.PatchOp.toLowerCase())) {
    throw invalidSyntax(`PATCH body must list ${URN.PatchOp} in schemas`);
  }
  const operations = getIgnoringCase(body, "Operations");
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax("Operations must be a non-empty array");
  if (operations.length > MAX_OPERATIONS) throw invalidSyntax(`At most ${MAX_OPERATIONS} operations per PATCH`);
  return operations.map((operation, index) => {
    if (!isJsonObject(operation)) throw invalidSyntax(`Operations[${index}] must be an object`);
    const op = getIgnoringCase(operation, "op");
    const path = getIgnoringCase(operation, "path");
    if (typeof op !== "string") throw invalidSyntax(`Operations[${index}].op must be a string`);
    if (path !== undefined && path !== null && typeof path !== "string") throw invalidPath(`Operations[${index}].path must be a string`);
    return { op, path, value: getIgnoringCase(operation, "value") };
  });
}

interface Session {
  doc: JsonObject;
  resourceType: ResourceTypeName;
  memberChanges: MemberChange[];
}

/** Applies every operation to a copy of `doc`; throws ScimError (and changes nothing) if any fails. */
export function applyPatch(doc: ScimDocument, operations: readonly PatchOperation[], resourceType: ResourceTypeName): PatchResult {
  const session: Session = { doc: cloneJson(doc), resourceType, memberChanges: [] };
  operations.forEach((operation, index) => {
    try {
      applyOperation(session, operation);
    } catch (error) {
      if (error instanceof ScimError && operations.length > 1) {
        throw new ScimError(error.status, error.scimType, `Operations[${index}]: ${error.detail}`);
      }
      throw error;
    }
  });
  return { doc: finalizeDocument(session.doc, resourceType), memberChanges: session.memberChanges };
}

/**
 * The member changes of a Group PATCH whose every operation has a `members` path (Entra's
 * shape), or undefined when any operation has no path or another one. Such a PATCH needs no
 * read of the group document: its operations are applied to a stand-in group, which only
 * yields the changes (and the same errors a real group would).
 */
export function memberChangesOf(operations: readonly PatchOperation[]): MemberChange[] | undefined {
  if (!operations.every((operation) => typeof operation.path === "string" && isMembersPath(operation.path))) return undefined;
  return applyPatch(STAND_IN_GROUP, operations, "Group").memberChanges;
}

const STAND_IN_GROUP: ScimDocument = { schemas: [URN.Group], displayName: "stand-in" };

function isMembersPath(text: string): boolean {
  let path: PatchPath;
  try {
    path = parsePath(text);
  } catch {
    return false;
  }
  const core = path.schema === undefined || path.schema.toLowerCase() === URN.Group.toLowerCase();
  return core && path.attribute?.toLowerCase() === "members" && path.subAttribute === undefined;
}

function operationName(op: unknown): PatchOpName {
  const name = typeof op === "string" ? op.trim().toLowerCase() : "";
  if (name === "add" || name === "replace" || name === "remove") return name;
  throw invalidSyntax(`Unknown op ${JSON.stringify(op)}; expected add, replace or remove`);
}

function applyOperation(session: Session, operation: PatchOperation): void {
  const op = operationName(operation.op);
  const value = operation.value as JsonValue | undefined;
  const pathText = typeof operation.path === "string" ? operation.path.trim() : undefined;
  if (operation.path !== undefined && operation.path !== null && typeof operation.path !== "string") {
    throw invalidPath("path must be a string");
  }
  if (op !== "remove" && value === undefined) throw invalidSyntax(`${op} requires a value`);
  if (!pathText) {
    if (op === "remove") throw noTarget("remove requires a path");
    if (!isJsonObject(value)) throw invalidValue(`${op} without a path needs an object value`);
    return applyValueObject(session, op, value);
  }
  applyAtPath(session, op, parsePath(pathText), value);
}

const ECHOED_KEYS = new Set(["schemas", "id", "meta"]);

/** Path-less add/replace: each key is itself a path (aadOptscim062020 sends `name.givenName`, URN-qualified keys). */
function applyValueObject(session: Session, op: PatchOpName, object: JsonObject, customSchema?: string, knownSchema?: string): void {
  for (const [key, value] of Object.entries(object)) {
    // Okta echoes `id` (and some clients `meta`) in path-less values: ignored, as PUT ignores them.
    if (customSchema === undefined && ECHOED_KEYS.has(key.toLowerCase())) continue;
    if (customSchema !== undefined) {
      applyAtPath(session, op, { schema: customSchema, attribute: key }, value);
    } else if (knownSchema === undefined && isUrn(key)) {
      const { schema, attribute } = classifyUrnKey(key, value);
      if (attribute === undefined) applyAtPath(session, op, { schema }, value);
      else applyAtPath(session, op, parsePath(key), value);
    } else {
      const path = parsePath(key);
      applyAtPath(session, op, knownSchema !== undefined && path.schema === undefined ? { ...path, schema: knownSchema } : path, value);
    }
  }
}

function applyAtPath(session: Session, op: PatchOpName, path: PatchPath, value: JsonValue | undefined): void {
  const { doc, resourceType } = session;
  const isCore = path.schema === undefined || path.schema.toLowerCase() === coreSchemaUrn(resourceType).toLowerCase();
  if (path.schema !== undefined && isForeignSchema(resourceType, path.schema)) {
    throw invalidPath(`${path.schema} is not a schema of ${resourceType}`);
  }
  if (path.attribute === undefined) return applyToSchema(session, op, path.schema!, isCore, value);
  if (resourceType === "Group" && isCore && path.attribute.toLowerCase() === "members") {
    session.memberChanges.push(memberChange(op, path, value));
    return;
  }
  const location = locateAttribute(resourceType, isCore ? undefined : path.schema, path.attribute);
  if (!location) throw invalidPath(`Unknown attribute ${JSON.stringify(path.attribute)} for ${resourceType}`);
  const definition = location.definition;
  if (definition?.mutability === "readOnly") throw mutability(`${definition.name} is readOnly`);
  if (definition?.mutability === "writeOnly") return; // password: accepted, never stored (changePassword is unsupported)
  const subDefinition = checkSubAttribute(definition, path);
  if (path.filter) checkValueFilter(definition, path.filter, resourceType);
  const container = containerFor(doc, location, op !== "remove");
  if (!container) return;
  const key = findKey(container, location.name) ?? location.name;
  const target: Target = { container, key, definition, label: definition?.name ?? location.name };
  if (path.filter) applyFiltered(op, target, path.filter, path.subAttribute, subDefinition, value);
  else if (path.subAttribute !== undefined) applySubAttribute(op, target, path.subAttribute, subDefinition, value);
  else applyWhole(op, target, value);
  if (isUnassigned(container[key]) || (isJsonObject(container[key]) && Object.keys(container[key]).length === 0)) delete container[key];
}

function applyToSchema(session: Session, op: PatchOpName, schema: string, isCore: boolean, value: JsonValue | undefined): void {
  if (isCore) {
    if (op === "remove") throw invalidPath("The core schema cannot be removed");
    if (!isJsonObject(value)) throw invalidValue(`${schema} needs an object value`);
    return applyValueObject(session, op, value);
  }
  const key = findKey(session.doc, schema);
  if (op === "remove") {
    if (key !== undefined) delete session.doc[key];
    return;
  }
  if (!isJsonObject(value)) throw invalidValue(`${schema} needs an object value`);
  const known = knownExtension(session.resourceType, schema) !== undefined;
  if (op === "replace" && key !== undefined) delete session.doc[key];
  applyValueObject(session, op, value as JsonObject, known ? undefined : schema, known ? schema : undefined);
}

function checkSubAttribute(definition: AttributeDefinition | undefined, path: PatchPath): AttributeDefinition | undefined {
  if (path.subAttribute === undefined || !definition) return undefined;
  if (definition.type !== "complex") throw invalidPath(`${definition.name} has no sub-attributes`);
  const sub = findDefinition(definition.subAttributes, path.subAttribute);
  if (!sub) throw undefinedSubAttribute(`${definition.name}.${path.subAttribute}`);
  if (sub.mutability === "readOnly") throw mutability(`${definition.name}.${sub.name} is readOnly`);
  return sub;
}

function checkValueFilter(definition: AttributeDefinition | undefined, filter: FilterNode, resourceType: ResourceTypeName): void {
  if (!definition) return;
  if (!definition.multiValued) throw invalidPath(`Value filters apply to multi-valued attributes, not ${definition.name}`);
  try {
    validateFilter({ kind: "valuePath", path: { attribute: definition.name }, filter }, resourceType);
  } catch (error) {
    if (error instanceof ScimError && error.scimType !== "invalidSyntax") throw invalidPath(error.detail);
    throw error;
  }
}

interface Target {
  container: JsonObject;
  key: string;
  definition?: AttributeDefinition;
  label: string;
}

function applyWhole(op: PatchOpName, target: Target, value: JsonValue | undefined): void {
  const { container, key, definition } = target;
  const existing = container[key];
  if (op === "remove") {
    if (Array.isArray(existing) && !isUnassigned(value)) {
      // Entra-style removal by value: {"op":"remove","path":"emails","value":[{"value":"x"}]}
      const removals = Array.isArray(value) ? value : [value!];
      container[key] = existing.filter((element) => !removals.some((removal) => sameElement(element, removal)));
      return;
    }
    if (definition?.required) throw invalidValue(`${definition.name} is required and cannot be removed`);
    delete container[key];
    return;
  }
  if (!definition) return applyCustomWhole(op, target, value!);
  const coerced = coerceAttributeValue(definition, value!, target.label);
  if (coerced === undefined) {
    if (op === "add") return;
    if (definition.required) throw invalidValue(`${definition.name} is required and cannot be removed`);
    delete container[key];
    return;
  }
  if (definition.multiValued) {
    const incoming = coerced as JsonValue[];
    if (op === "replace" || !Array.isArray(existing)) {
      container[key] = incoming;
    } else {
      const added = incoming.filter((item) => !existing.some((e) => jsonEqual(e, item)));
      container[key] = [...existing, ...added];
    }
    return keepOnePrimary(container[key], incoming);
  }
  if (definition.type === "complex" && isJsonObject(existing) && isJsonObject(coerced)) {
    container[key] = mergeComplex(existing, coerced);
    return;
  }
  container[key] = coerced;
}

/** RFC 7644 §3.5.2.3: sub-attributes not given are kept — unless the reference (`value`) changes. */
function mergeComplex(existing: JsonObject, incoming: JsonObject): JsonObject {
  if (incoming.value !== undefined && existing.value !== undefined && !jsonEqual(incoming.value, existing.value)) return incoming;
  return { ...existing, ...incoming };
}

function applyCustomWhole(op: PatchOpName, target: Target, value: JsonValue): void {
  const { container, key } = target;
  const existing = container[key];
  if (value === null) {
    if (op === "replace") delete container[key];
    return;
  }
  if (op === "add" && Array.isArray(existing)) {
    const items = Array.isArray(value) ? value : [value];
    container[key] = [...existing, ...items.filter((item) => !existing.some((e) => jsonEqual(e, item))).map(cloneJson)];
    return;
  }
  container[key] = cloneJson(value);
}

function applySubAttribute(op: PatchOpName, target: Target, sub: string, subDefinition: AttributeDefinition | undefined, value: JsonValue | undefined): void {
  const { container, key, definition } = target;
  const existing = container[key];
  const subName = subDefinition?.name ?? sub;
  const subValue = op === "remove" ? undefined : coerceSub(definition, subDefinition, value!);
  if (definition?.multiValued || Array.isArray(existing)) {
    const elements = (Array.isArray(existing) ? existing : []).filter(isJsonObject);
    if (subValue === undefined) {
      elements.forEach((element) => deleteIgnoringCase(element, subName));
      container[key] = elements.filter((element) => Object.keys(element).length > 0);
      return;
    }
    if (elements.length === 0) elements.push({});
    elements.forEach((element) => setIgnoringCase(element, subName, subValue));
    container[key] = elements;
    return keepOnePrimary(elements, elements.slice(-1));
  }
  const object = isJsonObject(existing) ? existing : {};
  if (subValue === undefined) {
    deleteIgnoringCase(object, subName);
  } else {
    // A new reference invalidates what described the old one (manager.$ref, manager.displayName).
    if (subName === "value" && object.value !== undefined && !jsonEqual(object.value, subValue)) {
      for (const described of ["$ref", "display", "displayName"]) deleteIgnoringCase(object, described);
    }
    setIgnoringCase(object, subName, subValue);
  }
  container[key] = object;
}

function coerceSub(definition: AttributeDefinition | undefined, sub: AttributeDefinition | undefined, value: JsonValue): JsonValue | undefined {
  if (!definition || !sub) return value === null ? undefined : cloneJson(value);
  return coerceSubAttributeValue(definition, sub, value);
}

function applyFiltered(op: PatchOpName, target: Target, filter: FilterNode, sub: string | undefined, subDefinition: AttributeDefinition | undefined, value: JsonValue | undefined): void {
  const { container, key, definition, label } = target;
  const existing = container[key];
  const elements: JsonValue[] = Array.isArray(existing) ? existing : existing === undefined ? [] : [existing];
  const matched = elements.filter((element) => matchesValueFilter(element, filter, definition));
  const subName = subDefinition?.name ?? sub;
  if (op === "remove") {
    if (subName === undefined) {
      container[key] = elements.filter((element) => !matched.includes(element));
      return;
    }
    for (const element of matched) if (isJsonObject(element)) deleteIgnoringCase(element, subName);
    // An element without its value no longer exists (Entra clears emails[type eq "work"].value).
    const emptied = (element: JsonValue) =>
      matched.includes(element) && (!isJsonObject(element) || Object.keys(element).length === 0 || (subName === "value" && definition !== undefined));
    container[key] = elements.filter((element) => !emptied(element));
    return;
  }
  if (value === null) {
    if (op === "replace") return applyFiltered("remove", target, filter, sub, subDefinition, undefined);
    return;
  }
  const touched: JsonValue[] = [];
  if (matched.length === 0) {
    // Entra expects `emails[type eq "work"].value` to create the work email when there is none.
    const seed = equalityTemplate(filter);
    if (!seed) throw noTarget(`No value of ${label} matches the filter, and it cannot be created from it`);
    const raw = subName === undefined ? (isJsonObject(value) ? { ...seed, ...value } : undefined) : { ...seed, [subName]: value! };
    if (!raw) throw invalidValue(`${label} values must be objects`);
    const element = definition ? complexValue(definition, raw, label) : cloneJson(raw);
    if (element === undefined) return;
    elements.push(element);
    touched.push(element);
  } else {
    for (const element of matched) {
      const index = elements.indexOf(element);
      if (subName !== undefined) {
        if (!isJsonObject(element)) throw invalidValue(`${label} values have no sub-attribute ${subName}`);
        const subValue = coerceSub(definition, subDefinition, value!);
        if (subValue === undefined) deleteIgnoringCase(element, subName);
        else setIgnoringCase(element, subName, subValue);
        touched.push(element);
        continue;
      }
      const incoming = definition ? complexValue(definition, value!, label) : cloneJson(value!);
      if (incoming === undefined) continue;
      const base = op === "add" && isJsonObject(element) ? element : equalityTemplate(filter) ?? {};
      const replacement = isJsonObject(incoming) ? { ...base, ...incoming } : incoming;
      elements[index] = replacement;
      touched.push(replacement);
    }
  }
  container[key] = elements;
  if (definition) keepOnePrimary(elements, touched);
}

/** `type eq "work" and …` → `{type: "work"}`: the element a filter describes, if it only uses `eq`. */
function equalityTemplate(filter: FilterNode): JsonObject | undefined {
  const terms = filter.kind === "and" ? filter.filters : [filter];
  const template: JsonObject = {};
  for (const term of terms) {
    if (term.kind !== "compare" || term.op !== "eq" || term.value === null || term.path.subAttribute !== undefined) return undefined;
    template[term.path.attribute] = term.value;
  }
  return template;
}

/** RFC 7643 §2.4: `primary: true` at most once — the value just written wins. */
function keepOnePrimary(values: JsonValue, written: readonly JsonValue[]): void {
  if (!Array.isArray(values)) return;
  const winner = [...written].reverse().find((item) => isJsonObject(item) && item.primary === true);
  if (!winner) return;
  for (const element of values) {
    if (element !== winner && isJsonObject(element) && element.primary === true) element.primary = false;
  }
}

function sameElement(element: JsonValue, removal: JsonValue): boolean {
  if (!isJsonObject(removal) || !isJsonObject(element)) return jsonEqual(element, removal);
  return Object.entries(removal).every(([name, wanted]) => {
    if (wanted === null) return true;
    const actual = getIgnoringCase(element, name);
    return typeof wanted === "string" && typeof actual === "string" ? wanted.toLowerCase() === actual.toLowerCase() : jsonEqual(actual, wanted);
  });
}

function setIgnoringCase(object: JsonObject, name: string, value: JsonValue): void {
  object[findKey(object, name) ?? name] = value;
}

function deleteIgnoringCase(object: JsonObject, name: string): void {
  const key = findKey(object, name);
  if (key !== undefined) delete object[key];
}

/** Group `members` operations (RFC 7644 §3.5.2 Figures in §3.5.2.1–3, and Entra's legacy removal). */
function memberChange(op: PatchOpName, path: PatchPath, value: JsonValue | undefined): MemberChange {
  if (path.subAttribute !== undefined) throw invalidPath("Member sub-attributes cannot be modified");
  if (path.filter) {
    if (op !== "remove") throw invalidPath(`${op} cannot target members[…]; add or replace members with a value`);
    return { op: "remove", ids: memberIdsFromFilter(path.filter) };
  }
  if (op === "remove") return isUnassigned(value) ? { op: "removeAll" } : { op: "remove", ids: memberIdsFromValue(value) };
  return { op, ids: memberIdsFromValue(value) };
}

/** `members[value eq "<id>"]`, or several joined with `or`. */
function memberIdsFromFilter(filter: FilterNode): string[] {
  const terms = filter.kind === "or" ? filter.filters : [filter];
  const ids = terms.map((term) => {
    if (term.kind === "compare" && term.op === "eq" && term.path.attribute.toLowerCase() === "value" && typeof term.value === "string") {
      return term.value;
    }
    throw invalidPath('Only members[value eq "<id>"] filters are supported');
  });
  return [...new Set(ids)];
}
