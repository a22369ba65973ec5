import { expect, test } from "@playwright/test";
import { EntraDirectory } from "../fixtures/entra";
import { startEntraLikeProvider, type EntraLikeProvider } from "../fixtures/oidc-provider";
import { IdpDetailPage, IdpFormPage } from "../pages/identity-providers";
import { UsersPage } from "../pages/users";
import {
  ACTIVATE_CONFIRMATION,
  chooseTenant,
  createTenantInConsole,
  entraAccount,
  entraProvisioning,
  generateProvisioningToken,
  navigateTo,
  runTestSignIn,
  signInAsAdmin,
  signInThroughTenantPage,
} from "./_support";

// ../shared/guides/000_7112ed165e837f63.txt — Cantara: Microsoft Entra ID as OAuth 2.0 identity
// provider, then (optional) SCIM provisioning. Guide step → test step:
//
// Before you begin (admin access to the console)    → sign in as the seeded admin; a tenant via Tenants → New tenant
// Step 1 Register an application: Redirect URI      → Identity Providers → "+ Add Identity Provider": the Redirect URL is
//   "provided by Cantara"                               read before anything is saved; the fake Entra records the redirect_uri
//   Client ID / Client Secret (+ New client secret)   → the fake Entra's app registration (clientId, clientSecret)
// Step 1 (optional) restrict to assigned users      → the directory user is assigned to the app
// Step 2 navigate to Identity Providers             → sidebar "Identity Providers", the tenant, "+ Add Identity Provider"
//   Select OAuth2 as the Identity Provider Type      → "Identity Provider Type" = "OAuth2"
//   Enter a name and description                     → "Name", "Description"
//   Required OAuth 2.0 fields                        → "Authentication Method" (default), "Client ID", "Client Secret",
//                                                       "Authentication URL", "Access Token URL", "Redirect URL" (shown),
//                                                       "JSON Web Key Set URL", "Username Attribute"
//   Additional OAuth 2.0 fields                      → "Issuer URI", "Secure JWKS URL" (off: the fake serves http),
//                                                       "Provider Display Name"; "User Info URL" left empty (optional:
//                                                       the claims then come from the ID token)
//   Click Save Identity Provider → "Identity Provider saved"
//   (console, issue 16 item 7: Test sign-in first)   → "Test sign-in" in a new tab as the Entra user: the configuration
//                                                       passes, with "No user matches yet" (SCIM comes in Step 3)
//   Click Activate → the guide's question → Yes      → "Activate" → the guide's question → "Yes"
// Step 3 Enterprise application, Provisioning       → EntraDirectory + EntraProvisioningService with Entra's DEFAULT
//                                                       non-gallery mappings (mailNickname → externalId)
//   Tenant URL (last part is your Tenant ID)         → the tenant page's "Tenant URL", ending in the tenant's id
//   Token/Secret: in Cantara go to your tenant and   → Tenants → tenant → "+ Generate Provisioning Token" → Generate
//     generate a new token
//   Click Test Connection                            → the simulator's Test Connection GETs answer 200 + empty lists
//   Assign a Group; Attribute Mappings (defaults);   → a security group with the user, assigned; scope "Sync only
//     Scope "Sync only assigned users and groups"      assigned" (an unassigned user stays out)
//   Start Provisioning                               → the initial cycle, no failed request
//   Verify Group in Cantara: Security Groups         → sidebar "Security Groups": the group, its member
//   What to Expect: Account Source SCIM              → Users: the user's row says SCIM, Active
// Outcome: users log in with SSO through Entra       → the tenant's sign-in page → "Sign in with Microsoft" → /me as
//                                                       the provisioned user, bound although externalId is no oid

test.describe.configure({ timeout: 90_000 });

let idp: EntraLikeProvider | undefined;

test.afterAll(async () => {
  await idp?.close();
});

