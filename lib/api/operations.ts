import { directoryOperations } from "./directory";
import type { ApiOperation } from "./operation";
import { listEventsOperation } from "./events";
import { getSessionOperation } from "./session";
import { webhookOperations } from "./webhooks";

/**
 * Every /api/v1 operation, in the order the OpenAPI document lists them. A new endpoint adds
 * its operation here (and validates with it through apiRoute); test/api/openapi.int.test.ts
 * fails for a route file whose operation is missing.
 */
export const API_OPERATIONS: readonly ApiOperation[] = [getSessionOperation, ...directoryOperations, listEventsOperation, ...webhookOperations];
