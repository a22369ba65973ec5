import { expect, test } from "@playwright/test";
import { EntraDirectory } from "../fixtures/entra";
import { isoDateFromToday } from "../fixtures/dates";
import { startEntraLikeProvider, type EntraLikeProvider } from "../fixtures/oidc-provider";
import { TenantDetailPage } from "../pages/tenants";
import { UserDetailPage, UsersPage } from "../pages/users";
import { chooseTenant, configureEntraIdp, createTenantInConsole, entraAccount, entraProvisioning, navigateTo, signInAsAdmin, signInThroughTenantPage } from "./_support";

// ../shared/guides/001_aa51557054f2c188.txt — Cantara: SCIM provisioning from Entra, end to end.
// Guide step → test step:
//
// Before you begin: console access, permission to       → sign in as the seeded admin (platform admin); a tenant via
//   manage tenants and tokens, an IdP configured          Tenants → New tenant; an Entra IdP through Identity Providers
//   for your tenant                                       (discovery import, Test sign-in — Megan is not provisioned
//                                                          yet, so it fails with not_provisioned — "Activate anyway")
// Step 1 In Cantara, navigate to Tenants                → sidebar "Tenants": the Tenant Management list shows the tenant
//   Select the tenant you want to edit                  → its link
//   Scroll to the Provisioning Tokens section           → the "Provisioning Tokens" heading
//   Click + Generate Provisioning Token                 → the button of that name; its dialog
//   Select an expiry date (30 days by default)          → "Expires on" = today + 30, "30 days" pressed
//   Click Generate; Copy the token (not retrievable)    → "Generate", "Copy token" (clipboard), the "cannot be retrieved
//                                                          later" warning; after "Done" the token is not on the page
// Step 2 Tenant URL …/scim/v2/<TenantID>                → the tenant page's "Tenant URL"
//   Authentication method Bearer Token                  → the simulator sends `Authorization: Bearer <token>`
//   Recommended user attributes                         → Entra's default non-gallery mappings (mailNickname → externalId)
//   Enable provisioning                                 → Test Connection's GETs, then the initial cycle: no failed request
// What to expect: Account Source SCIM                   → Users: each assigned user's row says SCIM; user page
//                                                          "Account Source: SCIM"
//   Account fields read-only                            → the user page says it is managed by the IdP, no profile editor
//   Group memberships provisioned                       → Security Groups: the group and its members
//   User updates synced                                 → a display-name change in Entra, an incremental cycle, the new
//                                                          name in the console
//   Deactivation: deactivated or removed in the IdP →   → one user removed from the app's assignment (scope-out), one
//     deactivated in Cantara                              soft-deleted: both Inactive in the console, out of the group; the
//                                                          removed user, who signed in before, can no longer sign in

test.describe.configure({ timeout: 90_000 });

let idp: EntraLikeProvider | undefined;

test.afterAll(async () => {
  await idp?.close();
});

