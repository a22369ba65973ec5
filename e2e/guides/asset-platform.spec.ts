import { expect, test } from "@playwright/test";
import { EntraDirectory, type DirectoryUser } from "../fixtures/entra";
import { startEntraLikeProvider, type EntraLikeProvider } from "../fixtures/oidc-provider";
import { IdpDetailPage, IdpFormPage } from "../pages/identity-providers";
import { UsersPage } from "../pages/users";
import { guideProvisioning } from "./_entra-mappings";
import {
  ACTIVATE_CONFIRMATION,
  chooseTenant,
  createTenantInConsole,
  entraAccount,
  generateProvisioningToken,
  navigateTo,
  runTestSignIn,
  signInAsAdmin,
  signInThroughTenantPage,
} from "./_support";

// ../shared/guides/002_fa0d38b837b601ad.txt — an asset platform: SCIM 2.0 provisioning and OpenID
// Connect sign-in via Azure AD (Entra ID). Guide step → test step:
//
// Prerequisites 1–2: Integrations → Add Connector (Azure AD)     → Tenants → New tenant: the tenant Entra connects to
// Prerequisites 3: note SCIM URL, User Name/Password, OpenID     → the tenant page's "Tenant URL", a token from "+ Generate
//   Connect Login Redirect URI                                      Provisioning Token"; the IdP form's "Redirect URL"
// Create an Application in Azure (non-gallery)                  → an EntraDirectory + EntraProvisioningService, default mappings
// Provision Application Users 1–2: Provisioning Mode Automatic;  → the service's Tenant URL / Secret Token; Test Connection's
//   Tenant URL + Secret Token; Test Connection; Save                GETs answer 200 with empty lists
// 3. Users and Groups → Add users                               → two users (and "Sales and Marketing") assigned to the app
// 4. Scope "Sync only assigned users and groups", Status On     → the initial cycle, no failed request
//   "see the users and groups appearing … Users & Groups"       → Users lists both as SCIM; Security Groups the group, 2 members
// Configuring SSO 1–2: App registrations → the app: Client ID,  → the fake Entra's app registration; Directory (tenant) ID →
//   Directory (tenant) ID → Authority/Issuer                        Identity Providers → "+ Add Identity Provider" → "Import"
//                                                                   from the directory's issuer → "Issuer URI"
// Authentication: Web platform Redirect URI from the connector  → "Redirect URL" read before Save; Entra used exactly that one
// Certificates and Secrets: the secret's Value                  → "Client Secret"
// API Permissions: Microsoft Graph User.Read (delegated)        → nothing to enter in the console (Entra side only)
// Setup Attribute Mapping: First Name, Last Name, Email         → Entra's defaults: name.givenName, name.familyName, emails work
// userType: Direct, Company Name, default Premium/Standard      → added mapping companyName → userType (default "Standard");
//                                                                  the user page's "User type"
// Groups: "Provision Azure Active Directory Groups"             → the simulator's group mappings (displayName, members)
// Folders: attribute urn:…:2.0:CustomExtensionName:folders,    → added mapping Split([jobTitle], ",") → that attribute: the
//   string, multi-valued; Expression Split([SourceAttribute],",")   user page's "Extension: CustomExtensionName" lists each folder;
//                                                                  a jobTitle change in Entra changes the folders
// Website access: Role ReadOnly/User/Admin/EnterpriseAdmin      → app roles: "User" = app login only (profile, no console);
//                                                                  "ReadOnly" = web portal access (the console, read-only)
// Metadata: urn:…:2.0:Metadata:{{MetadataKey}}, Direct          → added mapping extensionAttribute1 → …:Metadata:CostCentre:
//                                                                  the user page's "Extension: Metadata"
// Toggle User Authentication Method: Login Method dropdown      → for a guest not in Azure AD (a Local user added in the
//                                                                  console): "Login method" = "Built-in password" + a password
//                                                                  → the guest signs in with it on the tenant page; a user
//                                                                  Entra provisions has no such choice (it would skip MFA)
// Features: "Authenticate users when they log in"               → a provisioned user signs in through Entra (OpenID Connect)
// Features: "Deactivating the user … will deactivate the user"  → the user soft-deleted in Entra, next cycle: Inactive on the
//                                                                  user page, the user's session is gone

// The longest guide (four sign-ins, three provisioning cycles): more than the other guides on a busy machine.
test.describe.configure({ timeout: 150_000 });

