// RFC 7643 §3, §3.3 and RFC 7644 §3.3, §3.5.1: request bodies as stored documents; readOnly and unknown URIs ignored.
import { invalidSyntax } from "../errors";
import { cloneJson, findKey, isJsonObject, type JsonObject, type JsonValue } from "../json";
import {
  coreSchemaUrn,
  isForeignSchema,
  knownExtension,
  locateAttribute,
  type AttributeLocation,
  type ResourceTypeName,
} from "../schemas";
import { classifyUrnKey, isUrn } from "../urns";
import { coerceAttributeValue } from "../values";

/**
 * A resource as stored: every attribute except id, meta and the server-managed lists (User
 * groups, Group members); extension attributes under their URN key; `schemas` first.
 */
export type ScimDocument = JsonObject;

/** Attributes the server owns (RFC 7643 §3.1, §4.1.2); a client's values are ignored. */
const SERVER_OWNED = new Set(["id", "meta", "groups"]);

/** `schemas` of a stored document: the core URN, then every extension container present. */
export function documentSchemas(doc: JsonObject, resourceType: ResourceTypeName): string[] {
  const extensions = Object.keys(doc).filter((key) => isUrn(key) && isJsonObject(doc[key]) && Object.keys(doc[key]).length > 0);
  return [coreSchemaUrn(resourceType), ...extensions];
}

/** Drops empty extension containers and puts a recomputed `schemas` first. */
export function finalizeDocument(doc: JsonObject, resourceType: ResourceTypeName): ScimDocument {
  const result: ScimDocument = { schemas: documentSchemas(doc, resourceType) };
  for (const [key, value] of Object.entries(doc)) {
    if (key === "schemas" || (isUrn(key) && (!isJsonObject(value) || Object.keys(value).length === 0))) continue;
    result[key] = value;
  }
  return result;
}

/** The container an attribute lives in: the document itself or its extension object. */
export function containerFor(doc: JsonObject, location: AttributeLocation, create: boolean): JsonObject | undefined {
  if (location.extension === undefined) return doc;
  const key = findKey(doc, location.extension) ?? location.extension;
  const existing = doc[key];
  if (isJsonObject(existing)) return existing;
  if (!create) return undefined;
  const container: JsonObject = {};
  doc[key] = container;
  return container;
}

function store(doc: JsonObject, location: AttributeLocation, value: JsonValue | undefined): void {
  if (value === undefined) return;
  const container = containerFor(doc, location, true)!;
  container[findKey(container, location.name) ?? location.name] = value;
}

function storeAttribute(doc: JsonObject, resourceType: ResourceTypeName, schema: string | undefined, name: string, value: JsonValue): void {
  const location = locateAttribute(resourceType, schema, name);
  const label = schema === undefined ? name : `${schema}:${name}`;
  if (!location) throw invalidSyntax(`Unknown attribute ${JSON.stringify(label)} for ${resourceType}`);
  const definition = location.definition;
  if (!definition) return store(doc, location, cloneJson(value));
  if (definition.mutability === "readOnly" || definition.mutability === "writeOnly") return;
  store(doc, location, coerceAttributeValue(definition, value, label));
}

function storeContainer(doc: JsonObject, resourceType: ResourceTypeName, schema: string, value: JsonValue): void {
  if (!isJsonObject(value)) throw invalidSyntax(`${schema} must be an object`);
  if (knownExtension(resourceType, schema)) {
    for (const [name, attributeValue] of Object.entries(value)) storeAttribute(doc, resourceType, schema, name, attributeValue);
    return;
  }
  for (const [name, attributeValue] of Object.entries(value)) {
    store(doc, { extension: schema, name }, cloneJson(attributeValue));
  }
}

/**
 * Validates and normalises a POST/PUT body. Names not defined by the resource's schemas raise
 * invalidSyntax; attributes of unknown extension URNs are kept verbatim; `serverManaged`
 * names (e.g. Group `members`) are left to the caller.
 */
export function buildDocument(body: unknown, resourceType: ResourceTypeName, serverManaged: readonly string[] = []): ScimDocument {
  if (!isJsonObject(body)) throw invalidSyntax("Request body must be a JSON object");
  const schemas = body.schemas;
  if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.every((s) => typeof s === "string"))) {
    throw invalidSyntax("schemas must be an array of URIs");
  }
  const skipped = new Set([...SERVER_OWNED, ...serverManaged.map((name) => name.toLowerCase()), "schemas"]);
  const doc: JsonObject = {};
  const visit = (object: JsonObject) => {
    for (const [key, value] of Object.entries(object)) {
      if (skipped.has(key.toLowerCase())) continue;
      if (!isUrn(key)) {
        storeAttribute(doc, resourceType, undefined, key, value);
        continue;
      }
      const { schema, attribute } = classifyUrnKey(key, value);
      if (isForeignSchema(resourceType, schema)) continue; // RFC 7644 §3.3: unknown/foreign schema URIs are ignored
      const isCore = schema.toLowerCase() === coreSchemaUrn(resourceType).toLowerCase();
      if (attribute !== undefined) {
        if (isCore && skipped.has(attribute.toLowerCase())) continue;
        storeAttribute(doc, resourceType, isCore ? undefined : schema, attribute, value);
      } else if (isCore) {
        if (!isJsonObject(value)) throw invalidSyntax(`${schema} must be an object`);
        visit(value);
      } else {
        storeContainer(doc, resourceType, schema, value);
      }
    }
  };
  visit(body);
  return finalizeDocument(doc, resourceType);
}

export interface ResourceMeta {
  id: string;
  created: Date | string;
  lastModified: Date | string;
  /** The resource's version counter; rendered as the weak ETag `W/"<version>"`. */
  version: number | string;
  /** Absolute URL of the resource. */
  location: string;
}

const isoString = (value: Date | string) => (value instanceof Date ? value.toISOString() : value);

export const weakEtag = (version: number | string) => `W/"${version}"`;

/** RFC 7643 §3.1 `meta`. */
export function resourceMeta(resourceType: ResourceTypeName, meta: ResourceMeta): JsonObject {
  return {
    resourceType,
    created: isoString(meta.created),
    lastModified: isoString(meta.lastModified),
    location: meta.location,
    version: weakEtag(meta.version),
  };
}
