import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import type { ApiOperation } from "./operation";
import { problemSchema, PROBLEM_CONTENT_TYPE } from "./problem";
import { API_OPERATIONS } from "./operations";

const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } });

function toOpenApi(operation: ApiOperation): ZodOpenApiOperationObject {
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: operation.tags,
    security: [{ apiKey: [] }],
    "x-gatehouse-scope": operation.scope,
    requestParams: {
      ...(operation.params ? { path: operation.params } : {}),
      ...(operation.query ? { query: operation.query } : {}),
      ...(operation.headers ? { header: operation.headers } : {}),
    },
    responses: {
      "200": { description: "OK", content: { "application/json": { schema: operation.response } } },
      "400": problem("A parameter is malformed; `errors` names each one"),
      "401": problem("The API key is missing, malformed, unknown, expired or revoked"),
      "403": problem("The API key's scope does not allow this request"),
      ...(operation.notFound ? { "404": problem(operation.notFound) } : {}),
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
      description: "The host application's API: sessions, a tenant's users and groups. Errors are RFC 9457 problem details. See docs/API.md.",
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
