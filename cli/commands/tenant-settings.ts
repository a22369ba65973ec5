import { actors } from "../../lib/audit";
import { tenantSettingsPatchSchema, updateTenantSettings, type SettingChanges, type TenantSettingsPatch } from "../../lib/admin/tenants";
import { findTenantByIdOrSlug, tenantSettings } from "../../lib/db/queries/tenants";
import type { TenantSettings } from "../../lib/db/schema";
import { CliError, formatTable, UsageError } from "../output";
import type { Command } from "../command";

type Setting = keyof Required<TenantSettings>;

/** Each flag, the setting it sets, and how its text becomes the setting's value. */
const FLAGS: { flag: string; option: string; setting: Setting; label: string; parse: (text: string) => unknown }[] = [
  { flag: "--scim-rate-limit", option: "scim-rate-limit", setting: "scimRateLimitPerMinute", label: "SCIM requests per minute per token", parse: wholeNumber },
  { flag: "--jit", option: "jit", setting: "jitProvisioning", label: "Just-in-time provisioning", parse: onOff },
  { flag: "--user-linking", option: "user-linking", setting: "userLinking", label: "User linking on creation", parse: (t) => t },
  { flag: "--sso-match-by", option: "sso-match-by", setting: "ssoMatchBy", label: "Match signed-in users by", parse: (t) => t },
  { flag: "--default-token-days", option: "default-token-days", setting: "defaultTokenDays", label: "Default token expiry (days)", parse: wholeNumber },
];

function wholeNumber(text: string): number {
  // "1e3", "0x10" and "" are numbers to Number(); a flag takes decimal digits only.
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
}

function onOff(text: string): unknown {
  if (text === "on") return true;
  if (text === "off") return false;
  throw new UsageError(`--jit takes on or off, not "${text}"`);
}

/** The flags given, as a validated patch; a bad value is a usage error before anything is read or written. */
export function settingsPatchFromFlags(values: Record<string, unknown>): TenantSettingsPatch {
  const raw: Record<string, unknown> = {};
  for (const { option, setting, parse } of FLAGS) {
    const value = values[option];
    if (typeof value === "string") raw[setting] = parse(value);
  }
  const parsed = tenantSettingsPatchSchema.safeParse(raw);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const flag = FLAGS.find((f) => f.setting === issue.path[0]);
    const allowed = issue.code === "invalid_value" ? ` (one of: ${issue.values.join(", ")})` : "";
    throw new UsageError(`${flag?.flag ?? "input"}: ${issue.message}${allowed}`);
  }
  return parsed.data;
}

const show = (value: unknown) => (typeof value === "boolean" ? (value ? "on" : "off") : String(value));

function describeChanges(changes: SettingChanges) {
  return FLAGS.filter((f) => changes[f.setting]).map((f) => `  ${f.label}: ${show(changes[f.setting]!.from)} → ${show(changes[f.setting]!.to)}`);
}

const settings: Command = {
  summary: "Show a tenant's settings, or change the ones given (audited like the console's changes).",
  usage:
    "tenant settings <id|slug> [--scim-rate-limit N] [--jit on|off] [--user-linking link|conflict] [--sso-match-by automatic|objectId|userName] [--default-token-days N]",
  options: Object.fromEntries(FLAGS.map((f) => [f.option, { type: "string" as const }])),
  positionals: 1,
  async run({ values, positionals, out }) {
    const patch = settingsPatchFromFlags(values);
    const ref = positionals[0].trim();
    const tenant = await findTenantByIdOrSlug(ref);
    if (!tenant) throw new CliError(`No tenant with id or slug "${ref}". See: npx gatehouse tenant list`);
    const changing = Object.keys(patch).length > 0;
    const { settings: current, changes } = changing
      ? await updateTenantSettings(tenant.id, patch, actors.cli())
      : { settings: tenantSettings(tenant.settings), changes: {} as SettingChanges };
    const result = { id: tenant.id, slug: tenant.slug, name: tenant.name, settings: current, ...(changing ? { changes } : {}) };
    out.result(result, () => {
      const heading = !changing
        ? `Settings of ${tenant.name} (${tenant.slug})`
        : Object.keys(changes).length
          ? [`Changed settings of ${tenant.name} (${tenant.slug}):`, ...describeChanges(changes)].join("\n")
          : `No change: ${tenant.name} (${tenant.slug}) already has these settings.`;
      const table = formatTable(
        ["SETTING", "VALUE", "FLAG"],
        FLAGS.map((f) => [f.label, show(current[f.setting]), f.flag]),
      );
      return `${heading}\n\n${table}`;
    });
  },
};

export const tenantSettingsCommands: Record<string, Command> = { settings };
