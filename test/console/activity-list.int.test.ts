import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { createTenant } from "@/lib/db/queries/tenants";
import { lenientActivityFilter, listAuditEvents, toActivityFilters } from "@/lib/db/queries/activity";

const database = setupTestDatabase();

describe(`Activity list: keyset pages along created_at, both ways (${testDriver()})`, () => {
  let contoso: string;

  beforeEach(async () => {
    await database.reset();
    contoso = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    // 120 events one second apart; events 1..3 share one timestamp, so the id breaks the tie.
    await database.db.execute(sql`
      insert into audit_events (tenant_id, actor_type, action, target_label, outcome, created_at)
      select ${contoso}::uuid, 'token', 'scim.user.created', 'u' || n, 'success',
             timestamptz '2026-11-01T00:00:00Z' + greatest(n, 3) * interval '1 second'
      from generate_series(1, 120) as n`);
  });

  const labels = (rows: { targetLabel: string | null }[]) => rows.map((r) => r.targetLabel);

  it("newest first by default, oldest first with direction asc", async () => {
    const desc = await listAuditEvents([contoso], { limit: 5 });
    expect(labels(desc.rows)).toEqual(["u120", "u119", "u118", "u117", "u116"]);
    const asc = await listAuditEvents([contoso], { direction: "asc", limit: 5 });
    expect(labels(asc.rows)).toEqual(["u1", "u2", "u3", "u4", "u5"]);
  });

  it("Next then Previous returns the same page; every event is seen once walking forward", async () => {
    for (const direction of ["asc", "desc"] as const) {
      const first = await listAuditEvents([contoso], { direction, limit: 50 });
      expect(first.prevCursor).toBeNull();
      const second = await listAuditEvents([contoso], { direction, limit: 50, after: first.nextCursor! });
      const back = await listAuditEvents([contoso], { direction, limit: 50, before: second.prevCursor! });
      expect(labels(back.rows)).toEqual(labels(first.rows));
      const third = await listAuditEvents([contoso], { direction, limit: 50, after: second.nextCursor! });
      expect(third.nextCursor).toBeNull();
      const seen = [...first.rows, ...second.rows, ...third.rows].map((r) => r.id);
      expect(new Set(seen).size).toBe(120);
    }
  });

  it("a tampered cursor is the first page, never an error", async () => {
    const page = await listAuditEvents([contoso], { limit: 5, after: "not-a-cursor" });
    expect(labels(page.rows)[0]).toBe("u120");
  });

  it("another tenant's scope sees none of it", async () => {
    const fabrikam = (await createTenant({ name: "Fabrikam", slug: "fabrikam" })).id;
    expect((await listAuditEvents([fabrikam], {})).rows).toEqual([]);
    expect((await listAuditEvents([fabrikam], { tenantId: contoso })).rows).toEqual([]);
  });
});

describe("Activity page filter: malformed values are dropped, valid ones kept", () => {
  const read = (params: Record<string, string>) => (key: string) => params[key];

  it("keeps a valid filter whole", () => {
    expect(lenientActivityFilter(read({ action: "scim.user", outcome: "failure", from: "2026-12-01", to: "2026-12-02", dir: "asc" }))).toEqual({
      action: "scim.user",
      outcome: "failure",
      from: "2026-12-01",
      to: "2026-12-02",
      dir: "asc",
    });
  });

  it("drops only what is malformed", () => {
    expect(lenientActivityFilter(read({ action: "scim.", outcome: "maybe", from: "2026-13-01", dir: "up" }))).toEqual({ action: "scim." });
    expect(lenientActivityFilter(read({ from: "2026-12-02", to: "2026-12-01" }))).toEqual({ from: "2026-12-02" });
  });

  it("“to” is inclusive: the filter ends at the start of the next UTC day", () => {
    expect(toActivityFilters({ to: "2026-12-01" }).to?.toISOString()).toBe("2026-12-02T00:00:00.000Z");
  });
});