const FOLDERS = "urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName:folders";
const COST_CENTRE = "urn:ietf:params:scim:schemas:extension:2.0:Metadata:CostCentre";

let idp: EntraLikeProvider | undefined;

test.afterAll(async () => {
  await idp?.close();
});

test("asset platform guide: SCIM with userType, roles, folders and metadata, then OpenID Connect; login method; deactivation", async ({ page, browser, baseURL }) => {
  await signInAsAdmin(page);
  const tenant = await createTenantInConsole(page, "assets");
  idp = await startEntraLikeProvider({ appOrigin: baseURL! });

  // The Entra directory, with the source attributes the guide maps (the simulator models jobTitle;
  // companyName and extensionAttribute1 are kept beside it).
  const directory = new EntraDirectory({ seed: 2002, domain: tenant.domain });
  const pat = directory.addUser({ mailNickname: "pat.kim", displayName: "Pat Kim", appRole: "User", jobTitle: "Folder 1, Folder 2" });
  const rory = directory.addUser({ mailNickname: "rory.lee", displayName: "Rory Lee", appRole: "ReadOnly", jobTitle: "Folder 1" });
  const companyName = new Map([[pat.objectId, "Premium"]]);
  const extensionAttribute1 = new Map([[pat.objectId, "CC-4410"]]);
  directory.addGroup("Sales and Marketing").memberObjectIds.add(pat.objectId).add(rory.objectId);
  for (const user of [pat, rory]) entraAccount(idp, user);
  const guideMappings = (user: DirectoryUser) => ({
    userType: companyName.get(user.objectId) ?? "Standard",
    // Split([jobTitle], ","): Entra splits on the comma and keeps the spaces.
    [FOLDERS]: user.jobTitle.split(","),
    [COST_CENTRE]: extensionAttribute1.get(user.objectId),
  });

  // Prerequisite 3 / Provision Application Users 2: the SCIM URL and the token, Test Connection.
  const connection = await generateProvisioningToken(page, tenant, { name: "Azure Connector" });
  const entra = guideProvisioning(directory, connection, { externalIdSource: "mailNickname", mappings: { values: guideMappings } });
  expect(await entra.testConnection()).toBe(true);

  // 3–4. Assigned users and groups, Status On: the initial cycle.
  expect((await entra.initialCycle()).failures).toEqual([]);
  const patCreated = entra.sent.find((r) => r.method === "POST" && r.body.userName === pat.userPrincipalName)!.body;
  expect(patCreated).toMatchObject({
    userType: "Premium",
    "urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName": { folders: ["Folder 1", " Folder 2"] },
    "urn:ietf:params:scim:schemas:extension:2.0:Metadata": { CostCentre: "CC-4410" },
    roles: [{ primary: "True", type: "WindowsAzureActiveDirectoryRole", value: "User" }],
  });

  await navigateTo(page, "Users");
  await chooseTenant(page, tenant);
  const users = new UsersPage(page);
  for (const user of [pat, rory]) await expect(users.row(user.userPrincipalName)).toContainText("SCIM");
  await navigateTo(page, "Security Groups");
  await chooseTenant(page, tenant);
  await expect(page.getByRole("row").filter({ hasText: "Sales and Marketing" })).toContainText("2");

  // The user page shows what each added mapping delivered.
  await users.goto(tenant.id);
  await users.row(pat.userPrincipalName).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Pat Kim" })).toBeVisible();
  const patUrl = page.url();
  const definition = (label: string) => page.getByRole("term").filter({ hasText: new RegExp(`^${label}$`) }).locator("xpath=following-sibling::dd[1]");
  await expect(definition("User type")).toHaveText("Premium");
  await expect(definition("Roles")).toContainText("User");
  await expect(page.getByRole("heading", { name: "Extension: CustomExtensionName" })).toBeVisible();
  await expect(definition("folders").getByText(/Folder \d/)).toHaveText(["Folder 1", "Folder 2"]);
  await expect(page.getByRole("heading", { name: "Extension: Metadata" })).toBeVisible();
  await expect(definition("CostCentre")).toHaveText("CC-4410");

  // Configuring Single Sign-On: the Redirect URI first, then the app registration's values.
  await navigateTo(page, "Identity Providers");
  await chooseTenant(page, tenant);
  await page.getByRole("link", { name: "+ Add Identity Provider" }).click();
  const form = new IdpFormPage(page);
  const redirectUri = await form.redirectUrl().inputValue();
  await form.importFromDiscovery(idp.issuer);
  await expect(form.field("Issuer URI")).toHaveValue(idp.issuer);
  await form.field("Name").fill("Azure Connector");
  await form.field("Client ID").fill(idp.clientId);
  await page.getByLabel("Client Secret").fill(idp.clientSecret);
  await form.field("Provider Display Name").fill("Sign in with Azure AD");
  // The fake Entra serves its keys over plain http on this machine.
  await page.getByRole("switch", { name: "Secure JWKS URL" }).click();
  await form.save();
  await runTestSignIn(page, pat.userPrincipalName);
  await new IdpDetailPage(page).activate(ACTIVATE_CONFIRMATION);
  expect(idp.redirectUris.at(-1)).toBe(redirectUri);

  // "Authenticate users when they log in": Role User is app login only; ReadOnly opens the web portal.
  const patContext = await browser.newContext();
  const patPage = await patContext.newPage();
  await signInThroughTenantPage(patPage, tenant, "Sign in with Azure AD", pat.userPrincipalName);
  await patPage.waitForURL((url) => url.pathname === "/me");
  await expect(patPage.getByRole("heading", { level: 1, name: "Pat Kim" })).toBeVisible();
  await expect(patPage.getByRole("definition").filter({ hasText: /^Member$/ })).toBeVisible();
  const roryContext = await browser.newContext();
  const roryPage = await roryContext.newPage();
  await signInThroughTenantPage(roryPage, tenant, "Sign in with Azure AD", rory.userPrincipalName);
  await roryPage.waitForURL((url) => url.pathname === "/dashboard");
  await roryContext.close();

  // A changed source attribute flows on the next cycle: the folders follow jobTitle.
  directory.change(pat, (u) => (u.jobTitle = "Folder 1, Folder 3"));
  expect((await entra.incrementalCycle()).failures).toEqual([]);
  await page.goto(patUrl);
  await expect(definition("folders").getByText(/Folder \d/)).toHaveText(["Folder 1", "Folder 3"]);

  // Toggle User Authentication Method: "for temporary or external users that are not registered
  // in Azure AD". A user Entra provisions keeps signing in through Entra (no password can skip its
  // MFA): Rory's page offers no login method…
  await users.goto(tenant.id);
  await users.row(rory.userPrincipalName).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Rory Lee" })).toBeVisible();
  await expect(page.getByRole("radio", { name: /Built-in password/ })).toHaveCount(0);
  // …while a guest who is not in Azure AD, added in the console, gets the built-in one.
  const guestUserName = `guest.contractor@${tenant.slug}.example`;
  await users.goto(tenant.id);
  await page.getByRole("link", { name: "+ Add user" }).click();
  await page.getByLabel("User name").fill(guestUserName);
  await page.getByLabel("Display name").fill("Guest Contractor");
  // "all users will be authenticated externally unless disabled": created on SSO, then toggled.
  await page.getByRole("radio", { name: /^SSO/ }).check();
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Guest Contractor" })).toBeVisible();
  await page.getByRole("radio", { name: /Built-in password/ }).check();
  const password = "built-in-password-for-the-guest";
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Save login method" }).click();
  await expect(page.getByText("Password set").first()).toBeVisible();
  await page.reload();
  await expect(definition("Login method")).toHaveText("Built-in password");
  const guest = await browser.newContext();
  const guestPage = await guest.newPage();
  await guestPage.goto(`/t/${tenant.slug}/login`);
  await guestPage.getByLabel("Email").fill(guestUserName);
  await guestPage.getByLabel("Password").fill(password);
  await guestPage.getByRole("button", { name: "Sign in", exact: true }).click();
  await guestPage.waitForURL((url) => url.pathname === "/me");
  await expect(guestPage.getByRole("heading", { name: "Guest Contractor" })).toBeVisible();
  await guest.close();

  // Deactivating the user in Azure AD deactivates them here and ends their session.
  directory.change(pat, (u) => (u.softDeleted = true));
  expect((await entra.incrementalCycle()).failures).toEqual([]);
  await page.goto(patUrl);
  await expect(page.getByText("Inactive", { exact: true }).first()).toBeVisible();
  await patPage.reload();
  await expect(patPage).toHaveURL(/\/login/);
  await patContext.close();
});
