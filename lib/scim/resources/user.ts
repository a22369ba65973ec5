// RFC 7643 §4.1 User, §4.3 EnterpriseUser: validated bodies, userName unique by lib/identity/normalize, columns, representation.
import { invalidValue } from "../errors";
import { getIgnoringCase, isJsonObject, type JsonObject, type JsonValue } from "../json";
import { buildDocument, resourceMeta, type ResourceMeta, type ScimDocument } from "./document";
import { normalizeUserName } from "../../identity/normalize";
import { isUuid } from "../../uuid";
import { URN } from "../urns";

export type { ScimDocument, ResourceMeta } from "./document";

/**
 * Validates a POST/PUT body and returns the document to store: id, meta, groups and password
 * are dropped, unknown schema URIs ignored, custom extension containers kept verbatim. POST
 * and PUT validate alike: a PUT body replaces every attribute (RFC 7644 §3.5.1).
 */
export function parseUserInput(body: unknown): ScimDocument {
  const doc = buildDocument(body, "User");
  assertUserName(doc.userName);
  return doc;
}

export function assertUserName(userName: JsonValue | undefined): asserts userName is string {
  if (typeof userName !== "string" || userName.trim() === "") {
    throw invalidValue("userName is required and must be a non-empty string");
  }
}

export interface UserColumns {
  userName: string;
  userNameNormalized: string;
  externalId: string | null;
  /** The name shown for the person (the Auth.js `name`): displayName ?? name.formatted ?? given + family. */
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  /** The primary email's value, else the first email's. */
  email: string | null;
  /** Lower-cased values of emails with type "work", for `emails[type eq "work"].value eq …`. */
  workEmails: string[];
  active: boolean;
  userType: string | null;
}

const textOrNull = (value: JsonValue | undefined) => (typeof value === "string" && value !== "" ? value : null);
const objects = (value: JsonValue | undefined): JsonObject[] => (Array.isArray(value) ? value.filter(isJsonObject) : []);

/** Values the database indexes and displays, derived from a stored document. */
export function userColumns(doc: ScimDocument): UserColumns {
  assertUserName(doc.userName);
  const name = isJsonObject(doc.name) ? doc.name : {};
  const givenName = textOrNull(name.givenName);
  const familyName = textOrNull(name.familyName);
  const emails = objects(doc.emails);
  const primaryEmail = emails.find((e) => e.primary === true && textOrNull(e.value)) ?? emails.find((e) => textOrNull(e.value));
  const joinedName = [givenName, familyName].filter(Boolean).join(" ");
  return {
    userName: doc.userName,
    userNameNormalized: normalizeUserName(doc.userName),
    externalId: textOrNull(doc.externalId),
    displayName: textOrNull(doc.displayName) ?? textOrNull(name.formatted) ?? (joinedName || null),
    givenName,
    familyName,
    email: textOrNull(primaryEmail?.value),
    workEmails: [
      ...new Set(
        emails
          .filter((e) => typeof e.type === "string" && e.type.toLowerCase() === "work" && textOrNull(e.value))
          .map((e) => (e.value as string).toLowerCase()),
      ),
    ],
    active: doc.active !== false,
    userType: textOrNull(doc.userType),
  };
}

/**
 * The id of the user a document names as manager (RFC 7643 §4.3 `manager.value`; Entra also
 * stores a bare id string from a PATCH value), or null when it names none an id can be. The
 * reference is kept as sent, and resolved within the tenant when read: Entra may send a manager
 * before it provisions them.
 */
export function managerIdOf(doc: Record<string, unknown>): string | null {
  const enterprise = doc[URN.EnterpriseUser];
  if (!isJsonObject(enterprise as JsonValue)) return null;
  const manager = (enterprise as JsonObject).manager;
  const id = typeof manager === "string" ? manager : isJsonObject(manager) ? manager.value : undefined;
  return isUuid(id) ? id : null;
}

export interface UserGroupRef {
  value: string;
  display?: string;
  $ref?: string;
  type?: "direct" | "indirect";
}

export interface UserResourceMeta extends ResourceMeta {
  groups?: UserGroupRef[];
}

/** The SCIM representation (RFC 7643 §4.1): schemas, id, stored attributes, groups, meta. */
export function toScimUser(doc: ScimDocument, meta: UserResourceMeta): JsonObject {
  const { schemas, ...attributes } = doc;
  const groups = (meta.groups ?? []).map((group) => ({ ...group }) as JsonObject);
  return {
    schemas: Array.isArray(schemas) ? schemas : [],
    id: meta.id,
    ...attributes,
    ...(getIgnoringCase(attributes, "active") === undefined ? { active: true } : {}),
    ...(groups.length > 0 ? { groups } : {}),
    meta: resourceMeta("User", meta),
  };
}
