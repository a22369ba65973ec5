import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "@/test/cli";
import { setupTestDatabase, testDriver } from "@/test/harness";

const database = setupTestDatabase();

/**
 * Issue 13: `gatehouse tenant list` leaves no tenant out (it used to stop at 1,000, the console
 * at 200), and `gatehouse tenant import` onboards many tenants in one process, checking every
 * line before creating any.
 */
describe(`gatehouse tenant import and list at scale (${testDriver()})`, { timeout: 240_000 }, () => {
  let env: Record<string, string>;
  const COUNT = 230; // more than one 200-row page

  beforeAll(async () => {
    env = database.externalEnv();
    if (testDriver() === "pglite") return; // the CLI's own open migrates PGlite
    const migrated = await runCli(["db", "migrate", "--json"], env);
    expect(migrated.code, migrated.stderr).toBe(0);
  });

  it("a bad line anywhere creates nothing and names the line", async () => {
    const lines = [JSON.stringify({ name: "Fine Corp" }), "{not json", JSON.stringify({ name: "" })].join("\n");
    const run = await runCli(["tenant", "import"], env, lines);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("line 2: not JSON");
    const duplicate = await runCli(["tenant", "import"], env, [JSON.stringify({ name: "A", slug: "same" }), JSON.stringify({ name: "B", slug: "same" })].join("\n"));
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain("line 2: slug same appears twice");
    const listed = await runCli(["tenant", "list", "--json"], env);
    expect(listed.json()).toEqual([]);
  });

  it("imports many tenants and lists every one of them, newest first, and searches by domain", async () => {
    const lines = Array.from({ length: COUNT }, (_, i) => JSON.stringify({ name: `Bulk ${i}`, slug: `bulk-${i}`, domains: [`bulk-${i}.example`] }));
    const imported = await runCli(["tenant", "import", "--json"], env, lines.join("\n") + "\n");
    expect(imported.code, imported.stderr).toBe(0);
    const created = imported.json<{ id: string; slug: string }[]>();
    expect(created.map((t) => t.slug)).toEqual(Array.from({ length: COUNT }, (_, i) => `bulk-${i}`));

    const listed = await runCli(["tenant", "list", "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    const all = listed.json<{ id: string; slug: string; domains: { domain: string; verified: boolean }[] }[]>();
    expect(all).toHaveLength(COUNT);
    expect(new Set(all.map((t) => t.id)).size).toBe(COUNT);
    expect(all[0].slug).toBe(`bulk-${COUNT - 1}`);
    expect(all[COUNT - 1]).toMatchObject({ slug: "bulk-0", domains: [{ domain: "bulk-0.example", verified: true }] });

    const found = await runCli(["tenant", "list", "--search", "bulk-17.example", "--json"], env);
    expect(found.json<{ slug: string }[]>().map((t) => t.slug)).toEqual(["bulk-17"]);
    const none = await runCli(["tenant", "list", "--search", "nothing-like-it"], env);
    expect(none.stdout).toContain('No tenants match "nothing-like-it".');
  });
});
