import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { authorizePlatformAction, authorizeTenantAction, ForbiddenError, getViewer } from "@/lib/auth/guards";
import type { Permission, Viewer } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import { recordAudit, type AuditInput } from "@/lib/db/queries/audit";
import { isUuid } from "@/lib/db/queries/tenants";
import { errorSummary } from "@/lib/error-summary";

/**
 * What every console action answers. `values` echoes the submitted non-secret fields so a
 * form keeps its input after React 19 resets it; `data` carries the one-time token reveal
 * and nothing else secret.
 */
export type ActionState<T = unknown> = {
  ok: boolean;
  error?: string;
  fieldErrors?: Record<string, string>;
  message?: string;
  data?: T;
  values?: Record<string, string>;
  /** Distinguishes two identical answers, so a toast fires once per submission. */
  at?: number;
};

export const initialActionState: ActionState<never> = { ok: false };

/** A domain failure the admin can fix, optionally tied to fields of the form. */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = "ActionError";
  }
}

export type AuditEntry = Omit<AuditInput, "actorType" | "actorId" | "actorLabel" | "outcome" | "tenantId"> & {
  tenantId?: string | null;
  outcome?: "success" | "failure";
};

export type ActionContext = {
  viewer: Viewer;
  /** Records an admin audit event with the viewer as actor (pass `tx` inside a transaction). */
  audit(entry: AuditEntry, tx?: Db): Promise<void>;
};
export type TenantActionContext = ActionContext & { tenantId: string };

type HandlerResult<T> = { data?: T; message?: string } | void;
type Input = FormData | Record<string, unknown>;
type Options = { action?: string; permission?: Permission };

const SECRET_FIELD = /secret|password|token/i;

function toObject(input: Input): Record<string, unknown> {
  if (!(input instanceof FormData)) return input ?? {};
  const out: Record<string, unknown> = {};
  for (const key of new Set(input.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = input.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = values.length > 1 ? values : values[0];
  }
  return out;
}

function echoValues(raw: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (SECRET_FIELD.test(key)) continue;
    if (typeof value === "string") values[key] = value;
    else if (Array.isArray(value)) values[key] = value.join("\n");
  }
  return values;
}

export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    // Per form field: an issue on `domains[1]` belongs to the `domains` input.
    const key = issue.path.length ? String(issue.path[0]) : "_form";
    fieldErrors[key] ??= issue.message;
  }
  return fieldErrors;
}

/** Postgres unique violation (SQLSTATE 23505), whichever driver raised it. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e = error as { code?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return !constraint || e.constraint === constraint || String(e).includes(constraint);
  }
  return false;
}

function auditor(viewer: Viewer, defaultTenantId: string | null, used: { value: boolean }) {
  return async (entry: AuditEntry, tx?: Db) => {
    used.value = true;
    await recordAudit(
      {
        ...entry,
        tenantId: entry.tenantId === undefined ? defaultTenantId : entry.tenantId,
        actorType: "admin",
        actorId: viewer.userId,
        actorLabel: viewer.email ?? viewer.userName,
        outcome: entry.outcome ?? "success",
      },
      tx,
    );
  };
}

/**
 * Anonymous refusals cost no authentication, so they are not one row each (the audit log is
 * append-only): per action and minute, the first is recorded with the count of the previous
 * window, the rest are counted in memory. Whoever they are, they are refused the same way.
 */
const anonymousRefusals = new Map<string, { minute: number; count: number }>();

async function auditAnonymousRefusal(action: string) {
  const minute = Math.floor(Date.now() / 60_000);
  const window = anonymousRefusals.get(action);
  if (window?.minute === minute) {
    window.count++;
    return;
  }
  anonymousRefusals.set(action, { minute, count: 1 });
  const previous = window ? { previousMinute: new Date(window.minute * 60_000).toISOString(), previousCount: window.count } : {};
  if (window && window.count > 1) console.warn(`[console action] ${action}: ${window.count} anonymous refusals in the minute from ${previous.previousMinute}`);
  await recordAudit({
    tenantId: null,
    actorType: "admin",
    actorId: null,
    actorLabel: "anonymous",
    action,
    outcome: "failure",
    details: { reason: "forbidden", aggregated: "per minute", ...previous },
  }).catch(() => {});
}

