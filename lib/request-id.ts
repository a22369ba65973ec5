import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

// One id ties a response's `x-request-id`, its log lines and its audit rows together.
// SCIM requests and Auth.js routes run inside a context opened here; console pages and server
// actions get the id the proxy stamped on the request, read through next/headers.

export const REQUEST_ID_HEADER = "x-request-id";

// An id sent by a load balancer or client is kept only when short and plain, so it can never
// carry text into log lines or audit rows.
const PLAIN_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export type RequestContext = {
  requestId: string;
  /** Set once a credential proved the tenant; never taken from the URL alone. */
  tenantId?: string;
  /** Milliseconds spent in database statements during this request (lib/db/query-timing.ts). */
  dbMs: number;
  dbQueries: number;
};

const storage = new AsyncLocalStorage<RequestContext>();

export function requestIdFrom(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && PLAIN_ID.test(given) ? given : randomUUID();
}

export function runInRequestContext<T>(requestId: string, fn: (context: RequestContext) => T): T {
  const context: RequestContext = { requestId, dbMs: 0, dbQueries: 0 };
  return storage.run(context, () => fn(context));
}

export function requestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Wraps a route handler: the request id is the caller's plain one or a new one, and the response names it. */
export function withRequestId<R extends Request, A extends unknown[]>(handler: (request: R, ...rest: A) => Promise<Response>) {
  return (request: R, ...rest: A) =>
    runInRequestContext(requestIdFrom(request.headers), async ({ requestId }) => {
      const response = await handler(request, ...rest);
      // Redirects from Response.redirect() have immutable headers.
      try {
        response.headers.set(REQUEST_ID_HEADER, requestId);
      } catch {}
      return response;
    });
}

/** The current request's id: the open context's, else the one the proxy put on the request; none outside a request (CLI, jobs). */
export async function currentRequestId(): Promise<string | undefined> {
  const open = storage.getStore();
  if (open) return open.requestId;
  try {
    const { headers } = await import("next/headers");
    return (await headers()).get(REQUEST_ID_HEADER) ?? undefined;
  } catch (error) {
    // Next's own control-flow errors (prerendering bail-outs) must reach Next.
    const { unstable_rethrow } = await import("next/navigation");
    unstable_rethrow(error);
    return undefined;
  }
}
