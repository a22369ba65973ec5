import { actors } from "../../lib/audit";
import { createWebhook, createWebhookSchema, listWebhooks } from "../../lib/admin/webhooks";
import { findTenantByIdOrSlug } from "../../lib/db/queries/tenants";
import { CliError, formatTable, UsageError } from "../output";
import type { Command } from "../command";

async function requireTenant(ref: unknown) {
  const value = typeof ref === "string" ? ref.trim() : "";
  if (!value) throw new UsageError("--tenant <id|slug> is required");
  const tenant = await findTenantByIdOrSlug(value);
  if (!tenant) throw new CliError(`No tenant with id or slug "${value}". See: npx gatehouse tenant list`);
  return tenant;
}

const create: Command = {
  summary: "Add a webhook endpoint to a tenant; its signing secret is shown this one time only.",
  usage: "webhook create --tenant <id|slug> --url URL [--events user.created,user.deleted,…]",
  options: { tenant: { type: "string" }, url: { type: "string" }, events: { type: "string" } },
  async run({ values, out }) {
    if (typeof values.url !== "string" || !values.url.trim()) throw new UsageError("--url <https://…> is required");
    const tenant = await requireTenant(values.tenant);
    const eventTypes = typeof values.events === "string" ? values.events.split(",").map((t) => t.trim()).filter(Boolean) : [];
    const parsed = createWebhookSchema.safeParse({ tenantId: tenant.id, url: values.url, eventTypes });
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${i.path[0] === "eventTypes" ? "events" : String(i.path[0])}: ${i.message}`).join("; "));
    const { endpoint, secret } = await createWebhook(parsed.data, actors.cli());
    out.result({ id: endpoint.id, url: endpoint.url, secret }, () =>
      [`Added webhook ${endpoint.url} to ${tenant.name} (${tenant.slug})`, `  id  ${endpoint.id}`, "", "Signing secret (shown only now):", "", `  ${secret}`].join("\n"),
    );
  },
};

const list: Command = {
  summary: "List a tenant's webhook endpoints (never their secrets).",
  usage: "webhook list --tenant <id|slug>",
  options: { tenant: { type: "string" } },
  async run({ values, out }) {
    const tenant = await requireTenant(values.tenant);
    const rows = await listWebhooks(tenant.id);
    out.result(
      rows.map((r) => ({ id: r.id, url: r.url, eventTypes: r.eventTypes, enabled: r.enabled, disabledReason: r.disabledReason })),
      () => (rows.length ? formatTable(["ID", "URL", "EVENTS", "STATUS"], rows.map((r) => [r.id, r.url, r.eventTypes.join(",") || "all", r.enabled ? "enabled" : "disabled"])) : "No webhooks."),
    );
  },
};

export const webhookCommands: Record<string, Command> = { create, list };
