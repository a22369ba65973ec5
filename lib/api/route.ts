import "server-only";
import { type z } from "zod";
import { errorSummary } from "../error-summary";
import { BodyTooLargeError, readBodyLimited } from "../http/request-body";
import { logger } from "../log";
import { requestIdFrom, runInRequestContext } from "../request-id";
import { authenticateApiKey, enforceApiKeyRateLimit, type ApiKeyPrincipal } from "./auth";
import { MAX_BODY_BYTES, requiredScope, type ApiOperation, type OperationInput } from "./operation";
import { ApiProblem, invalidRequest, problemResponse } from "./problem";

export type ApiContext<O extends ApiOperation> = OperationInput<O> & {
  request: Request;
  key: ApiKeyPrincipal;
  requestId: string;
};

type RouteParams = Record<string, string | string[] | undefined>;

/**
 * Every /api/v1 route: the API key (401/403; any method but GET needs read-write), the
 * per-key rate limit (429 with Retry-After), then the path, query and header parameters and
 * the JSON body through the operation's zod schemas (400 with each invalid parameter or field
 * named; 415 for a body that is not JSON, 413 over MAX_BODY_BYTES), then the handler, whose
 * answer is checked against the response schema and sent as JSON with the operation's status
 * (204: no body). Anything thrown that is not an ApiProblem is logged by name only and
 * answered with a 500 problem that says nothing more.
 */
export function apiRoute<O extends ApiOperation>(operation: O, handler: (ctx: ApiContext<O>) => Promise<z.input<O["response"]>>) {
  return (request: Request, { params }: { params: Promise<RouteParams> }): Promise<Response> =>
    runInRequestContext(requestIdFrom(request.headers), async (context) => {
      const requestId = context.requestId;
      const instance = new URL(request.url).pathname;
      try {
        const key = await authenticateApiKey(request, requiredScope(operation));
        if (key.tenantId) context.tenantId = key.tenantId;
        await enforceApiKeyRateLimit(key.keyId);
        const input = {
          params: parse(operation.params, await params, "path"),
          query: parse(operation.query, Object.fromEntries(new URL(request.url).searchParams), "query"),
          headers: parse(operation.headers, Object.fromEntries(request.headers), "header"),
          body: operation.body ? parse(operation.body, await readJsonBody(request), "body") : {},
        } as OperationInput<O>;
        const body = await handler({ ...input, request, key, requestId });
        const checked = operation.response.safeParse(body);
        if (!checked.success) {
          logger.error({ operationId: operation.operationId, issues: checked.error.issues.map((i) => ({ path: i.path, code: i.code })) }, "api response does not match its schema");
          throw new Error("response schema mismatch");
        }
        const status = operation.status ?? 200;
        if (status === 204) return new Response(null, { status, headers: { "cache-control": "no-store", "x-request-id": requestId } });
        return new Response(JSON.stringify(checked.data), {
          status,
          headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-request-id": requestId },
        });
      } catch (error) {
        if (error instanceof ApiProblem) return problemResponse(error, { instance, requestId });
        logger.error({ err: errorSummary(error), operationId: operation.operationId }, "api request failed");
        return problemResponse(new ApiProblem("internal", "The request could not be completed; quote the request id when reporting it"), { instance, requestId });
      }
    });
}

function parse(schema: z.ZodObject | undefined, value: unknown, where: "path" | "query" | "header" | "body") {
  if (!schema) return {};
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(where, result.error);
  return result.data;
}

// application/json or a JSON suffix type (application/merge-patch+json), any parameters.
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;|$)/i;

const badBody = (detail: string, reason: string) => new ApiProblem("invalid-request", detail, { errors: [{ name: "body", reason }] });
const tooLarge = () => new ApiProblem("payload-too-large", `The request body is larger than ${MAX_BODY_BYTES / 1024} kB`);

/** The request's JSON body: read up to MAX_BODY_BYTES (never more, whatever Content-Length says), UTF-8, parsed. */
async function readJsonBody(request: Request): Promise<unknown> {
  if (!JSON_MEDIA_TYPE.test((request.headers.get("content-type") ?? "").trim())) {
    throw new ApiProblem("unsupported-media-type", "Send the body as JSON, with Content-Type: application/json");
  }
  let bytes: Uint8Array;
  try {
    bytes = await readBodyLimited(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw tooLarge();
    throw badBody("The request body could not be read", "Unreadable");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badBody("The request body is not UTF-8", "Not UTF-8");
  }
  if (!text.trim()) throw badBody("The request needs a JSON body", "Required");
  try {
    return JSON.parse(text);
  } catch {
    throw badBody("The request body is not valid JSON", "Malformed JSON");
  }
}
