import { expect, test } from "@playwright/test";
import { EntraDirectory, type DirectoryUser } from "../fixtures/entra";
import { startEntraLikeProvider, type EntraLikeProvider } from "../fixtures/oidc-provider";
import { UsersPage } from "../pages/users";
import { guideProvisioning } from "./_entra-mappings";
import { chooseTenant, configureEntraIdp, createTenantInConsole, entraAccount, generateProvisioningToken, navigateTo, signInAsAdmin, signInThroughTenantPage } from "./_support";

// ../shared/guides/003_ae80392ddaebdad5.txt — Kantega SSO: Microsoft Entra ID (Azure AD) SCIM with a
// non-gallery app, then OIDC for accounts that already exist. Guide step → test step:
//
// (before SCIM) the Atlassian accounts already exist           → Users → "+ Add user": a Local account with the UPN Entra
//                                                                 will send (the account "already exists")
// Cloud user provisioning → Add directory → Entra ID (SCIM)   → Tenants → the tenant: its "SCIM provisioning" card
// 1–2. Enterprise applications → Create your own application  → an EntraDirectory: the non-gallery app
//   (name it with the tenantId found in the SCIM setup)          (the tenant id is the last part of the "Tenant URL")
// 3. Provisioning: Manual → Automatic                         → an EntraProvisioningService
// 4. Admin credentials: tenant URL and secret; Test Connection → "Tenant URL" + "+ Generate Provisioning Token"; Test
//                                                                 Connection's GETs answer 200 with empty lists
// 5. Scope: only assigned users and groups; status Off; Save   → users assigned to the app; nothing sent yet
// 6. Attribute mappings (the table; "delete the remaining")    → only userName, active, displayName, emails, name
//   userName ← userPrincipalName; active ← Switch(IsSoftDeleted) (givenName, familyName, formatted), externalId are sent:
//   displayName ← Switch(IsPresent([displayName]) … Join())      displayName and name.formatted fall back to "given surname",
//   emails[type eq "work"].value ← Switch(IsPresent([mail]) …)   the work email to the UPN (a user without mail shows it);
//   name.formatted ← the displayName expression; externalId ←     externalId is the objectId ("does not have to be
//   objectId                                                      objectId, as long as it is unique")
// 7. Provisioning status On; assign users and groups           → the initial cycle: the new user is created (201); the one
//                                                                 whose account already exists is refused with 409
//                                                                 (USER_ALREADY_EXISTS) while linking is off
// externalId comment: "Advanced SCIM settings → User linking   → tenant setting "User linking on creation" = "Link to the
//   on creation" for 409 USER_ALREADY_EXISTS                     existing user" → Save tenant; the next cycle retries: 201
//                                                                 with the existing account's id, now "Account Source: SCIM"
// SAML/OIDC later, with the SCIM app, "accounts already exist" → Identity Providers → "+ Add Identity Provider" (OIDC),
//                                                                 Test sign-in, Activate; the linked user signs in through
//                                                                 Entra into the account that already existed

test.describe.configure({ timeout: 90_000 });

let idp: EntraLikeProvider | undefined;

test.afterAll(async () => {
  await idp?.close();
});

const fullName = (user: DirectoryUser) => (user.displayName ? user.displayName : [user.givenName, user.surname].join(" "));

