import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { runCli } from "./cli";
import { testDriver, setupTestDatabase } from "./harness";

const database = setupTestDatabase();

// Each step is a separate process opening the database (PGlite boots in each): slow under load.
describe(`gatehouse CLI end to end (${testDriver()})`, { timeout: 240_000 }, () => {
  let env: Record<string, string>;

  beforeAll(async () => {
    env = database.externalEnv();
    if (testDriver() === "pglite") return; // the CLI's own open migrates PGlite
    const migrated = await runCli(["db", "migrate", "--json"], env);
    expect(migrated.code, migrated.stderr).toBe(0);
  });

  it("creates a tenant, a token, lists it without the secret, and revokes it", async () => {
    const created = await runCli(["tenant", "create", "--name", "Fabrikam Inc", "--domain", "fabrikam.com", "--json"], env);
    expect(created.code, created.stderr).toBe(0);
    const tenant = created.json<{ id: string; slug: string; name: string; scimUrl: string }>();
    expect(tenant).toMatchObject({ slug: "fabrikam-inc", name: "Fabrikam Inc" });
    expect(tenant.scimUrl).toMatch(new RegExp(`/scim/v2/${tenant.id}$`));

    const issued = await runCli(["token", "create", "--tenant", "fabrikam-inc", "--days", "14", "--name", "Entra", "--json"], env);
    expect(issued.code, issued.stderr).toBe(0);
    const token = issued.json<{ id: string; token: string; expiresAt: string }>();
    expect(token.token).toMatch(/^gh_scim_/);
    const days = (Date.parse(token.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThan(14.1);

    const listed = await runCli(["token", "list", "--tenant", tenant.id, "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(token.token);
    expect(listed.stdout).not.toContain(token.token.slice(8, 40));
    expect(listed.json()).toEqual([
      expect.objectContaining({ id: token.id, name: "Entra", hint: `gh_scim_…${token.token.slice(-4)}`, status: "active", lastUsedAt: null }),
    ]);
    const text = await runCli(["token", "list", "--tenant", "fabrikam-inc"], env);
    expect(text.stdout).toMatch(/Entra\s+gh_scim_…\S{4}\s+active/);
    expect(text.stdout).not.toContain(token.token);

    const revoked = await runCli(["token", "revoke", token.id, "--json"], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.json()).toMatchObject({ id: token.id, status: "revoked" });
    const after = await runCli(["token", "list", "--tenant", "fabrikam-inc", "--json"], env);
    expect(after.json<{ status: string }[]>()[0].status).toBe("revoked");

    const tenants = await runCli(["tenant", "list", "--json"], env);
    expect(tenants.json<{ slug: string }[]>().map((t) => t.slug)).toContain("fabrikam-inc");
  });

  it("rejects bad input with a clear message and a non-zero exit", async () => {
    const noName = await runCli(["tenant", "create", "--json"], env);
    expect(noName.code).toBe(2);
    expect(JSON.parse(noName.stderr)).toEqual({ error: expect.stringContaining("--name is required") });

    const unknownTenant = await runCli(["token", "create", "--tenant", "nobody"], env);
    expect(unknownTenant.code).toBe(1);
    expect(unknownTenant.stderr).toContain('No tenant with id or slug "nobody"');

    const badDays = await runCli(["token", "create", "--tenant", "fabrikam-inc", "--days", "zero"], env);
    expect(badDays.code).toBe(2);
    expect(badDays.stderr).toContain("--days must be a whole number");

    const duplicate = await runCli(["tenant", "create", "--name", "Fabrikam Inc"], env);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('slug "fabrikam-inc" already exists');

    const unknown = await runCli(["tenant", "explode"], env);
    expect(unknown.code).toBe(2);
    for (const run of [noName, unknownTenant, badDays, duplicate, unknown]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("creates a break-glass admin with a generated password shown once", async () => {
    const created = await runCli(["admin", "create", "--email", "Break.Glass@Example.com", "--json"], env);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json()).toMatchObject({ email: "break.glass@example.com", created: true, password: expect.stringMatching(/^\S{20,}$/) });
    const again = await runCli(["admin", "create", "--email", "break.glass@example.com", "--password-stdin", "--json"], env, "correct-horse-battery\n");
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toEqual({ id: created.json<{ id: string }>().id, email: "break.glass@example.com", role: "platform_admin", created: false, sessionsEnded: 0 });
    const readOnly = await runCli(["admin", "create", "--email", "auditor@example.com", "--role", "read_only", "--password-stdin", "--json"], env, "correct-horse-battery");
    expect(readOnly.json()).toMatchObject({ email: "auditor@example.com", role: "read_only", created: true });
    expect(readOnly.stdout).not.toContain("correct-horse-battery");
    const badRole = await runCli(["admin", "create", "--email", "x@example.com", "--role", "owner", "--json"], env);
    expect(badRole.code).not.toBe(0);
  });

  it("never takes a password from the command line (review M-9: shell history)", async () => {
    const onArgv = await runCli(["admin", "create", "--email", "argv@example.com", "--password", "correct-horse-battery"], env);
    expect(onArgv.code).toBe(2);
    expect(onArgv.stderr).toContain("--password-stdin");
    const short = await runCli(["admin", "create", "--email", "argv@example.com", "--password-stdin"], env, "short\n");
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("at least 12 characters");
    const empty = await runCli(["admin", "create", "--email", "argv@example.com", "--password-stdin"], env, "");
    expect(empty.code).toBe(2);
  });

  it("seeds idempotently and shows the admin password only the first time", async () => {
    const first = await runCli(["db", "seed", "--json"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({
      seeded: true,
      tenant: { slug: "acme", created: true },
      admin: { email: "admin@gatehouse.local", created: true, password: expect.any(String) },
      usersCreated: 5,
      groupsCreated: 2,
    });
    const second = await runCli(["db", "seed"], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("already exists (password unchanged)");
    expect(second.stdout).not.toContain(first.json<{ admin: { password: string } }>().admin.password);
    const list = await runCli(["tenant", "list", "--json"], env);
    expect(list.json()).toContainEqual(expect.objectContaining({ slug: "acme", userCount: 5, groupCount: 2 }));

    const skipped = await runCli(["db", "seed", "--if-preview", "--json"], { ...env, VERCEL_ENV: "production" });
    expect(skipped.json()).toEqual({ seeded: false, reason: "not a preview deployment" });

    // Review L-10: a preview build log never shows a generated admin password.
    const preview = await runCli(["db", "seed", "--if-preview"], { ...env, VERCEL_ENV: "preview", SEED_ADMIN_EMAIL: "preview@example.com", SEED_ADMIN_PASSWORD: "" });
    expect(preview.code).toBe(1);
    expect(preview.stderr).toContain("SEED_ADMIN_PASSWORD");
    expect(preview.stdout).not.toMatch(/Password:/);
    const configured = await runCli(["db", "seed", "--if-preview", "--json"], {
      ...env,
      VERCEL_ENV: "preview",
      SEED_ADMIN_EMAIL: "preview@example.com",
      SEED_ADMIN_PASSWORD: "preview-password-from-env",
    });
    expect(configured.code, configured.stderr).toBe(0);
    expect(configured.json()).toMatchObject({ seeded: true, admin: { email: "preview@example.com", created: true, passwordFrom: "environment" } });
    expect(configured.stdout).not.toContain("preview-password-from-env");
  });
});

describe.runIf(testDriver() === "pglite")("embedded PGlite folder lock", { timeout: 120_000 }, () => {
  it("a second process gets the clear DatabaseLockedError message, not a stack trace", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-lock-"));
    const dataDir = path.join(dir, "pglite");
    const holder = await openDatabase({ driver: "pglite", dataDir });
    try {
      const second = await runCli(["tenant", "list"], { DATABASE_URL: `file:${dataDir}`, GATEHOUSE_DATA_DIR: dir });
      expect(second.code, second.stderr).toBe(1);
      expect(second.stderr).toContain(`The embedded database in ${dataDir} is in use by another process (pid ${process.pid})`);
      expect(second.stderr).not.toMatch(/\n\s+at /);
      const json = await runCli(["tenant", "list", "--json"], { DATABASE_URL: `file:${dataDir}`, GATEHOUSE_DATA_DIR: dir });
      expect(json.code, json.stderr).toBe(1);
      expect(JSON.parse(json.stderr).error).toMatch(/in use by another process/);
    } finally {
      await holder.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await expect(fs.promises.access(`${dataDir}.lock`)).rejects.toThrow();
  });
});
