/**
 * The first path segment that cannot be percent-decoded (`%E0`, `%zz`), if any. Next.js
 * answers such a path with its own error page, a 500 in production, before any route runs;
 * the proxy answers it first (proxy.ts).
 */
export function undecodableSegment(pathname: string): string | undefined {
  if (!pathname.includes("%")) return undefined;
  for (const segment of pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }
  return undefined;
}

/** The answer to an undecodable path outside SCIM: 400, JSON under /api, plain text elsewhere. */
export function malformedPathResponse(pathname: string): Response | undefined {
  if (undecodableSegment(pathname) === undefined) return undefined;
  const headers = { "cache-control": "no-store" };
  if (pathname.startsWith("/api/")) {
    return Response.json({ error: "bad_request", error_description: "The request path is not valid percent-encoding." }, { status: 400, headers });
  }
  return new Response("Bad request: the address is not valid percent-encoding.", { status: 400, headers: { ...headers, "content-type": "text/plain; charset=utf-8" } });
}