test("Kantega guide: the guide's mappings; 409 for an account that already exists, linked with user linking on creation; OIDC sign-in", async ({ page, browser, baseURL }) => {
  await signInAsAdmin(page);
  const tenant = await createTenantInConsole(page, "kantega");
  idp = await startEntraLikeProvider({ appOrigin: baseURL! });

  const directory = new EntraDirectory({ seed: 3003, domain: tenant.domain });
  const existing = directory.addUser({ mailNickname: "ingrid.berg", givenName: "Ingrid", surname: "Berg", displayName: "Ingrid Berg", appRole: undefined });
  // No Outlook licence (no mail) and no displayName: the guide's expressions fill both.
  const newcomer = directory.addUser({ mailNickname: "ola.nordmann", givenName: "Ola", surname: "Nordmann", displayName: "", mail: "", appRole: undefined });
  for (const user of [existing, newcomer]) entraAccount(idp, user);

  // The account that already exists: a Local user with the UPN Entra will send.
  await navigateTo(page, "Users");
  await chooseTenant(page, tenant);
  await page.getByRole("link", { name: "+ Add user" }).click();
  await page.getByLabel("User name").fill(existing.userPrincipalName);
  await page.getByLabel("Given name").fill("Ingrid");
  await page.getByLabel("Family name").fill("Berg");
  await page.getByRole("radio", { name: /^SSO/ }).check();
  await page.getByRole("button", { name: "Create user" }).click();
  await page.waitForURL(/\/users\/[0-9a-f-]{36}$/);
  const existingUrl = page.url();
  await expect(page.getByText("Account Source: Local")).toBeVisible();

  // 4. Admin credentials, Test Connection; the setting starts at its default.
  const connection = await generateProvisioningToken(page, tenant, { name: "Kantega SSO SCIM" });
  expect(connection.tenantUrl.endsWith(`/${tenant.id}`)).toBe(true);
  await page.goto(`/tenants/${tenant.id}/settings`);
  await expect(page.getByLabel("User linking on creation")).toHaveValue("conflict");
  const entra = guideProvisioning(directory, connection, {
    externalIdSource: "objectId",
    mappings: {
      keep: ["userName", "active", "displayName", "emails", "name", "externalId"],
      values: (user) => ({
        displayName: fullName(user),
        'emails[type eq "work"].value': user.mail || user.userPrincipalName,
        "name.formatted": fullName(user),
      }),
    },
  });
  expect(await entra.testConnection()).toBe(true);

  // 7. Status On: the initial cycle. The new user is created; the existing account answers 409.
  const initial = await entra.initialCycle();
  const created = entra.sent.find((r) => r.method === "POST" && r.body.userName === newcomer.userPrincipalName)!.body;
  expect(Object.keys(created).sort()).toEqual(["active", "displayName", "emails", "externalId", "name", "schemas", "userName"]);
  expect(created).toMatchObject({ externalId: newcomer.objectId, displayName: "Ola Nordmann", emails: [{ type: "work", value: newcomer.userPrincipalName }] });
  expect(initial.failures).toEqual([expect.objectContaining({ method: "POST", path: "/Users", status: 409, response: expect.stringContaining('"scimType":"uniqueness"') })]);
  expect(initial.failures[0].request).toMatchObject({ userName: existing.userPrincipalName });
  await page.goto(existingUrl);
  await expect(page.getByText("Account Source: Local")).toBeVisible();

  // Advanced SCIM settings → User linking on creation.
  await page.goto(`/tenants/${tenant.id}/settings`);
  await page.getByLabel("User linking on creation").selectOption({ label: "Link to the existing user" });
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Tenant saved").first()).toBeVisible();

  // The next cycle retries the escrowed user: linked to the account that already existed.
  const retry = await entra.incrementalCycle();
  expect(retry.failures).toEqual([]);
  const linked = entra.log.find((r) => r.cycle === retry.cycle && r.method === "POST" && r.status === 201);
  expect(linked).toBeDefined();
  expect(entra.userLinks.get(existing.objectId)?.targetId).toBe(existingUrl.split("/").pop());
  await page.goto(existingUrl);
  await expect(page.getByText("Account Source: SCIM")).toBeVisible();
  await expect(page.getByRole("term").filter({ hasText: /^External ID$/ }).locator("xpath=following-sibling::dd[1]")).toHaveText(existing.objectId);

  const users = new UsersPage(page);
  await users.goto(tenant.id);
  await users.row(newcomer.userPrincipalName).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Ola Nordmann" })).toBeVisible();
  await expect(page.getByRole("term").filter({ hasText: /^Emails$/ }).locator("xpath=following-sibling::dd[1]")).toContainText(newcomer.userPrincipalName);

  // OIDC with the SCIM app, "accounts already exist": the linked user signs in to their account.
  await configureEntraIdp(page, tenant, idp, { buttonLabel: "Sign in with Microsoft", testUser: existing.userPrincipalName });
  const person = await browser.newContext();
  const personPage = await person.newPage();
  await signInThroughTenantPage(personPage, tenant, "Sign in with Microsoft", existing.userPrincipalName);
  await personPage.waitForURL((url) => url.pathname === "/me");
  await expect(personPage.getByRole("heading", { level: 1, name: "Ingrid Berg" })).toBeVisible();
  await person.close();
  await page.goto(existingUrl);
  await expect(page.getByRole("heading", { name: "Single sign-on binding" }).locator("xpath=../..")).toContainText(existing.objectId);
});
