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

const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_IMPORT_BYTES) throw new UsageError(`Standard input is longer than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB; split the import.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Onboarding many organisations at once: one JSON object a line on standard input, each created
 * (and audited) like `tenant create`. Every line is checked before any is created, so a typo on
 * line 900 does not leave 899 tenants behind.
 */
const importTenants: Command = {
  summary: "Create tenants from JSON lines on standard input: {\"name\": \"Acme\", \"slug\": \"acme\", \"domains\": [\"acme.com\"]}",
  usage: "tenant import < tenants.ndjson",
  options: {},
  async run({ out }) {
    const lines = (await readStdin()).split(/\r?\n/).map((line, i) => ({ line: line.trim(), number: i + 1 })).filter((l) => l.line);
    if (!lines.length) throw new UsageError("No tenants on standard input: one JSON object a line, e.g. {\"name\": \"Acme Corp\"}");
    const parsed = lines.map(({ line, number }) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new UsageError(`line ${number}: not JSON`);
      }
      const input = (value ?? {}) as { name?: unknown; slug?: unknown; domains?: unknown };
      const name = typeof input.name === "string" ? input.name.trim() : "";
      if (!name) throw new UsageError(`line ${number}: "name" is required`);
      const result = createTenantSchema.safeParse({ name, slug: input.slug ?? slugify(name), domains: input.domains ?? [] });
      if (!result.success) {
        const [issue] = result.error.issues;
        throw new UsageError(`line ${number}: ${String(issue.path[0] ?? "input")}: ${issue.message}`);
      }
      return result.data;
    });
    const slugs = new Set<string>();
    parsed.forEach((t, i) => {
      if (slugs.has(t.slug)) throw new UsageError(`line ${lines[i].number}: slug ${t.slug} appears twice`);
      slugs.add(t.slug);
    });
    const created = [];
    for (const input of parsed) {
      const tenant = await createTenant(input, actors.cli(), { domainsVerifiedBy: "manual" });
      created.push({ id: tenant.id, slug: tenant.slug, name: tenant.name, scimUrl: scimUrl(tenant.id) });
    }
    out.result(created, () => `Created ${created.length} tenant${created.length === 1 ? "" : "s"}.`);
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

export const tenantCommands: Record<string, Command> = { create, import: importTenants, list };
