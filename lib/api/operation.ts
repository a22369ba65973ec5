import { type z } from "zod";
import type { ApiKeyScope } from "../db/queries/api-keys";

/**
 * One /api/v1 operation: its path, the zod schemas of its parameters, request body and
 * response, and the key scope it needs. The route handler validates with these schemas
 * (lib/api/route.ts) and the OpenAPI document is generated from the same objects
 * (lib/api/openapi.ts): one source.
 */
export type ApiOperation = {
  operationId: string;
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI form: `/api/v1/tenants/{tenantId}/users` */
  path: `/api/v1/${string}`;
  summary: string;
  description?: string;
  tags: string[];
  scope: ApiKeyScope;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  /** A JSON request body (`application/json`), at most MAX_BODY_BYTES. */
  body?: z.ZodObject;
  /** The success status: 200 unless said; 201 for a create, 204 (no body; `response` is z.undefined()) for a delete. */
  status?: 200 | 201 | 204;
  response: z.ZodType;
  /** Statuses besides 200 and the shared problem responses, e.g. a 404 for a missing user. */
  notFound?: string;
  /** When the request conflicts with the resource's state (409), e.g. a limit reached. */
  conflict?: string;
  /** When what the request names has been removed for good (410), e.g. a pruned event cursor. */
  gone?: string;
};

/** The largest request body read; a longer one is a 413 before it is parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

export function defineOperation<const O extends ApiOperation>(operation: O): O {
  return operation;
}

/** A key that writes: every method but GET needs read-write, whatever the operation says. */
export function requiredScope(operation: Pick<ApiOperation, "method" | "scope">): ApiKeyScope {
  return operation.method === "get" ? operation.scope : "read-write";
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

export type OperationInput<O extends ApiOperation> = {
  params: Parsed<O["params"]>;
  query: Parsed<O["query"]>;
  headers: Parsed<O["headers"]>;
  body: Parsed<O["body"]>;
};
