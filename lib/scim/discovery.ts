// RFC 7643 §5–§7 and RFC 7644 §4: ServiceProviderConfig, ResourceTypes and Schemas documents.
import type { JsonObject } from "./json";
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA, type AttributeDefinition, type SchemaDefinition } from "./schemas";
import { URN } from "./urns";

/** Largest page a list or .search returns (`filter.maxResults`); larger `count`s are capped. */
export const MAX_RESULTS = 200;
/**
 * Largest request body accepted, 1 MiB. SCIM has no standard field for a non-bulk body limit,
 * so it is declared as `bulk.maxPayloadSize` (RFC 7643 §5) and enforced on every request (413,
 * lib/scim-server/http.ts `readScimBody`).
 */
export const MAX_PAYLOAD_BYTES = 1_048_576;

const trimBase = (baseUrl: string) => baseUrl.replace(/\/+$/, "");

export function serviceProviderConfig(baseUrl: string): JsonObject {
  return {
    schemas: [URN.ServiceProviderConfig],
    documentationUri: "https://www.rfc-editor.org/rfc/rfc7644",
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: MAX_PAYLOAD_BYTES },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: "A tenant provisioning token sent as `Authorization: Bearer <token>`.",
        specUri: "https://www.rfc-editor.org/rfc/rfc6750",
        primary: true,
      },
    ],
    meta: {
      resourceType: "ServiceProviderConfig",
      location: `${trimBase(baseUrl)}/ServiceProviderConfig`,
    },
  };
}

export function resourceTypes(baseUrl: string): JsonObject[] {
  const base = trimBase(baseUrl);
  return [
    {
      schemas: [URN.ResourceType],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "User Account",
      schema: URN.User,
      schemaExtensions: [{ schema: URN.EnterpriseUser, required: false }],
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [URN.ResourceType],
      id: "Group",
      name: "Group",
      endpoint: "/Groups",
      description: "Group",
      schema: URN.Group,
      schemaExtensions: [],
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/Group` },
    },
  ];
}

function attributeDocument(definition: AttributeDefinition): JsonObject {
  const { subAttributes, canonicalValues, referenceTypes, ...traits } = definition;
  return {
    ...traits,
    ...(canonicalValues ? { canonicalValues } : {}),
    ...(referenceTypes ? { referenceTypes } : {}),
    ...(subAttributes ? { subAttributes: subAttributes.map(attributeDocument) } : {}),
  };
}

function schemaDocument(schema: SchemaDefinition, base: string): JsonObject {
  return {
    schemas: [URN.Schema],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeDocument),
    meta: { resourceType: "Schema", location: `${base}/Schemas/${schema.id}` },
  };
}

/** The /Schemas resources: User, EnterpriseUser, Group. Custom extensions have no definitions. */
export function schemaDocuments(baseUrl: string): JsonObject[] {
  const base = trimBase(baseUrl);
  return [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA].map((schema) => schemaDocument(schema, base));
}
