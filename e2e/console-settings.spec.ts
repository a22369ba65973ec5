import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";
import { LoginPage } from "./pages/login";
import { TenantDetailPage, TenantsPage } from "./pages/tenants";

// Tenant settings in the console (the SCIM rate limit applied to the next request), and the
// console's polish: the System theme, toasts in the page's theme, times in the viewer's zone,
// the root not-found page. axe on the settings page, light and dark.

const SCIM_JSON = "application/scim+json";
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** SCIM limits count in fixed windows on the minute: a run crossing one starts counting again. */
async function insideOneWindow() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

async function newTenant(page: Page) {
  const slug = unique("settings");
  const id = await new TenantsPage(page).goto().then(() => new TenantsPage(page).create({ name: `Settings ${slug}`, slug, domains: `${slug}.test` }));
  return { id, slug, name: `Settings ${slug}` };
}

async function generateToken(page: Page, tenantId: string) {
  const detail = new TenantDetailPage(page);
  await detail.goto(tenantId);
  const tenantUrl = await page.getByRole("textbox", { name: "Tenant URL" }).inputValue();
  await detail.generateButton().click();
  const dialog = detail.tokenDialog();
  await dialog.getByRole("button", { name: "Generate", exact: true }).click();
  const token = await dialog.getByRole("textbox", { name: "New provisioning token" }).inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  return { tenantUrl, token };
}

async function openSettings(page: Page, tenantId: string) {
  await page.goto(`/tenants/${tenantId}/settings`);
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
}

/** Relative luminance (WCAG) of a computed `rgb(…)` / `rgba(…)` colour. */
function luminance(color: string) {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function toastBackground(page: Page, text: string) {
  const toast = page.getByText(text).first().locator("xpath=ancestor::li[1]");
  await expect(toast).toBeVisible();
  return toast.evaluate((el) => getComputedStyle(el).backgroundColor);
}

test.describe.configure({ timeout: 90_000 });

test("the SCIM rate limit set in the console refuses the next request beyond it with 429 and Retry-After", async ({ page, request }) => {
  await new LoginPage(page).signIn(e2eAdmin);
  const tenant = await newTenant(page);
  const { tenantUrl, token } = await generateToken(page, tenant.id);

  await openSettings(page, tenant.id);
  const limit = page.getByLabel("SCIM requests per minute per token");
  await expect(limit).toHaveValue("6000");
  // Out of bounds: the error is on the field, and nothing is saved.
  await limit.fill("5");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("At least 10 requests per minute")).toBeVisible();
  await expect(limit).toHaveAttribute("aria-invalid", "true");
  await page.reload();
  await expect(limit).toHaveValue("6000");

  await limit.fill("10");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Tenant saved").first()).toBeVisible();
  await page.reload();
  await expect(limit).toHaveValue("10");

  await insideOneWindow();
  const get = () => request.get(`${tenantUrl}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}`, accept: SCIM_JSON } });
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push((await get()).status());
  expect(statuses).toEqual(Array(10).fill(200));
  const refused = await get();
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
  expect(await refused.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "429" });

  // Raised again: the next request goes through at once.
  await limit.fill("1000");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Tenant saved").first()).toBeVisible();
  expect((await get()).status()).toBe(200);
});

test("theme: System follows the operating system's scheme, chosen from the keyboard; the saved theme is on <html> before first paint", async ({ page }) => {
  await page.addInitScript(() => {
    // Records <html>'s class when the page's <main> is parsed: after next-themes' inline script, long before hydration.
    new MutationObserver((records, observer) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof HTMLElement && node.id === "main") {
            (window as unknown as { firstPaintClass: string }).firstPaintClass = document.documentElement.className;
            observer.disconnect();
            return;
          }
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.emulateMedia({ colorScheme: "light" });
  await new LoginPage(page).signIn(e2eAdmin);
  await page.goto("/dashboard");
  const html = page.locator("html");
  const trigger = page.getByRole("button", { name: /^Theme/ });

  await trigger.click();
  await page.getByRole("menuitemradio", { name: "Dark" }).click();
  await expect(html).toHaveClass(/\bdark\b/);
  await expect(trigger).toHaveAccessibleName("Theme: Dark");
  // Dark stays dark whatever the system says.
  await page.emulateMedia({ colorScheme: "light" });
  await expect(html).toHaveClass(/\bdark\b/);
  await page.reload();
  expect(await page.evaluate(() => (window as unknown as { firstPaintClass: string }).firstPaintClass)).toMatch(/\bdark\b/);

  // System, from the keyboard: open the menu, move to the third item, choose it.
  await trigger.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menuitemradio", { name: "Dark" })).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("menuitemradio", { name: "System" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menu")).toBeHidden();
  await expect(trigger).toHaveAccessibleName("Theme: System");
  await expect(trigger).toBeFocused();
  expect(await page.evaluate(() => localStorage.getItem("theme"))).toBe("system");

  await expect(html).not.toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(html).toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "light" });
  await expect(html).not.toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  expect(await page.evaluate(() => (window as unknown as { firstPaintClass: string }).firstPaintClass)).toMatch(/\bdark\b/);
});

