import { expect, test, type Page } from "@playwright/test";
import { EntraDirectory } from "../fixtures/entra";
import { startEntraLikeProvider, type EntraLikeProvider } from "../fixtures/oidc-provider";
import { UsersPage } from "../pages/users";
import { guideProvisioning } from "./_entra-mappings";
import { chooseTenant, configureEntraIdp, createTenantInConsole, entraAccount, generateProvisioningToken, navigateTo, signInAsAdmin, signInThroughTenantPage } from "./_support";

// ../shared/guides/004_c4c3319c6764c6b3.txt — ConfigCat: user provisioning (SCIM) with Entra ID;
// permissions are granted to synced groups. Guide step → test step:
//
// (precondition) "If you already configured your organization → the tenant gets an active Entra IdP (Identity Providers →
//   to use Entra ID as a SAML provider…"                         "+ Add Identity Provider", Test sign-in, Activate) once the
//                                                                 users are synced, so they can sign in and the permissions
//                                                                 be seen
// 1. Create an Entra ID Enterprise Application (Non-gallery)   → an EntraDirectory: the enterprise app's directory
// 2. Provisioning → New Configuration                          → an EntraProvisioningService for that app
//    Gather the SCIM URL and the Token from the Authentication → Tenants → the tenant: "Tenant URL", then "+ Generate
//      & Provisioning page                                        Provisioning Token" → Generate (shown once)
//    SCIM URL as Tenant URL, Token as Secret token → Create    → the service's Tenant URL and Secret Token; Create tests the
//                                                                 connection (Test Connection's GETs: 200, empty lists)
//    Mapping for Users: only externalId=objectId, userName=    → externalIdSource "objectId"; every other default user mapping
//      userPrincipalName, displayName, active (remove others)     removed (guideProvisioning's keep list)
//    Mapping for Groups: externalId=objectId, displayName,     → the simulator's group mappings are exactly these
//      members
// 3. Users and groups → Add user/group: select groups          → two groups assigned ("ConfigCat Users": everyone, "ConfigCat
//    ("assign permissions only to groups that are synchronized")   Admins": Alice); the users are in scope through them
// 4. Start provisioning; see each synced group and user        → the initial cycle, no failed request; Security Groups lists
//                                                                 both groups with their members, Users lists both people
// 5. Next Steps: assign permissions to the synced groups       → Security Groups → "ConfigCat Admins" → Role mapping:
//                                                                 "Console role" = "Tenant admin" → "Grant role"
// Outcome: a member of the group has its permission            → Alice signs in through Entra: Role "Tenant admin", the
//                                                                 console opens; Bob (not a member) is a "Member" only
//   …and loses it when removed from the group in Entra        → Alice removed from the group, next cycle: her next request
//                                                                 has no console, her profile shows no role
//   a user removed from the app is deactivated                 → Bob removed from his only assigned group (out of scope),
//                                                                 next cycle: Inactive on his user page, signed out

test.describe.configure({ timeout: 90_000 });

let idp: EntraLikeProvider | undefined;

test.afterAll(async () => {
  await idp?.close();
});

async function expectProfile(page: Page, name: string, role: string, groups: string[]) {
  await page.goto("/me");
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: new RegExp(`^${role}$`) })).toBeVisible();
  const list = page.getByRole("list", { name: "Groups" });
  if (groups.length) await expect(list.getByRole("listitem")).toHaveText(groups);
  else await expect(list).toHaveCount(0);
}