test("Cantara guide: Entra as OAuth2 IdP, then SCIM under the default mapping; the provisioned user signs in", async ({ page, baseURL }) => {
  idp = await startEntraLikeProvider({ appOrigin: baseURL! });
  await signInAsAdmin(page);
  const tenant = await createTenantInConsole(page, "cantara");

  // The Entra tenant: one user assigned to the app through a group, one not assigned.
  const directory = new EntraDirectory({ seed: Date.now() % 2 ** 31, domain: tenant.domain });
  const megan = directory.addUser({ mailNickname: "megan.bowen", displayName: "Megan Bowen" });
  const outsider = directory.addUser({ mailNickname: "lee.gu", displayName: "Lee Gu", assigned: false });
  const group = directory.addGroup("Cantara Users");
  group.memberObjectIds.add(megan.objectId);
  const meganAtEntra = entraAccount(idp, megan);

  // Step 2: In Cantara, navigate to Identity Providers; Click + Add Identity Provider.
  await navigateTo(page, "Identity Providers");
  await chooseTenant(page, tenant);
  await page.getByRole("link", { name: "+ Add Identity Provider" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Add Identity Provider" })).toBeVisible();
  const form = new IdpFormPage(page);

  // Step 1: the Redirect URI Cantara provides, copied into the app registration before the form is filled.
  const redirectUri = await form.redirectUrl().inputValue();
  expect(redirectUri).toMatch(new RegExp(`^${baseURL}/api/auth/callback/idp-[0-9a-f-]{36}$`));
  await expect(page.getByRole("button", { name: /Copy Redirect URL/ })).toBeVisible();

  // Select OAuth2 as the Identity Provider Type; enter a name and description.
  await form.typeSelect().selectOption({ label: "OAuth2" });
  await form.field("Name").fill("Microsoft Entra ID");
  await form.field("Description").fill("Contoso workforce directory");

  // Required OAuth 2.0 fields.
  await expect(form.field("Authentication Method")).toHaveValue("client_secret_post");
  await form.field("Client ID").fill(idp.clientId);
  await page.getByLabel("Client Secret").fill(idp.clientSecret);
  await form.field("Authentication URL").fill(idp.authorizationUrl);
  await form.field("Access Token URL").fill(idp.tokenUrl);
  await expect(form.redirectUrl()).toHaveValue(redirectUri);
  await form.field("JSON Web Key Set URL").fill(idp.jwksUrl);
  await expect(form.field("Username Attribute")).toHaveValue("preferred_username");

  // Additional OAuth 2.0 fields, as this (local) Entra needs them.
  await form.field("Issuer URI").fill(idp.issuer);
  await expect(form.field("User Info URL")).toHaveValue("");
  await page.getByRole("switch", { name: "Secure JWKS URL" }).click();
  await expect(page.getByRole("switch", { name: "Secure JWKS URL" })).toHaveAttribute("aria-checked", "false");
  await expect(form.field("Scopes (spaces or comma separated)")).toHaveValue(/openid/);
  await form.field("Provider Display Name").fill("Sign in with Microsoft");
  await expect(page.getByRole("switch", { name: "PKCE Enabled" })).toHaveAttribute("aria-checked", "true");

  // Click Save Identity Provider → "Identity Provider saved".
  const idpId = await form.save();
  expect(redirectUri).toBe(`${baseURL}/api/auth/callback/idp-${idpId}`);
  const detail = new IdpDetailPage(page);
  await expect(detail.heading()).toContainText("Microsoft Entra ID");
  await expect(page.getByText("OAuth2 ·")).toBeVisible();

  // The console's Test sign-in: Entra's claims arrive through the OAuth2 configuration (from
  // the ID token: no User Info URL). Megan is provisioned only in Step 3, so the test passes
  // with "No user matches yet"…
  await runTestSignIn(page, meganAtEntra.username, "not provisioned");
  expect(idp.redirectUris.at(-1)).toBe(redirectUri);

  // …and Click Activate asks the guide's question; Yes.
  await detail.activate(ACTIVATE_CONFIRMATION);
  await expect(page.getByText("Identity Provider activated").first()).toBeVisible();
  await expect(detail.heading()).toContainText("Active");

  // Step 3: the Tenant URL and a provisioning token from the tenant's page.
  const connection = await generateProvisioningToken(page, tenant);
  expect(connection.tenantUrl).toBe(`${baseURL}/scim/v2/${tenant.id}`);
  const entra = entraProvisioning(directory, connection);

  // Click Test Connection; then Start Provisioning (assigned users and groups, default mappings).
  expect(await entra.testConnection()).toBe(true);
  const initial = await entra.initialCycle();
  expect(initial.failures).toEqual([]);
  expect(entra.log.find((r) => r.method === "POST" && r.path === "/Users")?.body).toMatchObject({ userName: megan.userPrincipalName, externalId: "megan.bowen" });

  // Verify Group in Cantara: navigate to Security Groups — the group, with its member.
  await navigateTo(page, "Security Groups");
  await chooseTenant(page, tenant);
  await page.getByRole("link", { name: "Cantara Users", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Cantara Users" })).toBeVisible();
  await expect(page.getByText("Source: SCIM")).toBeVisible();
  const member = page.getByRole("region", { name: "Group members" }).getByRole("row").filter({ hasText: megan.userPrincipalName });
  await expect(member).toContainText("Active");

  // What to Expect: Account Source SCIM; only assigned users are provisioned.
  await navigateTo(page, "Users");
  await chooseTenant(page, tenant);
  const users = new UsersPage(page);
  await expect(users.row(megan.userPrincipalName)).toContainText("SCIM");
  await expect(users.row(outsider.userPrincipalName)).toHaveCount(0);

  // Outcome: the provisioned user signs in to the tenant through Entra.
  await page.context().clearCookies();
  await signInThroughTenantPage(page, tenant, "Sign in with Microsoft", meganAtEntra.username);
  await page.waitForURL(/\/me$/);
  await expect(page.getByRole("heading", { level: 1, name: "Megan Bowen" })).toBeVisible();
  await expect(page.getByText(megan.userPrincipalName).first()).toBeVisible();
  await expect(page.getByText(tenant.name)).toBeVisible();
});
