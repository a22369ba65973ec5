// RFC 7643 §4.2 Group: displayName required and unique after NFKC; members as ids, never stored in the document.
import { invalidValue } from "../errors";
import { getIgnoringCase, isJsonObject, isUnassigned, type JsonObject, type JsonValue } from "../json";
import { buildDocument, resourceMeta, type ResourceMeta, type ScimDocument } from "./document";
import { foldName } from "../../identity/normalize";

export type { ScimDocument, ResourceMeta } from "./document";

export interface GroupInput {
  doc: ScimDocument;
  /** Distinct member ids from `members[].value`, in request order. */
  memberIds: string[];
}

/**
 * Member ids of a `members` value: `[{"value":"<id>"}, …]`, one object, or bare id strings.
 * Nested groups are not supported (Entra never sends them).
 */
export function memberIdsFromValue(value: JsonValue | undefined): string[] {
  if (isUnassigned(value)) return [];
  const ids = (Array.isArray(value) ? value : [value!]).map((member) => {
    const id = isJsonObject(member) ? getIgnoringCase(member, "value") : member;
    if (typeof id !== "string" || id.trim() === "") throw invalidValue("Each member needs a non-empty string value (the member's id)");
    const type = isJsonObject(member) ? getIgnoringCase(member, "type") : undefined;
    if (typeof type === "string" && type.toLowerCase() === "group") throw invalidValue("Nested groups are not supported");
    return id;
  });
  return [...new Set(ids)];
}

export function parseGroupInput(body: unknown): GroupInput {
  const doc = buildDocument(body, "Group", ["members"]);
  assertDisplayName(doc.displayName);
  const members = isJsonObject(body) ? getIgnoringCase(body, "members") : undefined;
  return { doc, memberIds: memberIdsFromValue(members) };
}

export function assertDisplayName(displayName: JsonValue | undefined): asserts displayName is string {
  if (typeof displayName !== "string" || displayName.trim() === "") {
    throw invalidValue("displayName is required and must be a non-empty string");
  }
}

export interface GroupColumns {
  displayName: string;
  displayNameNormalized: string;
  externalId: string | null;
}

export function groupColumns(doc: ScimDocument): GroupColumns {
  assertDisplayName(doc.displayName);
  return {
    displayName: doc.displayName,
    displayNameNormalized: foldName(doc.displayName),
    externalId: typeof doc.externalId === "string" && doc.externalId !== "" ? doc.externalId : null,
  };
}

export interface GroupMemberRef {
  value: string;
  display?: string;
  $ref?: string;
  type?: "User" | "Group";
}

export interface GroupResourceMeta extends ResourceMeta {
  members?: GroupMemberRef[];
}

/** The SCIM representation (RFC 7643 §4.2): schemas, id, stored attributes, members, meta. */
export function toScimGroup(doc: ScimDocument, meta: GroupResourceMeta): JsonObject {
  const { schemas, ...attributes } = doc;
  const members = (meta.members ?? []).map((member) => ({ type: "User", ...member }) as JsonObject);
  return {
    schemas: Array.isArray(schemas) ? schemas : [],
    id: meta.id,
    ...attributes,
    ...(members.length > 0 ? { members } : {}),
    meta: resourceMeta("Group", meta),
  };
}
