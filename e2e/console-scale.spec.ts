import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";
import { LoginPage } from "./pages/login";

// Issue 13's acceptance: with 250 tenants made through the CLI, the oldest tenant's "Users"
// link shows its own users (the old 200-row list sent it to the newest tenant's), the Users
// page's tenant picker finds it by typing, and the paged, sortable tenant list passes axe in
// light and dark. The CLI writes into the running server's database, so this needs the
// PostgreSQL e2e server.

const TENANTS = 250;

const cliEnv = () => ({
  ...process.env,
  DATABASE_URL: process.env.E2E_DATABASE_URL,
  DATABASE_DRIVER: "postgres",
  ENCRYPTION_KEY: process.env.E2E_ENCRYPTION_KEY,
  AUTH_SECRET: process.env.E2E_AUTH_SECRET,
});

function gatehouse(args: string[], input?: string) {
  return execFileSync(process.execPath, ["bin/gatehouse.mjs", ...args, "--json"], { encoding: "utf8", input, env: cliEnv() });
}

type Created = { id: string; slug: string; name: string; scimUrl: string };

async function signIn(page: Page) {
  await new LoginPage(page).signIn(e2eAdmin);
}

test.describe("the console with 250 tenants", () => {
  test.skip(!process.env.E2E_DATABASE_URL, "needs the PostgreSQL e2e server: set TEST_DATABASE_URL (the CLI writes the tenants into its database)");
  test.describe.configure({ timeout: 120_000 });

  const run = randomUUID().slice(0, 6);
  let oldest: Created;
  const userName = `oldest.member@scale-${run}.test`;

  test.beforeAll(async ({ request }) => {
    // Oldest first: the import creates them in order.
    const lines = Array.from({ length: TENANTS }, (_, i) =>
      JSON.stringify({ name: `Scale ${run} ${i === 0 ? "Oldest Harbour" : `Tenant ${String(i).padStart(3, "0")}`}`, slug: `scale-${run}-${i}`, domains: [`scale-${run}-${i}.test`] }),
    );
    const created = JSON.parse(gatehouse(["tenant", "import"], lines.join("\n"))) as Created[];
    expect(created).toHaveLength(TENANTS);
    oldest = created[0];
    // One user in the oldest tenant, provisioned through SCIM as Entra would.
    const { token } = JSON.parse(gatehouse(["token", "create", "--tenant", oldest.slug, "--name", "Scale e2e"])) as { token: string };
    const response = await request.post(`/scim/v2/${oldest.id}/Users`, {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
      data: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true, displayName: "Oldest Member" }),
    });
    expect(response.status()).toBe(201);
  });

  test("the oldest tenant's Users link shows its own users", async ({ page }) => {
    await signIn(page);
    await page.goto(`/tenants/${oldest.id}`);
    await expect(page.getByRole("heading", { level: 1, name: oldest.name })).toBeVisible();
    await page.getByRole("main").getByRole("link", { name: "Users", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/users" && url.searchParams.get("tenantId") === oldest.id);
    await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
    await expect(page.getByRole("combobox", { name: "Tenant" })).toHaveValue(oldest.name);
    await expect(page.getByRole("link", { name: userName })).toBeVisible();
  });

  test("the Users page's tenant picker finds the oldest tenant by typing part of its name", async ({ page }) => {
    await signIn(page);
    await page.goto("/users");
    const picker = page.getByRole("combobox", { name: "Tenant" });
    await expect(picker).not.toHaveValue(oldest.name);
    await picker.click();
    await picker.fill("oldest harb");
    await expect(picker).toHaveAttribute("aria-expanded", "true");
    const option = page.getByRole("option", { name: new RegExp(`Scale ${run} Oldest Harbour`) });
    await expect(option).toBeVisible();
    await picker.press("ArrowDown");
    await picker.press("Enter");
    await page.waitForURL((url) => url.searchParams.get("tenantId") === oldest.id);
    await expect(page.getByRole("link", { name: userName })).toBeVisible();
    // Escape closes the list without changing the pick.
    await picker.fill("zzz-no-such-tenant");
    await expect(page.getByText("No tenants match “zzz-no-such-tenant”.").first()).toBeVisible();
    await picker.press("Escape");
    await expect(picker).toHaveAttribute("aria-expanded", "false");
    await picker.press("Escape");
    await expect(picker).toHaveValue(oldest.name);
  });

  test("the tenant list pages through every tenant, sorts by name, and keeps both in the URL", async ({ page }) => {
    await signIn(page);
    await page.goto(`/tenants?q=scale-${run}`);
    await expect(page.getByText(`Showing 1–50 of ${TENANTS} matching tenants`)).toBeVisible();
    await page.getByRole("button", { name: /^Name/ }).click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "name" && url.searchParams.get("dir") === "asc");
    await expect(page.getByRole("row").nth(1)).toContainText(oldest.name); // "Oldest Harbour" sorts before "Tenant 001"
    await page.getByRole("link", { name: "Next" }).click();
    await expect(page.getByText(`Showing 51–100 of ${TENANTS} matching tenants`)).toBeVisible();
    await page.goBack();
    await expect(page.getByText(`Showing 1–50 of ${TENANTS} matching tenants`)).toBeVisible();
    await expect(page.getByRole("row").nth(1)).toContainText(oldest.name);
    // Found by its email domain too.
    await page.goto(`/tenants?q=${encodeURIComponent(`someone@scale-${run}-0.test`)}`);
    await expect(page.getByText("Showing 1–1 of 1 matching tenants")).toBeVisible();
  });

  for (const theme of ["light", "dark"] as const) {
    test(`the tenants page has no serious or critical axe violation (${theme})`, async ({ page }) => {
      await page.addInitScript((t) => localStorage.setItem("theme", t), theme);
      await signIn(page);
      await page.goto(`/tenants?q=scale-${run}&sort=name&dir=asc`);
      await expect(page.getByRole("heading", { level: 1, name: "Tenants" })).toBeVisible();
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      await page.evaluate(() => document.fonts.ready);
      await page.waitForTimeout(300);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
      const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    });
  }

  test("the tenant picker passes axe while open", async ({ page }) => {
    await signIn(page);
    await page.goto(`/users?tenantId=${oldest.id}`);
    const picker = page.getByRole("combobox", { name: "Tenant" });
    await picker.fill(`scale-${run}`);
    await expect(page.getByRole("option").first()).toBeVisible();
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });
});
