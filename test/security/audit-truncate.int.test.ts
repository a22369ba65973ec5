import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf, setupTestDatabase, testDriver } from "@/test/harness";
import { recordAudit } from "@/lib/db/queries/audit";

// L-8: audit_events is append-only; TRUNCATE skips row triggers, so migration 0005 adds a
// BEFORE TRUNCATE statement trigger of its own.
const database = setupTestDatabase();

const count = async () => rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from audit_events`))[0].n;

function sqlstateOf(error: unknown): string | undefined {
  for (let e = error as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code) return e.code;
  return undefined;
}

describe(`audit_events refuses TRUNCATE (${testDriver()})`, () => {
  it("refuses TRUNCATE, alone or with other tables, and keeps every row", async () => {
    await recordAudit({ tenantId: null, actorType: "system", action: "test.kept", outcome: "success" });
    const before = await count();
    expect(before).toBeGreaterThan(0);
    for (const statement of ["truncate audit_events", "truncate audit_events, rate_limits", "truncate audit_events restart identity cascade"]) {
      const error = await database.db.execute(sql.raw(statement)).then(() => undefined, (e: unknown) => e);
      expect(error, statement).toBeDefined();
      expect(sqlstateOf(error), statement).toBe("42501");
      expect(String((error as { cause?: unknown }).cause ?? error)).toContain("append-only");
    }
    expect(await count()).toBe(before);
  });

  it("still refuses UPDATE and DELETE", async () => {
    await recordAudit({ tenantId: null, actorType: "system", action: "test.kept", outcome: "success" });
    await expect(database.db.execute(sql`delete from audit_events`)).rejects.toThrow();
    await expect(database.db.execute(sql`update audit_events set action = 'x'`)).rejects.toThrow();
  });
});
