import { actors } from "../../lib/audit";
import { MAX_TOKEN_DAYS } from "../../lib/admin/token-lifetime";
import { API_KEY_SCOPES, apiKeyHint, apiKeysOf, apiKeyStatus, DEFAULT_API_KEY_DAYS, issueApiKey, ownerOf, revokeApiKey, type ApiKeyOwner, type ApiKeyScope } from "../../lib/admin/api-keys";
import { findApiKeyById } from "../../lib/db/queries/api-keys";
import { findTenantByIdOrSlug } from "../../lib/db/queries/tenants";
import { isUuid } from "../../lib/uuid";
import { CliError, formatDate, formatTable, UsageError } from "../output";
import type { Command } from "../command";

/** --tenant <id|slug> for a tenant's key, or --platform for a key of every tenant (not both). */
async function resolveOwner(values: { tenant?: unknown; platform?: unknown }): Promise<{ owner: ApiKeyOwner; label: string; slug?: string }> {
  const ref = typeof values.tenant === "string" ? values.tenant.trim() : "";
  if (values.platform) {
    if (ref) throw new UsageError("A --platform key belongs to no tenant: use either --tenant or --platform");
    return { owner: { tenantId: null, platform: true }, label: "the platform (every tenant)" };
  }
  if (!ref) throw new UsageError("--tenant <id|slug> (or --platform) is required");
  const tenant = await findTenantByIdOrSlug(ref);
  if (!tenant) throw new CliError(`No tenant with id or slug "${ref}". See: npx gatehouse tenant list`);
  return { owner: { tenantId: tenant.id }, label: `${tenant.name} (${tenant.slug})`, slug: tenant.slug };
}

function parseScope(value: unknown): ApiKeyScope {
  if (value === undefined) return "read";
  if (!API_KEY_SCOPES.includes(value as ApiKeyScope)) throw new UsageError(`--scope must be ${API_KEY_SCOPES.join(" or ")}`);
  return value as ApiKeyScope;
}

function parseDays(value: unknown, now = new Date()): Date {
  const days = value === undefined ? DEFAULT_API_KEY_DAYS : Number(value);
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw new UsageError(`--expires-in-days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
  return new Date(now.getTime() + days * 86_400_000);
}

const create: Command = {
  summary: "Create an API key for /api/v1; the key is shown this one time only.",
  usage: "apikey create --tenant <id|slug> | --platform [--scope read|read-write] [--expires-in-days N] [--name NAME]",
  options: { tenant: { type: "string" }, platform: { type: "boolean" }, scope: { type: "string" }, "expires-in-days": { type: "string" }, name: { type: "string" } },
  async run({ values, out }) {
    const scope = parseScope(values.scope);
    const expiresAt = parseDays(values["expires-in-days"]); // usage errors before any I/O
    const { owner, label } = await resolveOwner(values);
    const name = typeof values.name === "string" ? values.name.trim() : undefined;
    const { row, key } = await issueApiKey(owner, { name, scope, expiresAt }, actors.cli());
    out.result({ id: row.id, key, scope: row.scope, platform: row.platform, tenantId: row.tenantId, expiresAt: row.expiresAt.toISOString() }, () =>
      [
        `Created ${row.scope} API key "${row.name}" for ${label}`,
        `  id       ${row.id}`,
        `  expires  ${formatDate(row.expiresAt)}`,
        "",
        "Key (shown only now — store it in the host application's secrets):",
        "",
        `  ${key}`,
      ].join("\n"),
    );
  },
};

const list: Command = {
  summary: "List a tenant's (or the platform's) API keys, never their secrets.",
  usage: "apikey list --tenant <id|slug> | --platform",
  options: { tenant: { type: "string" }, platform: { type: "boolean" } },
  async run({ values, out }) {
    const { owner, label, slug } = await resolveOwner(values);
    const rows = await apiKeysOf(owner);
    const data = rows.map((k) => ({
      id: k.id,
      name: k.name,
      hint: apiKeyHint(k),
      scope: k.scope,
      status: apiKeyStatus(k),
      createdAt: k.createdAt.toISOString(),
      expiresAt: k.expiresAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
    }));
    out.result(data, () =>
      data.length
        ? formatTable(
            ["ID", "NAME", "KEY", "SCOPE", "STATUS", "EXPIRES", "LAST USED"],
            data.map((k) => [k.id, k.name, k.hint, k.scope, k.status, formatDate(k.expiresAt), formatDate(k.lastUsedAt)]),
          )
        : `${label} has no API keys. Create one: npx gatehouse apikey create ${slug ? `--tenant ${slug}` : "--platform"}`,
    );
  },
};

const revoke: Command = {
  summary: "Revoke an API key at once.",
  usage: "apikey revoke <id>",
  options: {},
  positionals: 1,
  async run({ positionals, out }) {
    const id = positionals[0];
    if (!isUuid(id)) throw new UsageError(`"${id}" is not an API key id (see: npx gatehouse apikey list --tenant …)`);
    const existing = await findApiKeyById(id);
    if (!existing) throw new CliError(`No API key with id ${id}`);
    const { row, alreadyRevoked } = await revokeApiKey(ownerOf(existing), id, actors.cli());
    const result = { id: row.id, status: apiKeyStatus(row), revokedAt: row.revokedAt?.toISOString() ?? null };
    out.result(result, alreadyRevoked ? `API key ${row.id} was already revoked (${formatDate(row.revokedAt)})` : `Revoked API key ${row.id} (${apiKeyHint(row)})`);
  },
};

export const apiKeyCommands: Record<string, Command> = { create, list, revoke };
