import { actors } from "../../lib/audit";
import { isAllowedTokenExpiry, MAX_TOKEN_DAYS } from "../../lib/admin/token-lifetime";
import { issueToken, revokeToken, tokenHint } from "../../lib/admin/tokens";
import { findTenantByIdOrSlug, tenantSettings } from "../../lib/db/queries/tenants";
import { isUuid } from "../../lib/uuid";
import { findProvisioningToken, listProvisioningTokens, tokenStatus } from "../../lib/db/queries/tokens";
import { CliError, formatDate, formatTable, UsageError } from "../output";
import type { Command } from "../command";

async function requireTenant(ref: unknown) {
  const value = typeof ref === "string" ? ref.trim() : "";
  if (!value) throw new UsageError("--tenant <id|slug> is required");
  const tenant = await findTenantByIdOrSlug(value);
  if (!tenant) throw new CliError(`No tenant with id or slug "${value}". See: npx gatehouse tenant list`);
  return tenant;
}

/** --days N or --expires YYYY-MM-DD (end of that day, UTC); otherwise the tenant default. */
export function resolveExpiry(values: { days?: unknown; expires?: unknown }, defaultDays: number, now = new Date()): Date {
  if (values.days !== undefined && values.expires !== undefined) throw new UsageError("Use either --days or --expires, not both");
  if (values.expires !== undefined) {
    const text = String(values.expires);
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3], 23, 59, 59)) : undefined;
    if (!date || date.toISOString().slice(0, 10) !== text) throw new UsageError(`--expires "${text}" is not a date like 2030-01-31`);
    if (date.getTime() <= now.getTime()) throw new UsageError(`--expires ${text} is in the past`);
    if (!isAllowedTokenExpiry(date, now)) throw new UsageError(`--expires must be within ${MAX_TOKEN_DAYS} days`);
    return date;
  }
  const days = values.days === undefined ? defaultDays : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw new UsageError(`--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
  return new Date(now.getTime() + days * 86_400_000);
}

const create: Command = {
  summary: "Create a SCIM provisioning token; the token is shown this one time only.",
  usage: "token create --tenant <id|slug> [--days N | --expires YYYY-MM-DD] [--name NAME]",
  options: { tenant: { type: "string" }, days: { type: "string" }, expires: { type: "string" }, name: { type: "string" } },
  async run({ values, out }) {
    if (values.days !== undefined || values.expires !== undefined) resolveExpiry(values, 1); // usage errors before any I/O
    const tenant = await requireTenant(values.tenant);
    const expiresAt = resolveExpiry(values, tenantSettings(tenant.settings).defaultTokenDays);
    const name = typeof values.name === "string" ? values.name.trim() : undefined;
    const { row, token } = await issueToken(tenant.id, { name, expiresAt }, actors.cli());
    out.result({ id: row.id, token, expiresAt: row.expiresAt.toISOString() }, () =>
      [
        `Created provisioning token "${row.name}" for ${tenant.name} (${tenant.slug})`,
        `  id       ${row.id}`,
        `  expires  ${formatDate(row.expiresAt)}`,
        "",
        "Token (shown only now — copy it into Entra's Secret Token field):",
        "",
        `  ${token}`,
      ].join("\n"),
    );
  },
};

const list: Command = {
  summary: "List a tenant's provisioning tokens (never their secrets).",
  usage: "token list --tenant <id|slug>",
  options: { tenant: { type: "string" } },
  async run({ values, out }) {
    const tenant = await requireTenant(values.tenant);
    const rows = await listProvisioningTokens(tenant.id);
    const data = rows.map((t) => ({
      id: t.id,
      name: t.name,
      hint: tokenHint(t),
      status: tokenStatus(t),
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
    }));
    out.result(data, () =>
      data.length
        ? formatTable(
            ["ID", "NAME", "TOKEN", "STATUS", "EXPIRES", "LAST USED"],
            data.map((t) => [t.id, t.name, t.hint, t.status, formatDate(t.expiresAt), formatDate(t.lastUsedAt)]),
          )
        : `${tenant.name} has no provisioning tokens. Create one: npx gatehouse token create --tenant ${tenant.slug}`,
    );
  },
};

const revoke: Command = {
  summary: "Revoke a provisioning token at once.",
  usage: "token revoke <id>",
  options: {},
  positionals: 1,
  async run({ positionals, out }) {
    const id = positionals[0];
    if (!isUuid(id)) throw new UsageError(`"${id}" is not a token id (see: npx gatehouse token list --tenant …)`);
    const existing = await findProvisioningToken(id);
    if (!existing) throw new CliError(`No provisioning token with id ${id}`);
    const { row, alreadyRevoked } = await revokeToken(existing.tenantId, id, actors.cli());
    const result = { id: row.id, status: tokenStatus(row), revokedAt: row.revokedAt?.toISOString() ?? null };
    out.result(result, alreadyRevoked ? `Token ${row.id} was already revoked (${formatDate(row.revokedAt)})` : `Revoked token ${row.id} (${tokenHint(row)})`);
  },
};

export const tokenCommands: Record<string, Command> = { create, list, revoke };
