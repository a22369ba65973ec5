import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { auditEvents, scimUsage } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { chartDays, getActivityByDay, getOverallUsage, getTenantUsage } from "@/lib/db/queries/usage";

const database = setupTestDatabase();
const today = new Date("2026-12-03T10:00:00Z");
const days = chartDays(30, today);
const dayAgo = (n: number) => days[days.length - 1 - n];

type Row = Partial<typeof scimUsage.$inferInsert> & { tenantId: string; day: string };
const usage = (rows: Row[]) => database.db.insert(scimUsage).values(rows);

describe(`usage charts read scim_usage and audit_events per UTC day (${testDriver()})`, () => {
  let contoso: string;
  let fabrikam: string;
  let other: string;

  beforeAll(async () => {
    contoso = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    fabrikam = (await createTenant({ name: "Fabrikam", slug: "fabrikam" })).id;
    other = (await createTenant({ name: "Northwind", slug: "northwind" })).id;
    await usage([
      // before the window: only the last seen counts carry in
      { tenantId: contoso, day: "2026-10-01", reads: 999, writes: 999, users: 5, groups: 1 },
      { tenantId: contoso, day: "2026-10-20", reads: 999, users: 7, groups: 2 },
      { tenantId: contoso, day: dayAgo(10), reads: 10, writes: 4, errors: 2, rateLimited: 1, signIns: 3, signInFailures: 1, users: 9, groups: 3 },
      { tenantId: contoso, day: dayAgo(9), signIns: 2, users: null, groups: null },
      { tenantId: contoso, day: dayAgo(0), reads: 1, writes: 1, users: 12, groups: 4 },
      { tenantId: fabrikam, day: dayAgo(5), reads: 20, writes: 6, errors: 3, signInFailures: 2, users: 100, groups: 10 },
      { tenantId: other, day: dayAgo(5), reads: 5000, writes: 5000, errors: 5000, rateLimited: 5000, signIns: 5000, users: 5000, groups: 5000 },
      // after the window (clock skew): never counted
      { tenantId: contoso, day: "2026-12-04", reads: 777, users: 777 },
    ]);
    // Rows written straight to scim_usage, as they stood when migrations 0010 and 0011 ran: the
    // overall changes and traffic per day are derived the way those migrations derive them.
    for (const file of ["0010_console_scale.sql", "0011_usage_days_traffic.sql"]) {
      const migration = fs.readFileSync(path.join(process.cwd(), "drizzle", file), "utf8");
      for (const statement of migration.slice(migration.indexOf('INSERT INTO "usage_days"')).split("--> statement-breakpoint")) {
        await database.db.execute(sql.raw(statement));
      }
    }
  });

  it("covers the 30 UTC days ending today, oldest first", () => {
    expect(days).toHaveLength(30);
    expect(days[0]).toBe("2026-11-04");
    expect(days[29]).toBe("2026-12-03");
  });

  it("one tenant: traffic per day, zeros on days without a row", async () => {
    const series = await getTenantUsage(contoso, 30, today);
    expect(series.map((d) => d.day)).toEqual(days);
    expect(series.find((d) => d.day === dayAgo(10))).toMatchObject({ requests: 14, reads: 10, writes: 4, errors: 2, rateLimited: 1, signIns: 3, signInFailures: 1 });
    expect(series.find((d) => d.day === dayAgo(9))).toMatchObject({ requests: 0, signIns: 2 });
    expect(series.find((d) => d.day === dayAgo(1))).toMatchObject({ requests: 0, errors: 0, signIns: 0, signInFailures: 0 });
    expect(series.reduce((sum, d) => sum + d.requests, 0)).toBe(16);
  });

  it("one tenant: users and groups carry forward from the last day they were seen, before the window too", async () => {
    const series = await getTenantUsage(contoso, 30, today);
    const at = (n: number) => series.find((d) => d.day === dayAgo(n));
    expect(series[0]).toMatchObject({ users: 7, groups: 2 });
    expect(at(10)).toMatchObject({ users: 9, groups: 3 });
    expect(at(9)).toMatchObject({ users: 9, groups: 3 }); // null that day: carried
    expect(at(1)).toMatchObject({ users: 9, groups: 3 });
    expect(at(0)).toMatchObject({ users: 12, groups: 4 });
  });

  it("a tenant never counted has no users line (null), and no traffic", async () => {
    const fresh = (await createTenant({ name: "Empty", slug: "empty" })).id;
    const series = await getTenantUsage(fresh, 30, today);
    expect(series.every((d) => d.users === null && d.groups === null && d.requests === 0 && d.signIns === 0)).toBe(true);
  });

  it("overall: the sum over the tenants given, each tenant's counts carried forward before summing", async () => {
    const series = await getOverallUsage([contoso, fabrikam], 30, today);
    const at = (n: number) => series.find((d) => d.day === dayAgo(n))!;
    expect(at(10)).toMatchObject({ requests: 14, users: 9, groups: 3 });
    expect(at(5)).toMatchObject({ requests: 26, errors: 3, signInFailures: 2, users: 109, groups: 13 });
    expect(at(0)).toMatchObject({ requests: 2, users: 112, groups: 14 });
    expect(series[0]).toMatchObject({ users: 7, groups: 2 });
    expect(series.reduce((sum, d) => sum + d.errors, 0)).toBe(5);
  });

  it("overall never includes a tenant outside the list; an empty list is empty; 'all' is every tenant", async () => {
    const scoped = await getOverallUsage([contoso], 30, today);
    expect(scoped).toEqual(await getTenantUsage(contoso, 30, today));
    expect(scoped.some((d) => d.requests >= 5000 || (d.users ?? 0) >= 5000)).toBe(false);
    const none = await getOverallUsage([], 30, today);
    expect(none.every((d) => d.requests === 0 && d.users === null)).toBe(true);
    const all = await getOverallUsage("all", 30, today);
    expect(all.find((d) => d.day === dayAgo(5))).toMatchObject({ requests: 10_026, users: 5109 });
  });

  it("activity: audit events per UTC day by outcome, within the tenants given", async () => {
    const at = (n: number, hour: number) => new Date(Date.UTC(2026, 11, 3 - n, hour));
    await database.db.insert(auditEvents).values([
      { tenantId: contoso, actorType: "token", action: "scim.user.created", outcome: "success", createdAt: at(2, 0) },
      { tenantId: contoso, actorType: "token", action: "scim.user.created", outcome: "success", createdAt: at(2, 23) },
      { tenantId: contoso, actorType: "token", action: "scim.user.created", outcome: "failure", createdAt: at(2, 12) },
      { tenantId: fabrikam, actorType: "token", action: "scim.user.created", outcome: "failure", createdAt: at(0, 1) },
      { tenantId: other, actorType: "token", action: "scim.user.created", outcome: "failure", createdAt: at(0, 2) },
      { tenantId: contoso, actorType: "token", action: "scim.user.created", outcome: "success", createdAt: at(31, 2) },
    ]);
    const contosoOnly = await getActivityByDay([contoso], 30, today);
    expect(contosoOnly.find((d) => d.day === dayAgo(2))).toEqual({ day: dayAgo(2), success: 2, failure: 1 });
    expect(contosoOnly.reduce((s, d) => s + d.success + d.failure, 0)).toBe(3);
    const both = await getActivityByDay([contoso, fabrikam], 30, today);
    expect(both.find((d) => d.day === dayAgo(0))).toEqual({ day: dayAgo(0), success: 0, failure: 1 });
    expect((await getActivityByDay([], 30, today)).every((d) => d.success + d.failure === 0)).toBe(true);
  });
});
