import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./cli";
import { testDriver, setupTestDatabase } from "./harness";

const database = setupTestDatabase();

// Each step is a separate process opening the database (PGlite boots in each): slow under load.
describe(`gatehouse apikey (${testDriver()})`, { timeout: 240_000 }, () => {
  let env: Record<string, string>;

  beforeAll(async () => {
    env = database.externalEnv();
    if (testDriver() === "pglite") return; // the CLI's own open migrates PGlite
    const migrated = await runCli(["db", "migrate", "--json"], env);
    expect(migrated.code, migrated.stderr).toBe(0);
  });

  it("creates a tenant key shown once, lists it without the secret, and revokes it", async () => {
    const created = await runCli(["tenant", "create", "--name", "Keyed Corp", "--json"], env);
    expect(created.code, created.stderr).toBe(0);
    const tenant = created.json<{ id: string; slug: string }>();

    const issued = await runCli(["apikey", "create", "--tenant", tenant.slug, "--scope", "read-write", "--expires-in-days", "10", "--name", "Billing", "--json"], env);
    expect(issued.code, issued.stderr).toBe(0);
    const key = issued.json<{ id: string; key: string; scope: string; tenantId: string; expiresAt: string }>();
    expect(key).toMatchObject({ id: expect.any(String), key: expect.stringMatching(/^gh_api_/), scope: "read-write", tenantId: tenant.id });
    const days = (Date.parse(key.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(9.9);
    expect(days).toBeLessThan(10.1);

    const listed = await runCli(["apikey", "list", "--tenant", tenant.id, "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(key.key);
    expect(listed.json()).toEqual([expect.objectContaining({ id: key.id, name: "Billing", hint: `gh_api_…${key.key.slice(-4)}`, scope: "read-write", status: "active" })]);

    const revoked = await runCli(["apikey", "revoke", key.id, "--json"], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.json()).toMatchObject({ id: key.id, status: "revoked" });
    const again = await runCli(["apikey", "revoke", key.id], env);
    expect(again.stdout).toContain("already revoked");
  });

  it("creates platform keys and refuses bad arguments with a clear message", async () => {
    const platform = await runCli(["apikey", "create", "--platform", "--json"], env);
    expect(platform.code, platform.stderr).toBe(0);
    const key = platform.json<{ id: string; key: string; scope: string; tenantId: null }>();
    expect(key).toMatchObject({ scope: "read", tenantId: null });
    const listed = await runCli(["apikey", "list", "--platform", "--json"], env);
    expect(listed.json<{ id: string }[]>().map((k) => k.id)).toContain(key.id);

    const cases: [string[], RegExp][] = [
      [["apikey", "create"], /--tenant <id\|slug> \(or --platform\) is required/],
      [["apikey", "create", "--tenant", "nobody-here"], /No tenant with id or slug "nobody-here"/],
      [["apikey", "create", "--platform", "--tenant", "x"], /either --tenant or --platform/],
      [["apikey", "create", "--platform", "--scope", "admin"], /--scope must be read or read-write/],
      [["apikey", "create", "--platform", "--expires-in-days", "731"], /--expires-in-days must be a whole number from 1 to 730/],
      [["apikey", "revoke", "not-an-id"], /is not an API key id/],
      [["apikey", "revoke", crypto.randomUUID()], /No API key with id/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, env);
      expect(run.code, args.join(" ")).not.toBe(0);
      expect(run.stderr, args.join(" ")).toMatch(message);
    }
  });
});