test("ConfigCat guide: users and groups from Entra; a synced group's permission applies and is withdrawn; a removed user is deactivated", async ({ page, browser, baseURL }) => {
  await signInAsAdmin(page);
  const tenant = await createTenantInConsole(page, "configcat");
  idp = await startEntraLikeProvider({ appOrigin: baseURL! });

  // 1. The enterprise application's directory: two people, two groups assigned to the app.
  const directory = new EntraDirectory({ seed: 4004, domain: tenant.domain });
  const alice = directory.addUser({ mailNickname: "alice", displayName: "Alice Admin", appRole: undefined });
  const bob = directory.addUser({ mailNickname: "bob", displayName: "Bob Builder", appRole: undefined });
  const everyone = directory.addGroup("ConfigCat Users");
  everyone.memberObjectIds.add(alice.objectId).add(bob.objectId);
  const admins = directory.addGroup("ConfigCat Admins");
  admins.memberObjectIds.add(alice.objectId);
  for (const user of [alice, bob]) entraAccount(idp, user);

  // 2. SCIM URL + Token from the console → Tenant URL + Secret token; Create tests the connection.
  const connection = await generateProvisioningToken(page, tenant, { name: "Entra ID (ConfigCat guide)" });
  expect(connection.tenantUrl).toBe(`${baseURL}/scim/v2/${tenant.id}`);
  const entra = guideProvisioning(directory, connection, {
    externalIdSource: "objectId",
    mappings: { keep: ["externalId", "userName", "displayName", "active"] },
  });
  expect(await entra.testConnection()).toBe(true);

  // 3–4. Start provisioning: the initial cycle.
  const initial = await entra.initialCycle();
  expect(initial.failures).toEqual([]);
  const created = entra.sent.find((r) => r.method === "POST")!.body;
  expect(Object.keys(created).sort()).toEqual(["active", "displayName", "externalId", "schemas", "userName"]);

  await navigateTo(page, "Security Groups");
  await chooseTenant(page, tenant);
  await expect(page.getByRole("link", { name: "ConfigCat Users" })).toBeVisible();
  await page.getByRole("link", { name: "ConfigCat Admins" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "ConfigCat Admins" })).toBeVisible();
  await expect(page.getByText(`externalId ${admins.objectId}`)).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: alice.userPrincipalName })).toContainText("Active");
  await expect(page.getByRole("row").filter({ hasText: bob.userPrincipalName })).toHaveCount(0);

  // 5. Permissions to the synced group: ConfigCat Admins → Tenant admin.
  await page.getByLabel("Console role").selectOption({ label: "Tenant admin" });
  await page.getByRole("button", { name: "Grant role" }).click();
  await expect(page.getByRole("button", { name: "Change role" })).toBeVisible();

  await navigateTo(page, "Users");
  await chooseTenant(page, tenant);
  const users = new UsersPage(page);
  for (const user of [alice, bob]) await expect(users.row(user.userPrincipalName)).toContainText("SCIM");

  // Precondition: Entra is the tenant's identity provider (its Test sign-in needs a provisioned user).
  await configureEntraIdp(page, tenant, idp, { buttonLabel: "Sign in with Microsoft", testUser: alice.userPrincipalName });

  // The group member signs in through Entra and holds the group's permission; Bob does not.
  const aliceContext = await browser.newContext();
  const alicePage = await aliceContext.newPage();
  await signInThroughTenantPage(alicePage, tenant, "Sign in with Microsoft", alice.userPrincipalName);
  await alicePage.waitForURL((url) => url.pathname === "/dashboard");
  await expectProfile(alicePage, "Alice Admin", "Tenant admin", ["ConfigCat Admins", "ConfigCat Users"]);

  const bobContext = await browser.newContext();
  const bobPage = await bobContext.newPage();
  await signInThroughTenantPage(bobPage, tenant, "Sign in with Microsoft", bob.userPrincipalName);
  await bobPage.waitForURL((url) => url.pathname === "/me");
  await expectProfile(bobPage, "Bob Builder", "Member", ["ConfigCat Users"]);
  await bobPage.goto("/dashboard");
  await expect(bobPage).toHaveURL(/\/me$/);

  // Removed from the group in Entra → the next cycle's member PATCH → the permission is gone at her next request.
  directory.change(admins, (g) => g.memberObjectIds.delete(alice.objectId));
  // A user assigned only through a group leaves the app's scope with it: Entra deactivates them.
  directory.change(everyone, (g) => g.memberObjectIds.delete(bob.objectId));
  directory.change(bob, (u) => (u.assigned = false));
  const incremental = await entra.incrementalCycle();
  expect(incremental.failures).toEqual([]);
  expect(entra.log.filter((r) => r.cycle === incremental.cycle && r.method === "PATCH").map((r) => r.path)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^\/Groups\//), expect.stringMatching(/^\/Users\//)]),
  );

  await alicePage.goto("/dashboard");
  await expect(alicePage).toHaveURL(/\/me$/);
  await expectProfile(alicePage, "Alice Admin", "Member", ["ConfigCat Users"]);

  await bobPage.reload();
  await expect(bobPage).toHaveURL(/\/login/);
  await users.goto(tenant.id);
  await expect(users.row(bob.userPrincipalName)).toContainText("Inactive");
  await users.row(bob.userPrincipalName).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Bob Builder" })).toBeVisible();
  await expect(page.getByText("Inactive", { exact: true }).first()).toBeVisible();
  // Entra still knows Bob (a fresh browser, so its sign-in page asks again); Gatehouse refuses him.
  await bobContext.close();
  const retry = await browser.newContext();
  const retryPage = await retry.newPage();
  await signInThroughTenantPage(retryPage, tenant, "Sign in with Microsoft", bob.userPrincipalName);
  await expect(retryPage.getByRole("heading", { name: "Your account is deactivated" })).toBeVisible();

  await retry.close();
  await aliceContext.close();
});
