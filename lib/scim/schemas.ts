// RFC 7643 §2–§4, §7, §8.7.1 attribute characteristics of User, EnterpriseUser, Group; case-insensitive lookup.
import { splitUrn, URN } from "./urns";

export { URN, canonicalUrn, isUrn, splitUrn } from "./urns";
export type { UrnSplit } from "./urns";

export type ResourceTypeName = "User" | "Group";
export type AttributeType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "binary" | "complex";
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
export type Returned = "always" | "never" | "default" | "request";
export type Uniqueness = "none" | "server" | "global";

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
}

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDefinition[];
}

function attribute(name: string, type: AttributeType, description: string, traits: Partial<AttributeDefinition> = {}): AttributeDefinition {
  return {
    name, type, multiValued: false, description, required: false, caseExact: false,
    mutability: "readWrite", returned: "default", uniqueness: "none", ...traits,
  };
}

const text = (name: string, description: string, traits?: Partial<AttributeDefinition>) =>
  attribute(name, "string", description, traits);

/** RFC 7643 §2.4: the value/display/type/primary shape shared by multi-valued attributes. */
function multiValued(name: string, description: string, types: string[], traits: { value?: Partial<AttributeDefinition>; extra?: AttributeDefinition[]; readOnly?: boolean } = {}): AttributeDefinition {
  const mutability: Mutability = traits.readOnly ? "readOnly" : "readWrite";
  return attribute(name, "complex", description, {
    multiValued: true,
    mutability,
    subAttributes: [
      text("value", `The value of ${name}.`, { mutability, ...traits.value }),
      text("display", "A human-readable name, primarily used for display purposes.", { mutability }),
      text("type", "A label indicating the attribute's function.", { mutability, canonicalValues: types }),
      attribute("primary", "boolean", "Whether this is the preferred value; true at most once.", { mutability }),
      ...(traits.extra ?? []),
    ],
  });
}

/** RFC 7643 §3.1 common attributes: part of every resource, not of any schema document. */
export const COMMON_ATTRIBUTES: AttributeDefinition[] = [
  text("id", "Unique identifier assigned by the service provider.", { caseExact: true, mutability: "readOnly", returned: "always", uniqueness: "server" }),
  text("externalId", "Identifier assigned by the provisioning client.", { caseExact: true }),
  attribute("meta", "complex", "Resource metadata.", {
    mutability: "readOnly",
    subAttributes: [
      text("resourceType", "The resource type name.", { caseExact: true, mutability: "readOnly" }),
      attribute("created", "dateTime", "When the resource was added.", { mutability: "readOnly" }),
      attribute("lastModified", "dateTime", "When the resource was last changed.", { mutability: "readOnly" }),
      attribute("location", "reference", "The URI of the resource.", { caseExact: true, mutability: "readOnly", referenceTypes: ["uri"] }),
      text("version", "The resource version (weak ETag).", { caseExact: true, mutability: "readOnly" }),
    ],
  }),
];

