import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "@/lib/db/client";
import { auditEvents, tenants } from "@/lib/db/schema";
import { runCli } from "./cli";
import { testDriver, setupTestDatabase } from "./harness";

const database = setupTestDatabase();

type Shown = { id: string; slug: string; name: string; settings: Record<string, unknown>; changes?: Record<string, { from: unknown; to: unknown }> };

// `gatehouse tenant settings`: each step is a separate process opening the database, as `npx gatehouse` does.
describe(`gatehouse tenant settings (${testDriver()})`, { timeout: 240_000 }, () => {
  let env: Record<string, string>;
  let tenantId: string;

  /** Reads the database the CLI wrote: the suite's own, or (PGlite) the CLI's folder once no CLI process holds it. */
  async function inDatabase<T>(read: (db: Db) => Promise<T>): Promise<T> {
    if (testDriver() !== "pglite") return read(database.db);
    const opened = await openDatabase({ driver: "pglite", dataDir: env.DATABASE_URL.replace(/^file:/, "") });
    try {
      return await read(opened.db);
    } finally {
      await opened.close();
    }
  }
  const stored = () => inDatabase(async (db) => (await db.select().from(tenants).where(eq(tenants.id, tenantId)))[0].settings);
  const events = () => inDatabase((db) => db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId)).orderBy(desc(auditEvents.id)));

  beforeAll(async () => {
    env = database.externalEnv();
    if (testDriver() !== "pglite") {
      const migrated = await runCli(["db", "migrate", "--json"], env);
      expect(migrated.code, migrated.stderr).toBe(0);
    }
    const created = await runCli(["tenant", "create", "--name", "Northwind Traders", "--json"], env);
    expect(created.code, created.stderr).toBe(0);
    tenantId = created.json<{ id: string }>().id;
  });

  it("shows the settings, defaults included, as text and as JSON", async () => {
    const json = await runCli(["tenant", "settings", "northwind-traders", "--json"], env);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json<Shown>()).toEqual({
      id: tenantId,
      slug: "northwind-traders",
      name: "Northwind Traders",
      settings: { scimRateLimitPerMinute: 6000, jitProvisioning: false, userLinking: "conflict", ssoMatchBy: "automatic", defaultTokenDays: 30 },
    });
    const text = await runCli(["tenant", "settings", tenantId], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("Settings of Northwind Traders (northwind-traders)");
    expect(text.stdout).toMatch(/SCIM requests per minute per token\s+6000\s+--scim-rate-limit/);
    expect(text.stdout).toMatch(/Just-in-time provisioning\s+off\s+--jit/);
  });

  it("changes every setting given, keeps the others, and audits the change as the console does", async () => {
    const changed = await runCli(
      ["tenant", "settings", "northwind-traders", "--scim-rate-limit", "1200", "--jit", "on", "--user-linking", "link", "--sso-match-by", "objectId", "--default-token-days", "90", "--json"],
      env,
    );
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.json<Shown>()).toMatchObject({
      settings: { scimRateLimitPerMinute: 1200, jitProvisioning: true, userLinking: "link", ssoMatchBy: "objectId", defaultTokenDays: 90 },
      changes: { scimRateLimitPerMinute: { from: 6000, to: 1200 }, jitProvisioning: { from: false, to: true }, defaultTokenDays: { from: 30, to: 90 } },
    });
    const text = await runCli(["tenant", "settings", "northwind-traders", "--jit", "off"], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("Just-in-time provisioning: on → off");

    expect(await stored()).toEqual({ scimRateLimitPerMinute: 1200, jitProvisioning: false, userLinking: "link", ssoMatchBy: "objectId", defaultTokenDays: 90 });
    const [jitOff, all] = await events();
    expect(jitOff).toMatchObject({ action: "tenant.updated", actorType: "system", actorLabel: "cli", outcome: "success", details: { changes: { jitProvisioning: { from: true, to: false } } } });
    expect(all).toMatchObject({ action: "tenant.updated", targetId: tenantId, details: { changes: { scimRateLimitPerMinute: { from: 6000, to: 1200 } } } });
  });

  it("refuses bad values with the flag's name and a non-zero exit, and changes nothing", async () => {
    const before = { settings: await stored(), events: (await events()).length };
    const cases: [string[], RegExp][] = [
      [["--scim-rate-limit", "5"], /--scim-rate-limit: At least 10 requests per minute/],
      [["--scim-rate-limit", "2000000"], /--scim-rate-limit: At most 1,000,000 requests per minute/],
      [["--scim-rate-limit", "1e3"], /--scim-rate-limit: Enter a number of requests per minute/],
      [["--scim-rate-limit", "12.5"], /--scim-rate-limit: Enter a whole number/],
      [["--jit", "yes"], /--jit takes on or off, not "yes"/],
      [["--user-linking", "merge"], /--user-linking: .*\(one of: conflict, link\)/],
      [["--sso-match-by", "email"], /--sso-match-by: .*\(one of: automatic, objectId, userName\)/],
      [["--default-token-days", "0"], /--default-token-days: At least 1 day/],
      // A good flag beside a bad one: the good one is not applied either.
      [["--jit", "on", "--scim-rate-limit", "3"], /--scim-rate-limit: At least 10/],
      [["--rate", "10"], /Unknown option '--rate'/],
    ];
    for (const [flags, message] of cases) {
      const run = await runCli(["tenant", "settings", "northwind-traders", ...flags, "--json"], env);
      expect(run.code, flags.join(" ")).toBe(2);
      expect(JSON.parse(run.stderr).error, flags.join(" ")).toMatch(message);
      expect(run.stdout).toBe("");
    }
    const unknown = await runCli(["tenant", "settings", "nobody", "--jit", "on"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No tenant with id or slug "nobody"');
    const missing = await runCli(["tenant", "settings"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Usage: gatehouse tenant settings <id|slug>");
    for (const run of [unknown, missing]) expect(run.stderr).not.toMatch(/\n\s+at /);

    expect(await stored()).toEqual(before.settings);
    expect((await events()).length).toBe(before.events);
  });
});
