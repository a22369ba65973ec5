import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDriverName } from "@/lib/db/client";
import { tenants } from "@/lib/db/schema";
import { rowsOf, testDriver, setupTestDatabase } from "./harness";

const database = setupTestDatabase();

describe(`test harness (${testDriver()})`, () => {
  it("runs the suite on the requested driver, migrated", async () => {
    expect(await getDriverName()).toBe(testDriver());
    const migrations = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(rowsOf<{ n: number }>(migrations)[0].n).toBeGreaterThan(0);
  });

  it("supports interactive transactions (rolled back on error)", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(tenants).values({ name: "Rolled back", slug: "rolled-back" });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await database.db.select().from(tenants)).toEqual([]);
  });

  it("reset() empties every table", async () => {
    await database.db.insert(tenants).values({ name: "Temp", slug: "temp" });
    await database.reset();
    expect(await database.db.select().from(tenants)).toEqual([]);
  });
});
