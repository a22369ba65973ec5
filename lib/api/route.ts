import "server-only";
import { type z } from "zod";
import { errorSummary } from "../error-summary";
import { logger } from "../log";
import { requestIdFrom, runInRequestContext } from "../request-id";
import { authenticateApiKey, enforceApiKeyRateLimit, type ApiKeyPrincipal } from "./auth";
import type { ApiOperation, OperationInput } from "./operation";
import { ApiProblem, invalidRequest, problemResponse } from "./problem";

export type ApiContext<O extends ApiOperation> = OperationInput<O> & {
  request: Request;
  key: ApiKeyPrincipal;
  requestId: string;
};

type RouteParams = Record<string, string | string[] | undefined>;

/**
 * Every /api/v1 route: the API key (401/403), the per-key rate limit (429 with Retry-After),
 * then the path, query and header parameters through the operation's zod schemas (400 with
 * each invalid parameter named), then the handler, whose answer is checked against the
 * response schema and sent as JSON. Anything thrown that is not an ApiProblem is logged by
 * name only and answered with a 500 problem that says nothing more.
 */
export function apiRoute<O extends ApiOperation>(operation: O, handler: (ctx: ApiContext<O>) => Promise<z.input<O["response"]>>) {
  return (request: Request, { params }: { params: Promise<RouteParams> }): Promise<Response> =>
    runInRequestContext(requestIdFrom(request.headers), async (context) => {
      const requestId = context.requestId;
      const instance = new URL(request.url).pathname;
      try {
        const key = await authenticateApiKey(request, operation.scope);
        if (key.tenantId) context.tenantId = key.tenantId;
        await enforceApiKeyRateLimit(key.keyId);
        const input = {
          params: parse(operation.params, await params, "path"),
          query: parse(operation.query, Object.fromEntries(new URL(request.url).searchParams), "query"),
          headers: parse(operation.headers, Object.fromEntries(request.headers), "header"),
        } as OperationInput<O>;
        const body = await handler({ ...input, request, key, requestId });
        const checked = operation.response.safeParse(body);
        if (!checked.success) {
          logger.error({ operationId: operation.operationId, issues: checked.error.issues.map((i) => ({ path: i.path, code: i.code })) }, "api response does not match its schema");
          throw new Error("response schema mismatch");
        }
        return new Response(JSON.stringify(checked.data), {
          status: 200,
          headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-request-id": requestId },
        });
      } catch (error) {
        if (error instanceof ApiProblem) return problemResponse(error, { instance, requestId });
        logger.error({ err: errorSummary(error), operationId: operation.operationId }, "api request failed");
        return problemResponse(new ApiProblem("internal", "The request could not be completed; quote the request id when reporting it"), { instance, requestId });
      }
    });
}

function parse(schema: z.ZodObject | undefined, value: unknown, where: "path" | "query" | "header") {
  if (!schema) return {};
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(where, result.error);
  return result.data;
}
