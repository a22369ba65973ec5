import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";
import { LoginPage } from "./pages/login";
import { TenantsPage } from "./pages/tenants";

// API keys in the console: a tenant's key is shown once (copied, then gone from the page and
// the dialog), reads its tenant through the real /api/v1, and after a confirmed revocation
// gets a 401 problem. A platform key, created on its own page, reads the same tenant.

test.describe.configure({ timeout: 90_000 });

test("tenant API key: created and shown once → reads /api/v1 → revoked after confirmation → 401", async ({ page, context, request, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await new LoginPage(page).signIn(e2eAdmin);
  const tenants = new TenantsPage(page);
  await tenants.goto();
  const slug = `keys-${randomUUID().slice(0, 8)}`;
  const tenantId = await tenants.create({ name: `Keys ${slug}`, slug, domains: `${slug}.test` });

  await page.getByRole("link", { name: "API keys", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${tenantId}/api-keys$`));
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await expect(page.getByText("No API keys yet")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "OpenAPI document" })).toHaveValue(/\/api\/v1\/openapi\.json$/);

  await page.getByRole("button", { name: "+ Create API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  // A name is required: the form says so and keeps the dialog open.
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText(/Give the key a name/)).toBeVisible();
  await dialog.getByLabel("Name").fill("Billing app");
  await dialog.getByLabel("Scope").selectOption("read");
  await dialog.getByRole("button", { name: "Create key" }).click();

  const shown = dialog.getByRole("textbox", { name: "New API key" });
  await expect(shown).toBeVisible();
  const key = await shown.inputValue();
  expect(key).toMatch(/^gh_api_/);
  await expect(dialog.getByText(/shown this once/)).toBeVisible();
  await dialog.getByRole("button", { name: "Copy key" }).click();
  await expect(page.getByText("Copied to clipboard").first()).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();

  // Shown once: the list has its hint only, also after a reload and in a reopened dialog.
  const row = page.getByRole("row", { name: /Billing app/ });
  await expect(row).toContainText("Active");
  await expect(row).toContainText(`gh_api_…${key.slice(-4)}`);
  expect(await page.content()).not.toContain(key);
  await page.reload();
  await expect(row).toContainText("Active");
  expect(await page.content()).not.toContain(key);
  await page.getByRole("button", { name: "+ Create API key" }).click();
  await expect(page.getByRole("textbox", { name: "New API key" })).toHaveCount(0);
  await page.keyboard.press("Escape");

  // The key reads its tenant through the API.
  const users = await request.get(`/api/v1/tenants/${tenantId}/users`, { headers: { authorization: `Bearer ${key}` } });
  expect(users.status()).toBe(200);
  expect(await users.json()).toEqual({ data: [], nextCursor: null });

  // Revoking asks first; cancelling keeps the key working.
  await page.getByRole("button", { name: "Revoke Billing app" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Revoke this API key?" });
  await expect(confirm).toContainText(`gh_api_…${key.slice(-4)}`);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  expect((await request.get(`/api/v1/tenants/${tenantId}/users`, { headers: { authorization: `Bearer ${key}` } })).status()).toBe(200);

  await page.getByRole("button", { name: "Revoke Billing app" }).click();
  await confirm.getByRole("button", { name: "Revoke" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("API key “Billing app” revoked").first()).toBeVisible();
  await expect(row).toContainText("Revoked");
  await expect(page.getByRole("button", { name: "Revoke Billing app" })).toHaveCount(0);
  const refused = await request.get(`/api/v1/tenants/${tenantId}/users`, { headers: { authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toBe("application/problem+json");
  expect(await refused.json()).toMatchObject({ status: 401, detail: "The API key has been revoked" });

  // A platform key, from its own page, reads this tenant too.
  await tenants.goto();
  await page.getByRole("link", { name: "Platform API keys" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Platform API keys" })).toBeVisible();
  await page.getByRole("button", { name: "+ Create platform API key" }).click();
  const platformDialog = page.getByRole("dialog", { name: "Create platform API key" });
  await platformDialog.getByLabel("Name").fill(`Directory sync ${slug}`);
  await platformDialog.getByRole("button", { name: "Create key" }).click();
  const platformKey = await platformDialog.getByRole("textbox", { name: "New API key" }).inputValue();
  await platformDialog.getByRole("button", { name: "Done" }).click();
  const read = await request.get(`/api/v1/tenants/${tenantId}/users`, { headers: { authorization: `Bearer ${platformKey}` } });
  expect(read.status()).toBe(200);
  const doc = await request.get("/api/v1/openapi.json");
  expect((await doc.json()).openapi).toBe("3.1.0");
});
