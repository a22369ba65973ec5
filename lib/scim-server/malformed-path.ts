import { notFound } from "../scim/errors";
import { scimErrorResponse } from "./http";

/**
 * Next.js refuses a path segment it cannot percent-decode (`/Users/%E0`) with its own HTML
 * error page, a 500 in production, before any route runs. The proxy answers those SCIM
 * requests instead, with an RFC 7644 §3.12 404: no resource has such a name.
 */
export function malformedScimPath(pathname: string): Response | undefined {
  if (!pathname.includes("%")) return undefined;
  for (const segment of pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return scimErrorResponse(notFound("Resource", segment));
    }
  }
  return undefined;
}
