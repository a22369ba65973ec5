import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { MAX_BODY_BYTES, requiredScope, type ApiOperation } from "./operation";
import { problemSchema, PROBLEM_CONTENT_TYPE } from "./problem";
import { API_OPERATIONS } from "./operations";

const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } });

function success(operation: ApiOperation): ZodOpenApiResponsesObject {
  const status = operation.status ?? 200;
  if (status === 204) return { "204": { description: "No Content" } };
  return { [String(status)]: { description: status === 201 ? "Created" : "OK", content: { "application/json": { schema: operation.response } } } };
}

function toOpenApi(operation: ApiOperation): ZodOpenApiOperationObject {
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: operation.tags,
    security: [{ apiKey: [] }],
    "x-gatehouse-scope": requiredScope(operation),
    requestParams: {
      ...(operation.params ? { path: operation.params } : {}),
      ...(operation.query ? { query: operation.query } : {}),
      ...(operation.headers ? { header: operation.headers } : {}),
    },
    ...(operation.body ? { requestBody: { required: true, content: { "application/json": { schema: operation.body } } } } : {}),
    responses: {
      ...success(operation),
      "400": problem(operation.body ? "A parameter or body field is malformed, or the body is not JSON; `errors` names each one" : "A parameter is malformed; `errors` names each one"),
      "401": problem("The API key is missing, malformed, unknown, expired or revoked"),
      "403": problem(requiredScope(operation) === "read-write" ? "The API key is read-only; this request needs a read-write key" : "The API key's scope does not allow this request"),
      ...(operation.notFound ? { "404": problem(operation.notFound) } : {}),
      ...(operation.conflict ? { "409": problem(operation.conflict) } : {}),
      ...(operation.gone ? { "410": problem(operation.gone) } : {}),
      ...(operation.body
        ? { "413": problem(`The request body is larger than ${MAX_BODY_BYTES / 1024} kB`), "415": problem("The request body is not JSON (send Content-Type: application/json)") }
        : {}),
      "429": {
        ...problem("Too many requests for this API key"),
        headers: { "Retry-After": { description: "Seconds until the key may send again", schema: { type: "integer" } } },
      },
      "500": problem("An unexpected failure; quote the request id"),
    },
  };
}

/** The document's paths, built from the operations the route handlers validate with. */
export function apiPaths(operations: readonly ApiOperation[] = API_OPERATIONS): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const operation of operations) {
    paths[operation.path] = { ...paths[operation.path], [operation.method]: toOpenApi(operation) };
  }
  return paths;
}

let cached: ReturnType<typeof createDocument> | undefined;

/** OpenAPI 3.1, served at GET /api/v1/openapi.json. */
export function openApiDocument() {
  cached ??= createDocument({
    openapi: "3.1.0",
    info: {
      title: "Gatehouse API",
      version: "1.0.0",
      description: "The host application's API: sessions, a tenant's users and groups, events and webhooks. Errors are RFC 9457 problem details. See docs/API.md.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key (gh_api_…) created in the console or with `gatehouse apikey create`" },
      },
    },
    paths: apiPaths(),
  });
  return cached;
}
