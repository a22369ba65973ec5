import { undecodableSegment } from "../http/malformed-path";
import { notFound } from "../scim/errors";
import { scimErrorResponse } from "./http";

/**
 * A SCIM path segment Next.js cannot percent-decode (`/Users/%E0`) gets an RFC 7644 §3.12
 * 404 (no resource has such a name) in SCIM's error shape, not Next's HTML error page.
 */
export function malformedScimPath(pathname: string): Response | undefined {
  const segment = undecodableSegment(pathname);
  return segment === undefined ? undefined : scimErrorResponse(notFound("Resource", segment));
}
