import { describe, expect, it, beforeAll } from "vitest";
import { setupTestDatabase, testDriver } from "../harness";
import { parseFilter } from "@/lib/scim/filter";
import { getScimUser, listScimUsers } from "@/lib/db/queries/scim-users";
import { addGroupMembers, getScimGroup, listScimGroups, removeGroupMembers } from "@/lib/db/queries/scim-groups";
import { listUserGroups, listUsers } from "@/lib/db/queries/users";
import { verifyProvisioningToken } from "@/lib/db/queries/tokens";
import { createTenant, groupId, seedGroups, seedUsers, userExternalId, userId, userName, type Exec } from "../../bench/seed";

// Issue 6: the hot queries must stay index-driven at enterprise scale. The statements are
// captured from the real query functions (what the SCIM server and console send), then
// EXPLAINed against 100k users, 10k groups and a 20k-member group on PostgreSQL.

type Captured = { text: string; values: unknown[] };
type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };
type Pool = { query: (...args: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> };

const HOT_TABLES = new Set(["users", "groups", "group_members"]);
const USERS = 100_000;

function seqScans(node: PlanNode, found: string[] = []): string[] {
  if (node["Node Type"] === "Seq Scan" && node["Relation Name"] && HOT_TABLES.has(node["Relation Name"])) found.push(node["Relation Name"]);
  for (const child of node.Plans ?? []) seqScans(child, found);
  return found;
}

describe.skipIf(testDriver() !== "postgres")("EXPLAIN at 100k users: no sequential scan on the hot queries", () => {
  const database = setupTestDatabase();
  let pool: Pool;
  let captured: Captured[] | undefined;
  let tenant: Awaited<ReturnType<typeof createTenant>>;

  beforeAll(async () => {
    pool = (database.db as unknown as { $client: Pool }).$client;
    const query = pool.query.bind(pool);
    pool.query = (...args: unknown[]) => {
      const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
      const statement = typeof first === "string" ? { text: first, values: second ?? [] } : { text: first.text, values: first.values ?? second ?? [] };
      captured?.push(statement);
      return query(...args);
    };
    const exec: Exec = (text, params) => query(text, params);
    tenant = await createTenant(exec, "explain");
    await seedUsers(exec, tenant, USERS); // one INSERT … SELECT generate_series
    await seedGroups(exec, tenant, 10_000, 20_000);
    await exec("analyze");
  }, 120_000);

  /** Runs `work` and EXPLAINs every statement it sent; returns each plan's seq-scanned hot tables. */
  async function plansOf(work: () => Promise<unknown>) {
    captured = [];
    await work();
    const statements = captured.filter((s) => !/^\s*(begin|commit|rollback)/i.test(s.text));
    captured = undefined;
    expect(statements.length).toBeGreaterThan(0);
    const results = [];
    for (const s of statements) {
      const { rows } = await pool.query(`explain (format json) ${s.text}`, s.values);
      const plan = (rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0].Plan;
      results.push({ sql: s.text.replace(/\s+/g, " ").slice(0, 160), seqScans: seqScans(plan) });
    }
    return results;
  }

  const lookup = (expression: string) => () =>
    listScimUsers(tenant.id, { filter: parseFilter(expression), startIndex: 1, count: 100, sortOrder: "ascending", withGroups: true });

  it.each([
    ["userName eq", () => lookup(`userName eq "${userName(tenant.domain, 77_777)}"`)()],
    ["externalId eq", () => lookup(`externalId eq "${userExternalId(tenant.id, 77_777)}"`)()],
    ['emails[type eq "work"].value eq', () => lookup(`emails[type eq "work"].value eq "${userName(tenant.domain, 77_777)}"`)()],
    ["GET /Users/{id} with groups", () => getScimUser(tenant.id, userId(tenant.id, 5))],
    ["unfiltered page at startIndex 50001", () => listScimUsers(tenant.id, { startIndex: 50_001, count: 100, sortOrder: "ascending", withGroups: true })],
    ["group displayName eq, excludedAttributes=members", () =>
      listScimGroups(tenant.id, { filter: parseFilter('displayName eq "group 4242"'), startIndex: 1, count: 100, sortOrder: "ascending", withMembers: false })],
    ["group members[value eq]", () =>
      listScimGroups(tenant.id, { filter: parseFilter(`members[value eq "${userId(tenant.id, 9)}"]`), startIndex: 1, count: 100, sortOrder: "ascending", withMembers: false })],
    ["GET /Groups/{id} excludedAttributes=members", () => getScimGroup(tenant.id, groupId(tenant.id, 0), false)],
    ["groups of a user (members by user)", () => listUserGroups(tenant.id, userId(tenant.id, 5))],
    ["member add to the 20k-member group", () => addGroupMembers(database.db, tenant.id, groupId(tenant.id, 0), [userId(tenant.id, 90_000)])],
    ["member remove from the 20k-member group", () => removeGroupMembers(database.db, tenant.id, groupId(tenant.id, 0), [userId(tenant.id, 90_000)])],
    ["console Users search", () => listUsers(tenant.id, { search: "Family77777", limit: 50 })],
    ["bearer token verification", () => verifyProvisioningToken(`Bearer ${tenant.token}`, tenant.id)],
  ])("%s", async (_name, work) => {
    const plans = await plansOf(work);
    expect(plans.filter((p) => p.seqScans.length > 0)).toEqual([]);
  });
});
