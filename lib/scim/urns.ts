// RFC 7643 §8.7 and RFC 7644 §3 schema URIs; RFC 7643 §3.3 extension URN layout.

export const URN = {
  User: "urn:ietf:params:scim:schemas:core:2.0:User",
  Group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  EnterpriseUser: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
  ListResponse: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  PatchOp: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  SearchRequest: "urn:ietf:params:scim:api:messages:2.0:SearchRequest",
  Error: "urn:ietf:params:scim:api:messages:2.0:Error",
  ServiceProviderConfig: "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
  ResourceType: "urn:ietf:params:scim:schemas:core:2.0:ResourceType",
  Schema: "urn:ietf:params:scim:schemas:core:2.0:Schema",
} as const;

const KNOWN_URNS: readonly string[] = Object.values(URN).sort((a, b) => b.length - a.length);
const VERSION_SEGMENT = /^\d+(\.\d+)+$/;

export const isUrn = (text: string) => /^urn:/i.test(text);

/** The canonical spelling of a known URN (URNs compare case-insensitively), else the input. */
export function canonicalUrn(urn: string): string {
  const lower = urn.toLowerCase();
  return KNOWN_URNS.find((known) => known.toLowerCase() === lower) ?? urn;
}

export interface UrnSplit {
  /** The schema URN, canonical when known; undefined when `text` is not URN-qualified. */
  schema?: string;
  /** What follows the URN (`attr` or `attr.sub`), "" when `text` names the schema itself. */
  rest: string;
}

/**
 * Splits `urn:…:Schema:attr.sub`. Known URNs win; for unknown ones the schema ends one segment
 * after the version (`…:extension:2.0:Metadata:key`, `…:Custom:2.0:User:attr`), the layout
 * Entra and RFC 7643 §4.3 use; failing that, at the last colon.
 */
export function splitUrn(text: string): UrnSplit {
  if (!isUrn(text)) return { rest: text };
  const lower = text.toLowerCase();
  for (const known of KNOWN_URNS) {
    const knownLower = known.toLowerCase();
    if (lower === knownLower) return { schema: known, rest: "" };
    if (lower.startsWith(`${knownLower}:`)) return { schema: known, rest: text.slice(known.length + 1) };
  }
  const segments = text.split(":");
  const version = segments.findIndex((segment, i) => i > 1 && VERSION_SEGMENT.test(segment));
  if (version > 0 && version + 1 < segments.length) {
    return { schema: segments.slice(0, version + 2).join(":"), rest: segments.slice(version + 2).join(":") };
  }
  const lastColon = text.lastIndexOf(":");
  return { schema: text.slice(0, lastColon), rest: text.slice(lastColon + 1) };
}

const isKnownUrn = (urn: string) => KNOWN_URNS.some((known) => known.toLowerCase() === urn.toLowerCase());
const hasVersionSegment = (urn: string) => urn.split(":").some((segment, i) => i > 1 && VERSION_SEGMENT.test(segment));

/**
 * A body or PATCH value key that starts with `urn:`: either an extension container
 * (`"urn:…:enterprise:2.0:User": {…}`) or one URN-qualified attribute
 * (`"urn:…:2.0:CustomExtensionName:folders": [...]`). An unversioned unknown URN whose value is
 * an object is read as a container, since its layout gives no other clue.
 */
export function classifyUrnKey(key: string, value: unknown): { schema: string; attribute?: string } {
  const { schema = key, rest } = splitUrn(key);
  if (rest === "") return { schema };
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
  if (isObject && !isKnownUrn(schema) && !hasVersionSegment(schema)) return { schema: key };
  return { schema, attribute: rest };
}