export const USER_SCHEMA: SchemaDefinition = {
  id: URN.User,
  name: "User",
  description: "User Account",
  attributes: [
    text("userName", "Unique identifier for the User, unique case-insensitively.", { required: true, uniqueness: "server" }),
    attribute("name", "complex", "The components of the user's real name.", {
      subAttributes: [
        text("formatted", "The full name, formatted for display."),
        text("familyName", "The family name, or last name."),
        text("givenName", "The given name, or first name."),
        text("middleName", "The middle name(s)."),
        text("honorificPrefix", "The honorific prefix(es), e.g. 'Ms.'."),
        text("honorificSuffix", "The honorific suffix(es), e.g. 'III'."),
      ],
    }),
    text("displayName", "The name of the User, suitable for display."),
    text("nickName", "The casual way to address the user."),
    attribute("profileUrl", "reference", "A URI to the user's online profile.", { referenceTypes: ["external"] }),
    text("title", "The user's title, such as 'Vice President'."),
    text("userType", "The relationship to the organization, e.g. 'Employee'."),
    text("preferredLanguage", "Preferred written or spoken language (RFC 7231 §5.3.5)."),
    text("locale", "Default location for localizing, e.g. 'en-US'."),
    text("timezone", "Time zone in IANA format, e.g. 'America/Los_Angeles'."),
    attribute("active", "boolean", "The user's administrative status."),
    text("password", "The user's cleartext password; never returned.", { mutability: "writeOnly", returned: "never" }),
    multiValued("emails", "Email addresses for the user.", ["work", "home", "other"]),
    multiValued("phoneNumbers", "Phone numbers for the user.", ["work", "home", "mobile", "fax", "pager", "other"]),
    multiValued("ims", "Instant messaging addresses for the user.", ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
    multiValued("photos", "URLs of photos of the user.", ["photo", "thumbnail"], { value: { type: "reference", referenceTypes: ["external"] } }),
    attribute("addresses", "complex", "A physical mailing address for this user.", {
      multiValued: true,
      subAttributes: [
        text("formatted", "The full mailing address, formatted for display."),
        text("streetAddress", "The full street address component."),
        text("locality", "The city or locality component."),
        text("region", "The state or region component."),
        text("postalCode", "The zip code or postal code component."),
        text("country", "The country name component (ISO 3166-1 alpha-2)."),
        text("type", "A label indicating the address's function.", { canonicalValues: ["work", "home", "other"] }),
        attribute("primary", "boolean", "Whether this is the primary address; true at most once."),
      ],
    }),
    attribute("groups", "complex", "Groups the user belongs to; managed through Group resources.", {
      multiValued: true,
      mutability: "readOnly",
      subAttributes: [
        text("value", "The id of the Group.", { mutability: "readOnly" }),
        attribute("$ref", "reference", "The URI of the Group.", { mutability: "readOnly", referenceTypes: ["User", "Group"] }),
        text("display", "The displayName of the Group.", { mutability: "readOnly" }),
        text("type", "How the membership was derived.", { mutability: "readOnly", canonicalValues: ["direct", "indirect"] }),
      ],
    }),
    // The interop profile asks for canonicalValues on every type; RFC 7643 suggests none for these
    // three, so only Entra's app-role type is listed (an empty list suggests no value).
    multiValued("entitlements", "Entitlements of the user.", []),
    multiValued("roles", "Roles of the user, e.g. 'Admin'.", ["WindowsAzureActiveDirectoryRole"]),
    multiValued("x509Certificates", "X.509 certificates issued to the user.", [], { value: { type: "binary" } }),
  ],
};

export const ENTERPRISE_USER_SCHEMA: SchemaDefinition = {
  id: URN.EnterpriseUser,
  name: "EnterpriseUser",
  description: "Enterprise User",
  attributes: [
    text("employeeNumber", "Identifier assigned by the organization."),
    text("costCenter", "Name of a cost center."),
    text("organization", "Name of an organization."),
    text("division", "Name of a division."),
    text("department", "Name of a department."),
    attribute("manager", "complex", "The user's manager.", {
      subAttributes: [
        text("value", "The id of the manager's User resource."),
        attribute("$ref", "reference", "The URI of the manager's User resource.", { referenceTypes: ["User"] }),
        text("displayName", "The manager's displayName.", { mutability: "readOnly" }),
      ],
    }),
  ],
};

export const GROUP_SCHEMA: SchemaDefinition = {
  id: URN.Group,
  name: "Group",
  description: "Group",
  attributes: [
    text("displayName", "A human-readable name for the Group, unique case-insensitively.", { required: true, uniqueness: "server" }),
    attribute("members", "complex", "Members of the Group.", {
      multiValued: true,
      subAttributes: [
        text("value", "The id of the member.", { mutability: "immutable" }),
        attribute("$ref", "reference", "The URI of the member.", { mutability: "immutable", referenceTypes: ["User", "Group"] }),
        text("display", "The member's display name.", { mutability: "readOnly" }),
        text("type", "The member's resource type.", { mutability: "immutable", canonicalValues: ["User", "Group"] }),
      ],
    }),
  ],
};

export const RESOURCE_SCHEMAS: Record<ResourceTypeName, { core: SchemaDefinition; extensions: SchemaDefinition[] }> = {
  User: { core: USER_SCHEMA, extensions: [ENTERPRISE_USER_SCHEMA] },
  Group: { core: GROUP_SCHEMA, extensions: [] },
};

const ALL_SCHEMAS = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA];

export const coreSchemaUrn = (resourceType: ResourceTypeName) => RESOURCE_SCHEMAS[resourceType].core.id;

const definitionIndexes = new WeakMap<readonly AttributeDefinition[], Map<string, AttributeDefinition>>();

/** Case-insensitive lookup in a list of definitions (indexed on first use: lookups are hot). */
export function findDefinition(definitions: readonly AttributeDefinition[] | undefined, name: string): AttributeDefinition | undefined {
  if (!definitions) return undefined;
  let index = definitionIndexes.get(definitions);
  if (!index) {
    index = new Map(definitions.map((definition) => [definition.name.toLowerCase(), definition]));
    definitionIndexes.set(definitions, index);
  }
  return index.get(name.toLowerCase());
}

/** Known schema URIs that are not part of this resource type (e.g. the Group URN on a User). */
const KNOWN_URNS_LOWER = new Set(Object.values(URN).map((urn) => urn.toLowerCase()));
const OWN_URNS_LOWER: Record<ResourceTypeName, Set<string>> = {
  User: new Set([URN.User, URN.EnterpriseUser].map((urn) => urn.toLowerCase())),
  Group: new Set([URN.Group.toLowerCase()]),
};