test("Cantara guide: SCIM from Entra — token from Tenant Management, users and groups provisioned, a removed user deactivated", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  idp = await startEntraLikeProvider({ appOrigin: baseURL! });
  await signInAsAdmin(page);
  const tenant = await createTenantInConsole(page, "cantara-scim");

  const directory = new EntraDirectory({ seed: Date.now() % 2 ** 31, domain: tenant.domain });
  const alex = directory.addUser({ mailNickname: "alex.wilber", displayName: "Alex Wilber" });
  const megan = directory.addUser({ mailNickname: "megan.bowen", displayName: "Megan Bowen" });
  const lee = directory.addUser({ mailNickname: "lee.gu", displayName: "Lee Gu" });
  const group = directory.addGroup("Cantara Analysts");
  for (const user of [alex, megan, lee]) group.memberObjectIds.add(user.objectId);
  const meganAtEntra = entraAccount(idp, megan);
  await configureEntraIdp(page, tenant, idp, { buttonLabel: "Sign in with Microsoft", testUser: meganAtEntra.username, testUserProvisioned: false });

  // Step 1: navigate to Tenants — the Tenant Management screen lists the tenants; select ours.
  await navigateTo(page, "Tenants");
  await expect(page.getByText(/^Tenant Management/)).toBeVisible();
  await page.getByRole("region", { name: "Tenants" }).getByRole("link", { name: tenant.name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: tenant.name })).toBeVisible();

  // The Provisioning Tokens section → + Generate Provisioning Token → expiry (30 days by default) → Generate → copy.
  const tenantPage = new TenantDetailPage(page);
  await page.getByRole("heading", { name: "Provisioning Tokens" }).scrollIntoViewIfNeeded();
  await tenantPage.generateButton().click();
  const dialog = tenantPage.tokenDialog();
  await expect(dialog.getByLabel("Expires on")).toHaveValue(isoDateFromToday(30));
  await expect(dialog.getByRole("button", { name: "30 days" })).toHaveAttribute("aria-pressed", "true");
  await dialog.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(dialog.getByText(/cannot be retrieved later/)).toBeVisible();
  await dialog.getByRole("button", { name: "Copy token" }).click();
  const token = await page.evaluate(() => navigator.clipboard.readText());
  expect(token).toBe(await dialog.getByRole("textbox", { name: "New provisioning token" }).inputValue());
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  expect(await page.content()).not.toContain(token);

  // Step 2: the Tenant URL ends with the tenant's id; Entra authenticates with the token as Bearer.
  const tenantUrl = await page.getByRole("textbox", { name: "Tenant URL" }).inputValue();
  expect(tenantUrl).toBe(`${baseURL}/scim/v2/${tenant.id}`);
  const entra = entraProvisioning(directory, { tenantUrl, token });
  expect(await entra.testConnection()).toBe(true);
  expect((await entra.initialCycle()).failures).toEqual([]);

  // What to expect: Account Source SCIM, for every assigned user.
  await navigateTo(page, "Users");
  await chooseTenant(page, tenant);
  const users = new UsersPage(page);
  for (const user of [alex, megan, lee]) {
    await expect(users.row(user.userPrincipalName)).toContainText("SCIM");
    await expect(users.row(user.userPrincipalName)).toContainText("Active");
  }
  // Account fields read-only.
  await users.row(alex.userPrincipalName).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Alex Wilber" })).toBeVisible();
  await expect(page.getByText("Account Source: SCIM")).toBeVisible();
  await expect(new UserDetailPage(page).managedNote()).toBeVisible();
  await expect(page.getByLabel("Given name")).toHaveCount(0);

  // Group memberships: Security Groups lists the group with its members.
  await navigateTo(page, "Security Groups");
  await chooseTenant(page, tenant);
  await page.getByRole("link", { name: "Cantara Analysts", exact: true }).click();
  const members = page.getByRole("region", { name: "Group members" });
  for (const user of [alex, megan, lee]) await expect(members.getByRole("link", { name: user.userPrincipalName })).toBeVisible();

  // The provisioned user signs in through Entra (before being removed).
  const admin = page;
  const person = await context.browser()!.newContext();
  const personPage = await person.newPage();
  await signInThroughTenantPage(personPage, tenant, "Sign in with Microsoft", meganAtEntra.username);
  await personPage.waitForURL(/\/me$/);
  await expect(personPage.getByRole("heading", { level: 1, name: "Megan Bowen" })).toBeVisible();
  await person.clearCookies();

  // In Entra: a name change, Megan removed from the app's assignment, Lee deleted (recycle bin).
  directory.change(alex, (u) => (u.displayName = "Alex Wilber-Smith"));
  directory.change(megan, (u) => (u.assigned = false));
  directory.change(lee, (u) => (u.softDeleted = true));
  expect((await entra.incrementalCycle()).failures).toEqual([]);

  // User updates are synced; the removed and the deleted user are deactivated and leave the group.
  await admin.reload();
  await expect(members.getByRole("link", { name: alex.userPrincipalName })).toBeVisible();
  await expect(members.getByRole("link", { name: megan.userPrincipalName })).toHaveCount(0);
  await expect(members.getByRole("link", { name: lee.userPrincipalName })).toHaveCount(0);
  await navigateTo(admin, "Users");
  await chooseTenant(admin, tenant);
  await expect(users.row(alex.userPrincipalName)).toContainText("Alex Wilber-Smith");
  await expect(users.row(alex.userPrincipalName)).toContainText("Active");
  for (const user of [megan, lee]) await expect(users.row(user.userPrincipalName)).toContainText("Inactive");
  await users.row(megan.userPrincipalName).getByRole("link").first().click();
  await expect(admin.getByText("Account Source: SCIM")).toBeVisible();
  await expect(admin.getByText("Inactive", { exact: true }).first()).toBeVisible();

  // … and the removed user can no longer sign in.
  await signInThroughTenantPage(personPage, tenant, "Sign in with Microsoft", meganAtEntra.username);
  await expect(personPage.getByRole("heading", { name: "Your account is deactivated" })).toBeVisible();
  await expect(personPage).not.toHaveURL(/\/me$/);
  await person.close();
});
