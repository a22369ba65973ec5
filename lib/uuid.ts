/** RFC 9562 textual form, any letter case: ids reach SQL only in this shape (a uuid cast of anything else is a 500). */
export const UUID_SOURCE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

const UUID = new RegExp(`^${UUID_SOURCE}$`, "i");
const ISSUED_ID = new RegExp(`^${UUID_SOURCE}$`);

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * An id as Gatehouse issues it: a lower-case uuid. SCIM resource ids are case-exact (RFC 7643
 * §3.1, SCIM interop profile), and PostgreSQL would compare an upper-case spelling equal, so
 * SCIM refuses one instead of answering for a resource under another name.
 */
export function isIssuedId(value: unknown): value is string {
  return typeof value === "string" && ISSUED_ID.test(value);
}