export function isForeignSchema(resourceType: ResourceTypeName, schema: string): boolean {
  const lower = schema.toLowerCase();
  return KNOWN_URNS_LOWER.has(lower) && !OWN_URNS_LOWER[resourceType].has(lower);
}

/** Known extension schema of this resource type with this URN (case-insensitive). */
export function knownExtension(resourceType: ResourceTypeName, schema: string): SchemaDefinition | undefined {
  const lower = schema.toLowerCase();
  return RESOURCE_SCHEMAS[resourceType].extensions.find((s) => s.id.toLowerCase() === lower);
}

export interface AttributeLocation {
  /** Extension URN whose JSON container holds the attribute; undefined for top-level attributes. */
  extension?: string;
  /** Schema definition; undefined for attributes of unknown (custom) extensions, stored verbatim. */
  definition?: AttributeDefinition;
  /** Canonical name for defined attributes; as written for custom ones. */
  name: string;
}

/**
 * Where `attribute` (optionally qualified by `schema`) lives in a resource of this type.
 * Unqualified names fall back to the type's known extensions (`department`); undefined when
 * the name is not defined by a known schema of this resource type.
 */
export function locateAttribute(resourceType: ResourceTypeName, schema: string | undefined, attribute: string): AttributeLocation | undefined {
  const { core, extensions } = RESOURCE_SCHEMAS[resourceType];
  if (schema === undefined || schema.toLowerCase() === core.id.toLowerCase()) {
    const definition = findDefinition(COMMON_ATTRIBUTES, attribute) ?? findDefinition(core.attributes, attribute);
    if (definition) return { definition, name: definition.name };
    if (schema !== undefined) return undefined;
    for (const extension of extensions) {
      const inExtension = findDefinition(extension.attributes, attribute);
      if (inExtension) return { extension: extension.id, definition: inExtension, name: inExtension.name };
    }
    return undefined;
  }
  const extension = knownExtension(resourceType, schema);
  if (extension) {
    const definition = findDefinition(extension.attributes, attribute);
    return definition ? { extension: extension.id, definition, name: definition.name } : undefined;
  }
  if (isForeignSchema(resourceType, schema)) return undefined;
  return { extension: schema, name: attribute };
}

export interface ResolvedAttribute extends AttributeLocation {
  subAttribute?: { name: string; definition?: AttributeDefinition };
}

/**
 * Resolves a textual attribute path (`userName`, `name.givenName`,
 * `urn:…:enterprise:2.0:User:manager.value`, `urn:…:core:2.0:User:userName`) case-insensitively.
 */
export function findAttribute(resourceType: ResourceTypeName, path: string): ResolvedAttribute | undefined {
  const { schema, rest } = splitUrn(path);
  const [attribute, sub, ...extra] = rest.split(".");
  if (!attribute || extra.length > 0) return undefined;
  const location = locateAttribute(resourceType, schema, attribute);
  if (!location || sub === undefined) return location;
  if (!location.definition) return { ...location, subAttribute: { name: sub } };
  const subDefinition = findDefinition(location.definition.subAttributes, sub);
  return subDefinition ? { ...location, subAttribute: { name: subDefinition.name, definition: subDefinition } } : undefined;
}

/** Every top-level definition, across schemas or within one, for parsers that do not know the resource type. */
const ANY_SCHEMA_ATTRIBUTES = [...COMMON_ATTRIBUTES, ...USER_SCHEMA.attributes, ...GROUP_SCHEMA.attributes, ...ENTERPRISE_USER_SCHEMA.attributes];
const SCHEMA_ATTRIBUTES = new Map(ALL_SCHEMAS.map((schema) => [schema.id, [...COMMON_ATTRIBUTES, ...schema.attributes]]));

function definitionAcrossSchemas(schema: string | undefined, attribute: string): AttributeDefinition | undefined {
  const definitions = schema === undefined ? ANY_SCHEMA_ATTRIBUTES : (SCHEMA_ATTRIBUTES.get(schema) ?? COMMON_ATTRIBUTES);
  return findDefinition(definitions, attribute);
}

/**
 * Canonical spelling of a (possibly unknown) attribute name, looked up across every known schema
 * (or the given one) so that parsers can normalise case without knowing the resource type.
 */
export function canonicalAttributeName(schema: string | undefined, attribute: string): string {
  return definitionAcrossSchemas(schema, attribute)?.name ?? attribute;
}

/** The definition a sub-attribute name refers to, across schemas, when the parent is known. */
export function parentDefinition(schema: string | undefined, attribute: string): AttributeDefinition | undefined {
  return definitionAcrossSchemas(schema, attribute);
}

export function canonicalSubAttributeName(parent: AttributeDefinition | undefined, sub: string): string {
  return findDefinition(parent?.subAttributes, sub)?.name ?? sub;
}
