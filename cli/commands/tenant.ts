import { configuredOrigin, scimTenantPath, scimTenantUrl } from "../../lib/origin";
import { actors } from "../../lib/audit";
import { createTenant, createTenantSchema } from "../../lib/admin/tenants";
import { listTenants, MAX_TENANT_PAGE, slugify } from "../../lib/db/queries/tenants";
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

type TenantListing = {
  id: string;
  slug: string;
  name: string;
  domains: { domain: string; verified: boolean }[];
  userCount: number;
  groupCount: number;
  scimUrl: string;
  createdAt: string;
};

const list: Command = {
  summary: "List every tenant, newest first (those matching a name, slug or email domain with --search).",
  usage: "tenant list [--search TEXT]",
  options: { search: { type: "string" } },
  async run({ values, out }) {
    const search = typeof values.search === "string" ? values.search : undefined;
    // Walks the keyset pages to the end: nothing is left out, however many tenants there are.
    const data: TenantListing[] = [];
    let after: string | undefined;
    do {
      const result = await listTenants({ search, sort: "created", direction: "desc", after, limit: MAX_TENANT_PAGE });
      const domainsOf = await listDomainsOfTenants(result.rows.map((t) => t.id));
      for (const t of result.rows) {
        data.push({
          id: t.id,
          slug: t.slug,
          name: t.name,
          domains: (domainsOf.get(t.id) ?? []).map((d) => ({ domain: d.domain, verified: d.verifiedAt !== null })),
          userCount: t.userCount,
          groupCount: t.groupCount,
          scimUrl: scimUrl(t.id),
          createdAt: t.createdAt.toISOString(),
        });
      }
      after = result.nextCursor ?? undefined;
    } while (after);
    out.result(data, () =>
      data.length
        ? formatTable(
            ["ID", "SLUG", "NAME", "DOMAINS", "USERS", "GROUPS"],
            data.map((t) => [t.id, t.slug, t.name, t.domains.map((d) => (d.verified ? d.domain : `${d.domain} (unverified)`)).join(", "), String(t.userCount), String(t.groupCount)]),
          )
        : search
          ? `No tenants match "${search}".`
          : "No tenants yet. Create one: npx gatehouse tenant create --name \"Acme Corp\"",
    );
  },
};

export const tenantCommands: Record<string, Command> = { create, list };