test("a toast takes the page's theme: dark in dark mode, light in light mode", async ({ page }) => {
  await new LoginPage(page).signIn(e2eAdmin);
  const tenant = await newTenant(page);
  for (const theme of ["dark", "light"] as const) {
    await page.evaluate((t) => localStorage.setItem("theme", t), theme);
    await openSettings(page, tenant.id);
    await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
    await page.getByRole("button", { name: "Save settings" }).click();
    const background = luminance(await toastBackground(page, "Tenant saved"));
    if (theme === "dark") expect(background, "toast background luminance in dark mode").toBeLessThan(0.1);
    else expect(background, "toast background luminance in light mode").toBeGreaterThan(0.6);
  }
});

test.describe("in the viewer's time zone", () => {
  test.use({ timezoneId: "Asia/Tokyo" });

  test("a time shows in the browser's zone, with UTC in its title", async ({ page }) => {
    await new LoginPage(page).signIn(e2eAdmin);
    const tenant = await newTenant(page);
    await openSettings(page, tenant.id);
    const time = page.getByText("Last changed").locator("time");
    await expect(time).toHaveText(/GMT\+9$/);
    const iso = (await time.getAttribute("datetime"))!;
    const title = (await time.getAttribute("title"))!;
    expect(title).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`);
    const tokyoHour = String((new Date(iso).getUTCHours() + 9) % 24).padStart(2, "0");
    await expect(time).toHaveText(new RegExp(`, ${tokyoHour}:${iso.slice(14, 16)} GMT\\+9$`));
  });

  test("the users table shows its times in the browser's zone too", async ({ page }) => {
    await new LoginPage(page).signIn(e2eAdmin);
    await page.goto("/tenants?q=acme");
    await page.getByRole("link", { name: "Acme Corp", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Acme Corp" })).toBeVisible();
    await page.getByRole("main").getByRole("link", { name: "Users", exact: true }).click();
    await expect(page.getByRole("combobox", { name: "Tenant" })).toHaveValue("Acme Corp");
    const created = page.getByRole("table").locator("time").first();
    await expect(created).toHaveText(/GMT\+9$/);
    expect(await created.getAttribute("title")).toMatch(/ UTC$/);
  });
});

test("an unknown address shows the root not-found page, with a way home", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page).toHaveTitle("Page not found · Gatehouse");
  const home = page.getByRole("link", { name: "Go to the home page" });
  await expect(home).toHaveAttribute("href", "/");
  await home.click();
  await page.waitForURL(/\/login/);
});

test("the root metadata keeps pages out of search indexes and names the icon", async ({ page }) => {
  await page.goto("/login");
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex, nofollow");
  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(icon).toMatch(/^\/icon\.svg/);
  const svg = await page.request.get(icon!);
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
});

test("axe: the settings page, light and dark, with a field error shown", async ({ page }) => {
  await new LoginPage(page).signIn(e2eAdmin);
  const tenant = await newTenant(page);
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((t) => localStorage.setItem("theme", t), theme);
    await openSettings(page, tenant.id);
    await page.getByLabel("Default token expiry (days)").fill("0");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("At least 1 day")).toBeVisible();
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(300);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
    const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(
      blocking.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      `settings page, ${theme}`,
    ).toEqual([]);
  }
});