async function auditRefusal(viewer: Viewer | null, action: string, tenantId: string | null) {
  if (!viewer) return auditAnonymousRefusal(action);
  const event: AuditInput = {
    tenantId,
    actorType: "admin",
    actorId: viewer?.userId ?? null,
    actorLabel: viewer?.email ?? viewer?.userName ?? "anonymous",
    action,
    outcome: "failure",
    details: { reason: "forbidden" },
  };
  try {
    await recordAudit(event);
  } catch {
    // The tenant may not exist (a forged id): keep the record, without the foreign key.
    await recordAudit({ ...event, tenantId: null, details: { reason: "forbidden", tenantId } }).catch(() => {});
  }
}

async function run<S extends z.ZodType, T>(
  schema: S,
  raw: Record<string, unknown>,
  authorize: (input: z.infer<S>) => Promise<{ viewer: Viewer; tenantId: string | null }>,
  handler: (input: z.infer<S>, ctx: TenantActionContext) => Promise<HandlerResult<T>>,
  options: Options,
): Promise<ActionState<T>> {
  const at = Date.now();
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    const refusedTenant = fieldErrors.tenantId;
    return {
      ok: false,
      error: refusedTenant ? "Unknown tenant." : "Check the highlighted fields.",
      fieldErrors,
      values: echoValues(raw),
      at,
    };
  }
  let viewer: Viewer | null = null;
  let tenantId: string | null = null;
  try {
    ({ viewer, tenantId } = await authorize(parsed.data));
    const used = { value: false };
    const ctx = { viewer, tenantId: tenantId as string, audit: auditor(viewer, tenantId, used) };
    const result = (await handler(parsed.data, ctx)) ?? {};
    if (!used.value && options.action) await ctx.audit({ action: options.action });
    return { ok: true, data: result.data, message: result.message, at };
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof ForbiddenError) {
      viewer ??= await getViewer();
      await auditRefusal(viewer, options.action ?? "console.write", tenantId ?? (raw.tenantId as string | undefined) ?? null);
      return { ok: false, error: "You do not have permission to do that.", at };
    }
    if (error instanceof ActionError) {
      return { ok: false, error: error.message, fieldErrors: error.fieldErrors, values: echoValues(raw), at };
    }
    console.error(`[console action] ${options.action ?? ""} failed: ${errorSummary(error)}`);
    return { ok: false, error: "Something went wrong. Try again, or check the server logs.", values: echoValues(raw), at };
  }
}

/**
 * A server action on one tenant: validates `input` (which must carry `tenantId`) with zod,
 * checks the viewer may write to that tenant, runs the handler, and answers an ActionState.
 * Usable with useActionState (`(prev, formData)`) or called directly with a plain object.
 */
export function tenantAction<S extends z.ZodType<{ tenantId: string }>, T = undefined>(
  schema: S,
  handler: (input: z.infer<S>, ctx: TenantActionContext) => Promise<HandlerResult<T>>,
  options: Options = {},
) {
  return async (_prev: unknown, input: Input): Promise<ActionState<T>> => {
    const raw = toObject(input);
    if (typeof raw.tenantId === "string" && !isUuid(raw.tenantId)) return { ok: false, error: "Unknown tenant.", at: Date.now() };
    return run(
      schema,
      raw,
      async (data) => ({ viewer: await authorizeTenantAction(data.tenantId, options.permission ?? "write"), tenantId: data.tenantId }),
      handler,
      options,
    );
  };
}

/** A platform-level action (creating or deleting tenants): platform admins only. */
export function platformAction<S extends z.ZodType, T = undefined>(
  schema: S,
  handler: (input: z.infer<S>, ctx: ActionContext) => Promise<HandlerResult<T>>,
  options: Options = {},
) {
  return async (_prev: unknown, input: Input): Promise<ActionState<T>> =>
    run(schema, toObject(input), async () => ({ viewer: await authorizePlatformAction(), tenantId: null }), handler, options);
}

/** Form helpers: checkboxes/switches post "on" or nothing; optional text posts "". */
export const formBoolean = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());
export const optionalText = (max = 2000) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v), z.string().max(max).optional());
export const formList = z.preprocess(
  (v) =>
    (Array.isArray(v) ? v : typeof v === "string" ? [v] : [])
      .flatMap((s: string) => s.split(/[\s,;]+/))
      .map((s: string) => s.trim().toLowerCase())
      .filter(Boolean),
  z.array(z.string()),
);
