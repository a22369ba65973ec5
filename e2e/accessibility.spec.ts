import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";
import { scimFixture } from "./fixtures/scim-tenant";
import { IdpFormPage } from "./pages/identity-providers";
import { LoginPage } from "./pages/login";
import { UsersPage } from "./pages/users";

// axe-core over every console page and the login pages, light and dark, desktop and 375 px
// wide: no serious or critical violation. The desktop runs also save the README screenshots
// (docs/screenshots/<page>-<theme>.png, 1280×800 viewport) from the seeded Acme tenant.

const SCREENSHOTS = path.join(process.cwd(), "docs", "screenshots");
const THEMES = ["light", "dark"] as const;
type Theme = (typeof THEMES)[number];

type Target = { name: string; path: string; heading: string | RegExp };

async function scan(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = blocking.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join("\n  ")}`);
  expect(summary, `${label}\n${summary.join("\n")}`).toEqual([]);
}

async function setTheme(page: Page, theme: Theme) {
  await page.addInitScript((t) => localStorage.setItem("theme", t), theme);
}

async function visit(page: Page, target: Target, theme: Theme) {
  await page.goto(target.path);
  await expect(page.getByRole("heading", { level: 1, name: target.heading }).first()).toBeVisible();
  await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
  // Charts draw in the browser after hydration: wait until no placeholder is left.
  await expect(page.locator("[data-chart-loading]")).toHaveCount(0);
  // Let fonts settle and entrance animations finish before scanning colours.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
}

let targets: Target[] = [];

test.describe.configure({ timeout: 180_000 });

/** Some provisioning traffic (reads, a create, a 404) so the dashboard's charts have a day to draw. */
async function sendScimTraffic(baseURL: string) {
  const { tenantId, token } = scimFixture();
  const scim = (path: string, init: RequestInit = {}) =>
    fetch(new URL(`/scim/v2/${tenantId}${path}`, baseURL), { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" } });
  const created = await scim("/Users", {
    method: "POST",
    body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `chart-${randomUUID().slice(0, 8)}@entra-replay.test`, active: true }),
  });
  expect(created.status).toBe(201);
  for (let i = 0; i < 4; i++) expect((await scim("/Users?count=1")).status).toBe(200);
  expect((await scim(`/Users/${randomUUID()}`)).status).toBe(404);
}

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  await sendScimTraffic(baseURL!);
  // Find the seeded Acme tenant's pages through the console itself, and add an IdP so its
  // pages have something to show.
  const context = await browser.newContext();
  const page = await context.newPage();
  await new LoginPage(page).signIn(e2eAdmin);
  await page.goto("/tenants");
  await page.getByRole("link", { name: "Acme Corp", exact: true }).click();
  await page.waitForURL(/\/tenants\/[0-9a-f-]{36}$/);
  const tenantPath = new URL(page.url()).pathname;
  const tenantId = tenantPath.split("/").pop()!;

  await page.goto(`/identity-providers?tenantId=${tenantId}`);
  const existing = page.getByRole("link", { name: "Microsoft Entra ID", exact: true });
  let idpPath: string;
  if (await existing.count()) {
    idpPath = (await existing.first().getAttribute("href"))!;
  } else {
    await page.goto(`/identity-providers/new?tenantId=${tenantId}`);
    const directory = randomUUID();
    const base = `https://login.microsoftonline.com/${directory}`;
    const idpId = await new IdpFormPage(page).fill({
      name: "Microsoft Entra ID",
      description: "Acme's workforce directory",
      clientId: randomUUID(),
      clientSecret: "screenshot-secret",
      authorizationUrl: `${base}/oauth2/v2.0/authorize`,
      tokenUrl: `${base}/oauth2/v2.0/token`,
      jwksUrl: `${base}/discovery/v2.0/keys`,
      issuer: `${base}/v2.0`,
      userinfoUrl: "https://graph.microsoft.com/oidc/userinfo",
      buttonLabel: "Sign in with Microsoft",
    }).then(() => new IdpFormPage(page).save());
    idpPath = `/identity-providers/${idpId}`;
  }

  await page.goto(`/users?tenantId=${tenantId}`);
  const userLink = new UsersPage(page).table().getByRole("link", { name: /Megan Bowen|megan\.bowen/ }).first();
  const userPath = (await userLink.getAttribute("href"))!;

  await page.goto(`/groups?tenantId=${tenantId}`);
  const groupPath = (await page.getByRole("link", { name: "Gatehouse Admins", exact: true }).first().getAttribute("href"))!;
  await context.close();

  targets = [
    { name: "dashboard", path: "/dashboard", heading: "Dashboard" },
    { name: "tenants", path: "/tenants", heading: "Tenants" },
    { name: "tenant-detail", path: tenantPath, heading: "Acme Corp" },
    { name: "identity-providers", path: `/identity-providers?tenantId=${tenantId}`, heading: "Identity Providers" },
    { name: "identity-provider-new", path: `/identity-providers/new?tenantId=${tenantId}`, heading: "Add Identity Provider" },
    { name: "identity-provider-detail", path: idpPath, heading: /Microsoft Entra ID/ },
    { name: "users", path: `/users?tenantId=${tenantId}`, heading: "Users" },
    { name: "user-detail", path: userPath, heading: "Megan Bowen" },
    { name: "groups", path: `/groups?tenantId=${tenantId}`, heading: /Security Groups|Groups/ },
    { name: "group-detail", path: groupPath, heading: /Gatehouse Admins/ },
    { name: "activity", path: "/activity", heading: /Activity/ },
    { name: "tenant-api-keys", path: `${tenantPath}/api-keys`, heading: "API keys" },
    { name: "tenant-webhooks", path: `${tenantPath}/webhooks`, heading: "Webhooks" },
    { name: "platform-api-keys", path: "/api-keys", heading: "Platform API keys" },
  ];
});

const LOGIN_PAGES: Target[] = [
  { name: "login", path: "/login", heading: "Sign in to Gatehouse" },
  { name: "login-local", path: "/login?local=1", heading: /Sign in/ },
  { name: "tenant-login", path: "/t/acme/login", heading: /Acme Corp|Sign in/ },
];

for (const theme of THEMES) {
  test(`login pages have no serious axe violations (${theme}, desktop + screenshots)`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await setTheme(page, theme);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    for (const target of LOGIN_PAGES) {
      await visit(page, target, theme);
      await scan(page, `${target.path} (${theme})`);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${target.name}-${theme}.png`) });
    }
  });

  test(`console pages have no serious axe violations (${theme}, desktop + screenshots)`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await setTheme(page, theme);
    await new LoginPage(page).signIn(e2eAdmin);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    for (const target of targets) {
      await visit(page, target, theme);
      await scan(page, `${target.path} (${theme})`);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${target.name}-${theme}.png`) });
    }
  });

  test(`every page has no serious axe violations at 375 px (${theme})`, async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await setTheme(page, theme);
    for (const target of LOGIN_PAGES) {
      await visit(page, target, theme);
      await scan(page, `${target.path} (${theme}, 375 px)`);
    }
    await new LoginPage(page).signIn(e2eAdmin);
    for (const target of targets) {
      await visit(page, target, theme);
      await scan(page, `${target.path} (${theme}, 375 px)`);
      // Nothing scrolls sideways at phone width.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${target.path} overflows horizontally by ${overflow}px`).toBeLessThanOrEqual(1);
    }
  });
}
