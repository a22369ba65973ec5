import type { PatchOperation } from "../scim/patch";

/** What an audit event keeps of a PATCH: the op and path of each operation, never values. */
export function summarizeOperations(operations: readonly PatchOperation[]) {
  return operations.slice(0, 50).map((o) => ({
    op: String(o.op).toLowerCase(),
    path: typeof o.path === "string" ? o.path.slice(0, 200) : null,
    ...(o.path ? {} : { keys: o.value && typeof o.value === "object" ? Object.keys(o.value).slice(0, 20) : [] }),
  }));
}
