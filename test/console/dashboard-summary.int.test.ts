import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { auditEvents, identityProviders, provisioningTokens } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { createLocalUser } from "@/lib/db/queries/users";
import { addToTenantCounts } from "@/lib/db/queries/tenant-counters";
import { createProvisioningToken } from "@/lib/db/queries/tokens";
import { getDashboardSummary, listTenantsNeedingAttention } from "@/lib/db/queries/dashboard";

const database = setupTestDatabase();
const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);

function idp(tenantId: string, lastTestOk: boolean | null) {
  return {
    tenantId,
    name: "Entra",
    clientId: "client-id",
    authorizationUrl: "https://login.example.test/authorize",
    tokenUrl: "https://login.example.test/token",
    jwksUrl: "https://login.example.test/keys",
    lastTestOk,
  };
}

const failure = (tenantId: string | null, hoursAgo: number) => ({
  tenantId,
  actorType: "token" as const,
  action: "scim.user.created",
  outcome: "failure" as const,
  createdAt: new Date(Date.now() - hoursAgo * 3_600_000),
});

describe(`dashboard summary and the tenants needing attention (${testDriver()})`, () => {
  let a: string;
  let b: string;
  let healthy: string;

  beforeAll(async () => {
    a = (await createTenant({ name: "Alpha", slug: "alpha" })).id;
    b = (await createTenant({ name: "Bravo", slug: "bravo" })).id;
    healthy = (await createTenant({ name: "Charlie", slug: "charlie" })).id;
    for (const userName of ["ada@alpha.test", "bob@alpha.test"]) await createLocalUser(a, { userName, loginMethod: "sso" });
    await addToTenantCounts(database.db, a, { groups: 3 });
    await addToTenantCounts(database.db, b, { users: 40, groups: 4 });
    await addToTenantCounts(database.db, healthy, { users: 7 });

    // Alpha: a token expiring in 3 days, two failures today, one failure two days ago (not counted).
    await createProvisioningToken(a, { expiresAt: inDays(3), createdBy: "test" });
    await database.db.insert(auditEvents).values([failure(a, 1), failure(a, 2), failure(a, 49), failure(null, 1)]);
    // Bravo: a failing IdP test, a passing one, a token expiring in 6 days, a revoked and an expired one.
    await database.db.insert(identityProviders).values([idp(b, false), idp(b, true), idp(b, null)]);
    await createProvisioningToken(b, { expiresAt: inDays(6), createdBy: "test" });
    const { row: revoked } = await createProvisioningToken(b, { expiresAt: inDays(2), createdBy: "test" });
    await database.db.update(provisioningTokens).set({ revokedAt: new Date() }).where(sql`${provisioningTokens.id} = ${revoked.id}`);
    const { row: expired } = await createProvisioningToken(b, { expiresAt: inDays(1), createdBy: "test" });
    await database.db.update(provisioningTokens).set({ expiresAt: inDays(-1) }).where(sql`${provisioningTokens.id} = ${expired.id}`);
    // Charlie: a live token far from expiry, provisioned an hour ago.
    await createProvisioningToken(healthy, { expiresAt: inDays(60), createdBy: "test" });
    await database.db.execute(sql`update tenants set last_scim_request_at = now() - interval '1 hour' where id = ${healthy}`);
  });

  it("over every tenant, the figures equal the rows", async () => {
    expect(await getDashboardSummary("all")).toEqual({ tenants: 3, users: 49, groups: 7, tenantsWithErrors: 1, tokensExpiring: 2, failingIdps: 1 });
  });

  it("a tenant admin's summary counts only their tenant", async () => {
    expect(await getDashboardSummary([a])).toEqual({ tenants: 1, users: 2, groups: 3, tenantsWithErrors: 1, tokensExpiring: 1, failingIdps: 0 });
    expect(await getDashboardSummary([b])).toEqual({ tenants: 1, users: 40, groups: 4, tenantsWithErrors: 0, tokensExpiring: 1, failingIdps: 1 });
    expect(await getDashboardSummary([])).toEqual({ tenants: 0, users: 0, groups: 0, tenantsWithErrors: 0, tokensExpiring: 0, failingIdps: 0 });
  });

  it("lists the tenants needing attention with their reasons, and not a healthy one", async () => {
    const { rows, nextCursor } = await listTenantsNeedingAttention("all");
    expect(nextCursor).toBeNull();
    expect(rows.map((r) => [r.name, r.reasons])).toEqual([
      ["Alpha", ["errors", "tokens_expiring", "no_scim_traffic"]],
      ["Bravo", ["idp_test_failed", "tokens_expiring", "no_scim_traffic"]],
    ]);
    expect(rows[0]).toMatchObject({ errors24h: 2, activeTokens: 1, tokensExpiring: 1, userCount: 2, groupCount: 3 });
  });

  it("a tenant admin's list never names another tenant", async () => {
    const { rows } = await listTenantsNeedingAttention([b]);
    expect(rows.map((r) => r.id)).toEqual([b]);
    expect((await listTenantsNeedingAttention([healthy])).rows).toEqual([]);
    expect((await listTenantsNeedingAttention([])).rows).toEqual([]);
  });

  it("pages by name with keyset cursors: every tenant once, no cap", async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await createTenant({ name: `Zulu ${i}`, slug: `zulu-${i}` })).id); // no token: attention
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const { rows, nextCursor } = await listTenantsNeedingAttention("all", { after, limit: 2 });
      seen.push(...rows.map((r) => r.name));
      if (!nextCursor) break;
      after = nextCursor;
    }
    expect(seen).toEqual(["Alpha", "Bravo", ...created.map((_, i) => `Zulu ${i}`)]);
    const zulu = await listTenantsNeedingAttention("all", { after: "not-a-cursor", limit: 100 });
    expect(zulu.rows).toHaveLength(9);
    expect(zulu.rows.at(-1)?.reasons).toEqual(["no_active_token"]);
  });
});
