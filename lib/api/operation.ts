import { type z } from "zod";
import type { ApiKeyScope } from "../db/queries/api-keys";

/**
 * One /api/v1 operation: its path, the zod schemas of its parameters and response, and the
 * key scope it needs. The route handler validates with these schemas (lib/api/route.ts) and
 * the OpenAPI document is generated from the same objects (lib/api/openapi.ts): one source.
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
  response: z.ZodType;
  /** Statuses besides 200 and the shared problem responses, e.g. a 404 for a missing user. */
  notFound?: string;
};

export function defineOperation<const O extends ApiOperation>(operation: O): O {
  return operation;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

export type OperationInput<O extends ApiOperation> = {
  params: Parsed<O["params"]>;
  query: Parsed<O["query"]>;
  headers: Parsed<O["headers"]>;
};
