import { configuredOrigin, scimTenantPath, scimTenantUrl } from "../../lib/origin";
import { actors } from "../../lib/audit";
import { createTenant, createTenantSchema } from "../../lib/admin/tenants";
import { listTenants, slugify } from "../../lib/db/queries/tenants";
import { listDomainsOfTenants } from "../../lib/db/queries/tenant-domains";
import { formatTable, UsageError } from "../output";
import type { Command } from "../command";

/**
 * The tenant's SCIM URL, on the public origin (APP_URL). Without APP_URL the command line cannot
 * know where Gatehouse is served, so it gives the path and says so; it never guesses a host.
 */
export function scimUrl(tenantId: string) {
  const origin = configuredOrigin();
  return origin ? scimTenantUrl(origin, tenantId) : scimTenantPath(tenantId);
}

const scimUrlNote = (url: string) => (url.startsWith("/") ? "  (APP_URL is not set: prefix Gatehouse's public origin)" : "");

const OPTION_OF = { name: "--name", slug: "--slug", domains: "--domain" } as Record<string, string>;

const create: Command = {
  summary: "Create a tenant; prints its id and SCIM URL.",
  usage: "tenant create --name NAME [--slug SLUG] [--domain example.com ...]",
  options: { name: { type: "string" }, slug: { type: "string" }, domain: { type: "string", multiple: true } },
  async run({ values, out }) {
    const name = String(values.name ?? "").trim();
    if (!name) throw new UsageError("--name is required, e.g. --name \"Acme Corp\"");
    const parsed = createTenantSchema.safeParse({ name, slug: values.slug ?? slugify(name), domains: values.domain ?? [] });
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      throw new UsageError(`${OPTION_OF[String(issue.path[0])] ?? "input"}: ${issue.message}`);
    }
    const domains = parsed.data.domains;
    // The platform operator runs the CLI and vouches for the domains: they are verified manually.
    const tenant = await createTenant(parsed.data, actors.cli(), { domainsVerifiedBy: "manual" });
    const result = { id: tenant.id, slug: tenant.slug, name: tenant.name, scimUrl: scimUrl(tenant.id) };
    const lines = [`Created tenant ${tenant.name} (${tenant.slug})`, `  id        ${tenant.id}`, `  SCIM URL  ${result.scimUrl}${scimUrlNote(result.scimUrl)}`];
    if (domains.length) lines.push(`  domains   ${domains.join(", ")}`);
    lines.push("", `Next: npx gatehouse token create --tenant ${tenant.slug}`);
    out.result(result, lines.join("\n"));
  },
};

const list: Command = {
  summary: "List tenants.",
  usage: "tenant list",
  options: {},
  async run({ out }) {
    const rows = await listTenants({ limit: 1000 });
    const domainsOf = await listDomainsOfTenants(rows.map((t) => t.id));
    const data = rows.map((t) => ({
      id: t.id,
      slug: t.slug,
      name: t.name,
      domains: (domainsOf.get(t.id) ?? []).map((d) => ({ domain: d.domain, verified: d.verifiedAt !== null })),
      userCount: t.userCount,
      groupCount: t.groupCount,
      scimUrl: scimUrl(t.id),
      createdAt: t.createdAt.toISOString(),
    }));
    out.result(data, () =>
      data.length
        ? formatTable(
            ["ID", "SLUG", "NAME", "DOMAINS", "USERS", "GROUPS"],
            data.map((t) => [t.id, t.slug, t.name, t.domains.map((d) => (d.verified ? d.domain : `${d.domain} (unverified)`)).join(", "), String(t.userCount), String(t.groupCount)]),
          )
        : "No tenants yet. Create one: npx gatehouse tenant create --name \"Acme Corp\"",
    );
  },
};

export const tenantCommands: Record<string, Command> = { create, list };
