import { appUrl } from "../../lib/env";
import { createTenant, findTenantBySlug, listTenants, slugify } from "../../lib/db/queries/tenants";
import { findDomainHolder, listDomainsOfTenants } from "../../lib/db/queries/tenant-domains";
import { auditCli } from "../audit";
import { formatTable, UsageError, CliError } from "../output";
import type { Command } from "../program";

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function scimUrl(tenantId: string) {
  return `${appUrl() ?? "http://localhost:3000"}/scim/v2/${tenantId}`;
}

function parseDomains(raw: string[] | undefined): string[] {
  const domains = (raw ?? []).flatMap((value) => value.split(",")).map((d) => d.trim().toLowerCase()).filter(Boolean);
  for (const domain of domains) {
    if (!DOMAIN.test(domain)) throw new UsageError(`"${domain}" is not an email domain like example.com`);
  }
  return [...new Set(domains)];
}

const create: Command = {
  summary: "Create a tenant; prints its id and SCIM URL.",
  usage: "tenant create --name NAME [--slug SLUG] [--domain example.com ...]",
  options: { name: { type: "string" }, slug: { type: "string" }, domain: { type: "string", multiple: true } },
  async run({ values, out }) {
    const name = String(values.name ?? "").trim();
    if (!name) throw new UsageError("--name is required, e.g. --name \"Acme Corp\"");
    const slug = values.slug === undefined ? slugify(name) : String(values.slug).trim().toLowerCase();
    if (!SLUG.test(slug)) throw new UsageError(`--slug "${slug}" must be 1–48 lower-case letters, digits or dashes`);
    const domains = parseDomains(values.domain as string[] | undefined);
    if (await findTenantBySlug(slug)) throw new CliError(`A tenant with slug "${slug}" already exists`);
    for (const domain of domains) {
      if (await findDomainHolder(domain)) throw new CliError(`Another tenant has already claimed ${domain}`);
    }
    // The platform operator runs the CLI and vouches for the domains: they are verified manually.
    const tenant = await createTenant({ name, slug, domains, domainsVerifiedBy: "manual" });
    await auditCli({
      tenantId: tenant.id,
      action: "tenant.created",
      targetType: "tenant",
      targetId: tenant.id,
      targetLabel: tenant.name,
      details: { slug, domains, domainsVerifiedBy: domains.length ? "manual" : undefined },
    });
    const result = { id: tenant.id, slug: tenant.slug, name: tenant.name, scimUrl: scimUrl(tenant.id) };
    const lines = [`Created tenant ${tenant.name} (${tenant.slug})`, `  id        ${tenant.id}`, `  SCIM URL  ${result.scimUrl}`];
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
