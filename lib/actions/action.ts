import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { authorizePlatformAction, authorizeTenantAction, ForbiddenError, getViewer } from "@/lib/auth/guards";
import { recordAdminEvent } from "@/lib/admin/audit";
import { AdminError } from "@/lib/admin/errors";
import { actors, type Actor } from "@/lib/audit";
import type { Permission, Viewer } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import { recordAudit, type AuditInput } from "@/lib/db/queries/audit";
import { isUuid } from "@/lib/uuid";
import { errorSummary } from "@/lib/error-summary";
import { requestLogger } from "@/lib/log";
import { fieldErrorsOf } from "@/lib/forms";

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

/** A domain failure the admin can fix, optionally tied to fields of the form (the admin layer's own refusal). */
export { AdminError as ActionError };

export type AuditEntry = Omit<AuditInput, "actorType" | "actorId" | "actorLabel" | "outcome" | "tenantId"> & {
  tenantId?: string | null;
  outcome?: "success" | "failure";
};

export type ActionContext = {
  viewer: Viewer;
  /** The viewer as the actor of the admin operations the action calls. */
  actor: Actor;
  /** Records an admin audit event with the viewer as actor (pass `tx` inside a transaction). */
  audit(entry: AuditEntry, tx?: Db): Promise<void>;
};
export type TenantActionContext = ActionContext & { tenantId: string };

type HandlerResult<T> = { data?: T; message?: string } | void;
type Input = FormData | Record<string, unknown>;
/** `action` names the audit event of a refusal; the handler records its own success. */
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

function auditor(viewer: Viewer, defaultTenantId: string | null) {
  return async (entry: AuditEntry, tx?: Db) => {
    await recordAdminEvent(actors.admin(viewer), { ...entry, tenantId: entry.tenantId === undefined ? defaultTenantId : entry.tenantId }, tx);
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
  if (window && window.count > 1) (await requestLogger()).warn({ action, refusals: window.count, minute: previous.previousMinute }, "anonymous console action refusals");
  await recordAudit({
    tenantId: null,
    ...actors.anonymous(),
    action,
    outcome: "failure",
    details: { reason: "forbidden", aggregated: "per minute", ...previous },
  }).catch(() => {});
}

async function auditRefusal(viewer: Viewer | null, action: string, tenantId: string | null) {
  if (!viewer) return auditAnonymousRefusal(action);
  const event: AuditInput = {
    tenantId,
    ...actors.admin(viewer),
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
    const ctx = { viewer, actor: actors.admin(viewer), tenantId: tenantId as string, audit: auditor(viewer, tenantId) };
    const result = (await handler(parsed.data, ctx)) ?? {};
    return { ok: true, data: result.data, message: result.message, at };
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof ForbiddenError) {
      viewer ??= await getViewer();
      await auditRefusal(viewer, options.action ?? "console.write", tenantId ?? (raw.tenantId as string | undefined) ?? null);
      return { ok: false, error: "You do not have permission to do that.", at };
    }
    if (error instanceof AdminError) {
      return { ok: false, error: error.message, fieldErrors: error.fieldErrors, values: echoValues(raw), at };
    }
    (await requestLogger()).error({ action: options.action, err: errorSummary(error) }, "console action failed");
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
