import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";
import { scimFixture } from "./fixtures/scim-tenant";
import { LoginPage } from "./pages/login";

// The console's charts (issue 13): SCIM traffic sent through the API here shows on the tenant
// page and the dashboard, drawn (svg) and as the "Show as table" data table, and the dashboard
// has no serious or critical axe violation in light and dark.

const { tenantId, token } = scimFixture();
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const today = new Date().toISOString().slice(0, 10);
const todayLabel = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
  new Date(`${today}T00:00:00Z`),
);
const CHART = "SCIM requests per day";
type Traffic = { requests: number; writes: number; errors: number; rateLimited: number };

test.describe.configure({ mode: "serial", timeout: 120_000 });

function chart(page: Page, name: string): Locator {
  return page.getByRole("figure", { name });
}

/** Today's SCIM figures as the chart's table shows them; zeros while the chart is still empty. */
async function todaysTraffic(page: Page): Promise<Traffic> {
  const figure = chart(page, CHART);
  const empty = page.getByRole("region", { name: CHART });
  // The page streams in behind the console's loading skeleton: wait for one or the other.
  await expect(figure.or(empty).first()).toBeVisible({ timeout: 15_000 });
  if ((await figure.count()) === 0) {
    await expect(empty).toContainText("No data yet");
    return { requests: 0, writes: 0, errors: 0, rateLimited: 0 };
  }
  const row = figure.getByRole("table").getByRole("row", { name: new RegExp(`^${todayLabel}`) });
  const cells = await row.getByRole("cell").allInnerTexts();
  const [requests, writes, errors, rateLimited] = cells.map((text) => Number(text.replace(/,/g, "")));
  return { requests, writes, errors, rateLimited };
}

async function sendScimTraffic(baseURL: string) {
  const scim = (path: string, init: RequestInit = {}) =>
    fetch(new URL(`/scim/v2/${tenantId}${path}`, baseURL), {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    });
  for (let i = 0; i < 3; i++) {
    const userName = `chart-${randomUUID().slice(0, 8)}@entra-replay.test`;
    const created = await scim("/Users", { method: "POST", body: JSON.stringify({ schemas: [USER], userName, active: true }) });
    expect(created.status).toBe(201);
  }
  expect((await scim("/Users?count=1")).status).toBe(200);
  expect((await scim("/Users?startIndex=2&count=1")).status).toBe(200);
  expect((await scim(`/Users/${randomUUID()}`)).status).toBe(404);
}

/** Reloads until the counters (written just after each SCIM response) show the traffic. */
async function expectTraffic(page: Page, path: string, at: Traffic) {
  await expect(async () => {
    await page.goto(path);
    const now = await todaysTraffic(page);
    expect(now.requests).toBeGreaterThanOrEqual(at.requests);
    expect(now.writes).toBeGreaterThanOrEqual(at.writes);
    expect(now.errors).toBeGreaterThanOrEqual(at.errors);
  }).toPass({ timeout: 20_000, intervals: [500, 1_000, 2_000] });
}

async function expectDrawn(page: Page) {
  const figure = chart(page, CHART);
  await expect(figure).toBeVisible();
  const drawing = figure.locator(`[data-chart="${CHART}"] svg`).first();
  // Drawn in the browser once the chart code has loaded (slow on a busy CI machine).
  await expect(drawing).toBeVisible({ timeout: 15_000 });
  await expect(drawing.locator("path.recharts-line-curve")).toHaveCount(4);
  // The table is in the page for screen readers before it is shown.
  await expect(figure.getByRole("table")).toBeAttached();
  const toggle = figure.getByRole("button", { name: "Show as table" });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.click();
  await expect(figure.getByRole("button", { name: "Show as chart" })).toHaveAttribute("aria-expanded", "true");
  await expect(figure.getByRole("table")).toBeVisible();
  await expect(figure.getByRole("columnheader")).toHaveText(["Day (UTC)", "Requests", "Writes", "Errors", "Rate limited (429)"]);
  await expect(figure.getByRole("row")).toHaveCount(31);
}

async function scan(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = blocking.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join("\n  ")}`);
  expect(summary, `${label}\n${summary.join("\n")}`).toEqual([]);
}

let tenantBefore: Traffic;
let overallBefore: Traffic;

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).signIn(e2eAdmin);
});

test("the tenant page and the dashboard chart SCIM traffic sent through the API", async ({ page, baseURL }) => {
  await page.goto(`/tenants/${tenantId}`);
  tenantBefore = await todaysTraffic(page);
  await page.goto("/dashboard");
  overallBefore = await todaysTraffic(page);

  await sendScimTraffic(baseURL!);

  const sent = { requests: 6, writes: 3, errors: 1, rateLimited: 0 };
  const plus = (a: Traffic) => ({ requests: a.requests + sent.requests, writes: a.writes + sent.writes, errors: a.errors + sent.errors, rateLimited: a.rateLimited });

  await expectTraffic(page, `/tenants/${tenantId}`, plus(tenantBefore));
  await expectDrawn(page);
  const tenantNow = await todaysTraffic(page);
  // Only this test sends traffic to this tenant while it runs.
  expect(tenantNow).toEqual(plus(tenantBefore));
  const directory = chart(page, "Users and groups");
  await expect(directory.locator('[data-chart="Users and groups"] svg path.recharts-line-curve')).toHaveCount(2);
  const directoryToday = directory.getByRole("table").getByRole("row", { name: new RegExp(`^${todayLabel}`) });
  const [usersToday] = (await directoryToday.getByRole("cell").allInnerTexts()).map((text) => Number(text.replace(/,/g, "")));
  expect(usersToday).toBeGreaterThanOrEqual(3); // the three users created above
  await expect(page.getByRole("link", { name: "Settings" })).toHaveAttribute("href", `/tenants/${tenantId}/settings`);
  await page.screenshot({ path: test.info().outputPath("tenant.png"), fullPage: true });

  await expectTraffic(page, "/dashboard", plus(overallBefore));
  await expectDrawn(page);
  const overall = await todaysTraffic(page);
  expect(overall.requests).toBeGreaterThanOrEqual(tenantNow.requests);
  await expect(page.getByRole("heading", { name: "Needs attention" })).toBeVisible();
});

for (const theme of ["light", "dark"] as const) {
  test(`dashboard with charts: no serious or critical axe violation (${theme})`, async ({ page }) => {
    await page.addInitScript((t) => localStorage.setItem("theme", t), theme);
    await page.goto("/dashboard");
    await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
    await expect(chart(page, CHART).locator(`[data-chart="${CHART}"] svg`).first()).toBeVisible({ timeout: 15_000 });
    await page.evaluate(() => document.fonts.ready);
    await scan(page, `dashboard (${theme})`);
    await page.screenshot({ path: test.info().outputPath(`dashboard-${theme}.png`), fullPage: true });
    await chart(page, CHART).getByRole("button", { name: "Show as table" }).click();
    await expect(chart(page, CHART).getByRole("table")).toBeVisible();
    await scan(page, `dashboard with a table shown (${theme})`);
  });
}
