import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import pg from "pg";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";
import { LoginPage } from "./pages/login";

// Issue 13's acceptance: the CSV export of a 10,000-event filter downloads completely, and the
// activity list's sort lives in the URL. The 10,000 audit events are seeded with one SQL
// INSERT … SELECT into the e2e server's PostgreSQL database: SCIM would need 10,000 requests
// under its rate limit, and audit rows have no other door. The tenant is made by the real CLI.

const TOTAL = 10_000;

test.describe("activity export and sorting", () => {
  test.skip(!process.env.E2E_DATABASE_URL, "needs the PostgreSQL e2e server: set TEST_DATABASE_URL (the events are seeded into its database)");
  test.describe.configure({ timeout: 120_000 });

  const slug = `export-${randomUUID().slice(0, 8)}`;
  let tenantId: string;

  // The real CLI, pointed at the running server's database.
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ["bin/gatehouse.mjs", ...args], {
      encoding: "utf8",
      env: {
        ...process.env,
        DATABASE_URL: process.env.E2E_DATABASE_URL,
        DATABASE_DRIVER: "postgres",
        ENCRYPTION_KEY: process.env.E2E_ENCRYPTION_KEY,
        AUTH_SECRET: process.env.E2E_AUTH_SECRET,
      },
    });

  test.beforeAll(async () => {
    tenantId = (JSON.parse(cli("tenant", "create", "--name", `Export ${slug}`, "--slug", slug, "--json")) as { id: string }).id;
    cli("token", "create", "--tenant", slug, "--name", "Zulu primary", "--days", "90");
    cli("token", "create", "--tenant", slug, "--name", "Alpha rotation", "--days", "30");
    const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
    await client.connect();
    try {
      // 10,000 user creations one second apart, and 25 token events the filter must leave out.
      await client.query(
        `insert into audit_events (tenant_id, actor_type, actor_id, actor_label, action, target_type, target_id, target_label, outcome, status_code, created_at)
         select $1::uuid, 'token', 'e2e-token', 'SCIM provisioning', 'scim.user.created', 'user', gen_random_uuid()::text,
                'user' || n || '@${slug}.test', 'success', 201, timestamptz '2026-11-01T00:00:00Z' + n * interval '1 second'
         from generate_series(1, ${TOTAL}) as n`,
        [tenantId],
      );
      await client.query(
        `insert into audit_events (tenant_id, actor_type, actor_label, action, outcome, request_id, details, created_at)
         select $1::uuid, 'admin', 'admin@gatehouse.local', 'token.created', 'success', 'e2e-request-' || n,
                jsonb_build_object('name', 'Rotation ' || n, 'note', repeat('long detail ', 40)), timestamptz '2026-11-01T12:00:00Z' + n * interval '1 minute'
         from generate_series(1, 25) as n`,
        [tenantId],
      );
    } finally {
      await client.end();
    }
  });

  test("the CSV export of a 10,000-event filter downloads completely", async ({ page }) => {
    await new LoginPage(page).signIn(e2eAdmin);
    await page.goto(`/activity?tenantId=${tenantId}`);
    await page.getByLabel("Action").fill("scim.user");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/[?&]action=scim\.user(&|$)/);
    await expect(page).toHaveURL(new RegExp(`[?&]tenantId=${tenantId}`));
    await expect(page.getByRole("link", { name: `user${TOTAL}@${slug}.test` })).toBeVisible();

    const exportLink = page.getByRole("link", { name: "Export CSV" });
    await expect(exportLink).toHaveAttribute("href", new RegExp(`tenantId=${tenantId}.*action=scim\\.user|action=scim\\.user.*tenantId=${tenantId}`));
    const [download] = await Promise.all([page.waitForEvent("download"), exportLink.click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^gatehouse-activity-${slug}-\\d{8}-\\d{6}\\.csv$`));
    const file = await download.path();
    expect(await download.failure()).toBeNull();
    const text = fs.readFileSync(file, "utf8");
    const lines = text.split("\r\n");
    expect(lines.pop()).toBe("");
    // The header and every one of the 10,000 events; none of the 25 token events.
    expect(lines).toHaveLength(TOTAL + 1);
    expect(lines[0]).toMatch(/^id,created_at,tenant_id,/);
    expect(lines.filter((line) => line.includes(",scim.user.created,"))).toHaveLength(TOTAL);
    expect(text).not.toContain("token.created");
  });

  test("the time sort changes the URL, and Back restores the previous order", async ({ page }) => {
    await new LoginPage(page).signIn(e2eAdmin);
    await page.goto(`/activity?tenantId=${tenantId}&action=scim.user`);
    const table = page.getByRole("region", { name: "Activity" });
    const firstTarget = () => table.getByRole("row").nth(1);
    await expect(firstTarget()).toContainText(`user${TOTAL}@${slug}.test`);
    await expect(table.getByRole("columnheader", { name: /Time/ })).toHaveAttribute("aria-sort", "descending");

    await table.getByRole("button", { name: /^Time/ }).click();
    await expect(page).toHaveURL(/[?&]dir=asc(&|$)/);
    await expect(firstTarget()).toContainText(`user1@${slug}.test`);
    await expect(table.getByRole("columnheader", { name: /Time/ })).toHaveAttribute("aria-sort", "ascending");

    // The next page keeps the order; Back twice returns to the newest-first first page.
    await page.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/[?&]after=/);
    await expect(firstTarget()).toContainText(`user51@${slug}.test`);
    await page.goBack();
    await expect(firstTarget()).toContainText(`user1@${slug}.test`);
    await page.goBack();
    await expect(page).not.toHaveURL(/dir=asc/);
    await expect(firstTarget()).toContainText(`user${TOTAL}@${slug}.test`);
  });

  test("an event's details expand in full with its request id, and a user target links to the user", async ({ page }) => {
    await new LoginPage(page).signIn(e2eAdmin);
    // The seeded token events (the CLI's own token.created events are by "cli").
    await page.goto(`/activity?tenantId=${tenantId}&action=token.&actor=admin%40gatehouse.local`);
    const table = page.getByRole("region", { name: "Activity" });
    const toggle = table.getByRole("button", { name: "Show details" }).first();
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await toggle.click();
    await expect(table.getByRole("button", { name: "Hide details" }).first()).toHaveAttribute("aria-expanded", "true");
    await expect(table.getByText("e2e-request-25", { exact: true })).toBeVisible();
    await expect(table.getByRole("button", { name: "Copy request id" })).toBeVisible();
    // The whole value, not a 300-character cut.
    await expect(table.getByLabel("Details as JSON")).toContainText(`${"long detail ".repeat(40).trimEnd()}`);

    await page.goto(`/activity?tenantId=${tenantId}&action=scim.user`);
    await expect(page.getByRole("link", { name: `user${TOTAL}@${slug}.test` })).toHaveAttribute("href", /^\/users\/[0-9a-f-]{36}$/);
  });

  for (const theme of ["light", "dark"] as const) {
    test(`the activity page with an expanded event has no serious or critical axe violation (${theme})`, async ({ page }) => {
      await page.addInitScript((t) => localStorage.setItem("theme", t), theme);
      await new LoginPage(page).signIn(e2eAdmin);
      await page.goto(`/activity?tenantId=${tenantId}&action=token.&actor=admin%40gatehouse.local`);
      await page.getByRole("button", { name: "Show details" }).first().click();
      await expect(page.getByLabel("Details as JSON")).toBeVisible();
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      await page.waitForTimeout(300);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
      const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
    });
  }

  test("the tokens table sorts by expiry with the order in the URL, and Back restores it", async ({ page }) => {
    await new LoginPage(page).signIn(e2eAdmin);
    await page.goto(`/tenants/${tenantId}`);
    const tokens = page.getByRole("region", { name: "Token list" });
    const firstRow = () => tokens.getByRole("row").nth(1);
    // Newest first by default: Alpha rotation was created last.
    await expect(firstRow()).toContainText("Alpha rotation");
    const expires = tokens.getByRole("columnheader", { name: /^Expires/ });
    await expect(expires).toHaveAttribute("aria-sort", "none");
    await tokens.getByRole("button", { name: /^Expires/ }).click();
    await expect(page).toHaveURL(/tokenSort=expires&tokenDir=asc/);
    await expect(expires).toHaveAttribute("aria-sort", "ascending");
    await expect(firstRow()).toContainText("Alpha rotation");
    await tokens.getByRole("button", { name: /^Expires/ }).click();
    await expect(page).toHaveURL(/tokenSort=expires&tokenDir=desc/);
    await expect(expires).toHaveAttribute("aria-sort", "descending");
    await expect(firstRow()).toContainText("Zulu primary");
    await page.goBack();
    await expect(page).toHaveURL(/tokenDir=asc/);
    await expect(firstRow()).toContainText("Alpha rotation");
  });
});
