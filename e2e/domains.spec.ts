import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";
import { LoginPage } from "./pages/login";
import { TenantsPage } from "./pages/tenants";

// Security review M-3 in the browser: the tenant page lists each email domain with its status
// and the TXT record to create. The DNS check itself, routing only verified domains and one
// tenant per domain are covered offline by test/console/email-domains.int.test.ts (a fake
// resolver), so no lookup leaves the machine here.

test("a tenant's email domain: status, TXT record name and value with copy buttons, Verify", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await new LoginPage(page).signIn(e2eAdmin);
  const slug = `dom-${randomUUID().slice(0, 8)}`;
  const domain = `${slug}.test`;
  const tenants = new TenantsPage(page);
  await tenants.goto();
  await tenants.create({ name: `Domains ${slug}`, slug, domains: domain });

  const item = page.getByRole("list", { name: "Email domains" }).getByRole("listitem", { name: domain });
  await expect(item.getByText("Not verified")).toBeVisible();
  await expect(item.getByRole("textbox", { name: `TXT record name for ${domain}` })).toHaveValue(`_gatehouse-challenge.${domain}`);
  const value = item.getByRole("textbox", { name: `TXT record value for ${domain}` });
  await expect(value).toHaveValue(/^gatehouse-verification=[A-Za-z0-9_-]{20,}$/);
  await item.getByRole("button", { name: `Copy the TXT record value for ${domain}` }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await value.inputValue());
  await expect(item.getByRole("button", { name: `Verify ${domain}` })).toBeVisible();
});
