import { randomUUID } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { e2eAdmin } from "../fixtures/admin";
import { EntraProvisioningService, type DirectoryUser, type EntraDirectory, type ExternalIdSource } from "../fixtures/entra";
import type { EntraLikeProvider } from "../fixtures/oidc-provider";
import { IdpDetailPage, IdpFormPage } from "../pages/identity-providers";
import { LoginPage } from "../pages/login";
import { TenantDetailPage, TenantsPage } from "../pages/tenants";

// Steps the admin guides in ../shared/guides/ share, done through the console as an admin
// would (sidebar, buttons, labels) and, for the Entra side, through the fakes in e2e/fixtures/:
// the Entra-like OpenID provider for sign-in and the provisioning simulator for SCIM.

export type GuideTenant = { id: string; name: string; slug: string; domain: string };

export const ACTIVATE_CONFIRMATION =
  "Are you sure you want to activate the selected identity provider? Incorrect configuration may prevent administration console access.";

export async function signInAsAdmin(page: Page) {
  await new LoginPage(page).signIn(e2eAdmin);
}

/** Opens a console page from the sidebar: "Tenants", "Identity Providers", "Users", "Security Groups"… */
export async function navigateTo(page: Page, label: string) {
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: label, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
}

/** A fresh tenant through Tenants → New tenant (the guides assume one exists). */
export async function createTenantInConsole(page: Page, prefix: string): Promise<GuideTenant> {
  const slug = `${prefix}-${randomUUID().slice(0, 8)}`;
  const tenant = { name: `${prefix} ${slug.slice(-8)}`, slug, domain: `${slug}.test` };
  await navigateTo(page, "Tenants");
  const id = await new TenantsPage(page).create({ name: tenant.name, slug, domains: tenant.domain });
  return { id, ...tenant };
}

/** Picks a tenant in a list page's "Tenant" search box (Identity Providers, Users, Security Groups). */
export async function chooseTenant(page: Page, tenant: GuideTenant) {
  const filter = page.getByRole("combobox", { name: "Tenant", exact: true });
  // A list page opens on the newest tenant: picking the tenant already shown changes nothing.
  if ((await filter.inputValue()) === tenant.name) return;
  await filter.fill(tenant.slug);
  await page.getByRole("option", { name: tenant.name }).click();
  await page.waitForURL((url) => url.searchParams.get("tenantId") === tenant.id);
}

/**
 * Tenants → the tenant → Provisioning Tokens → "+ Generate Provisioning Token" → Generate: the
 * token shown once, and the Tenant URL the same page shows for Entra.
 */
export async function generateProvisioningToken(page: Page, tenant: GuideTenant, options: { name?: string } = {}) {
  await navigateTo(page, "Tenants");
  await page.getByRole("link", { name: tenant.name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: tenant.name })).toBeVisible();
  const tenantUrl = await page.getByRole("textbox", { name: "Tenant URL" }).inputValue();
  const detail = new TenantDetailPage(page);
  await expect(page.getByRole("heading", { name: "Provisioning Tokens" })).toBeVisible();
  await detail.generateButton().click();
  const dialog = detail.tokenDialog();
  if (options.name) await dialog.getByLabel("Name").fill(options.name);
  await dialog.getByRole("button", { name: "Generate", exact: true }).click();
  const token = await dialog.getByRole("textbox", { name: "New provisioning token" }).inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  return { tenantUrl, token };
}

/** Entra's provisioning service of the enterprise app: Tenant URL + Secret Token, default mappings unless told. */
export function entraProvisioning(
  directory: EntraDirectory,
  connection: { tenantUrl: string; token: string },
  options: { externalIdSource?: ExternalIdSource; scimCompliant?: boolean } = {},
) {
  return new EntraProvisioningService(directory, {
    baseUrl: connection.tenantUrl,
    token: connection.token,
    fetch,
    scimCompliant: options.scimCompliant ?? false,
    externalIdSource: options.externalIdSource ?? "mailNickname",
  });
}

/** The directory user's account at the fake Entra OpenID provider: the same UPN and object id. */
export function entraAccount(idp: EntraLikeProvider, user: DirectoryUser) {
  return idp.addUser({ username: user.userPrincipalName, name: user.displayName, oid: user.objectId });
}

/** Microsoft's sign-in page (the fake's): the username, then Next. */
export async function signInAtEntra(page: Page, username: string) {
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Email, phone, or Skype").fill(username);
  await page.getByRole("button", { name: "Next" }).click();
}

/** The tenant's sign-in page → the provider's button → Entra. */
export async function signInThroughTenantPage(page: Page, tenant: GuideTenant, buttonLabel: string, username: string) {
  await page.goto(`/t/${tenant.slug}/login`);
  await page.getByRole("button", { name: buttonLabel }).click();
  await signInAtEntra(page, username);
}

/**
 * "Test sign-in" on the provider's page: a new tab runs a real sign-in as `username`; back on
 * the provider's page the last test reads "succeeded" without a reload. A person not
 * provisioned yet (the guides set the IdP up before SCIM) still passes — the configuration
 * works — with the warning that no user matches yet and the claims Entra sent.
 */
export async function runTestSignIn(page: Page, username: string, expected: "succeeded" | "not provisioned" = "succeeded") {
  const popupOpened = page.waitForEvent("popup");
  await page.getByRole("link", { name: "Test sign-in" }).click();
  const popup = await popupOpened;
  await signInAtEntra(popup, username);
  await expect(popup.getByRole("heading", { name: "Test sign-in succeeded" })).toBeVisible();
  if (expected === "not provisioned") {
    await expect(popup.getByRole("heading", { name: "No user matches yet" })).toBeVisible();
    await expect(popup.getByText("No Gatehouse user matches these claims.")).toBeVisible();
    await expect(popup.getByRole("cell", { name: username, exact: true })).toBeVisible();
  } else {
    await expect(popup.getByRole("heading", { name: "No user matches yet" })).toHaveCount(0);
  }
  await popup.close();
  await expect(page.getByText(/— succeeded/)).toBeVisible();
}

/**
 * For guides that start with "an IdP is configured for your tenant": Identity Providers →
 * "+ Add Identity Provider" → Import from discovery → secret → Save → Test sign-in → Activate
 * (the guide's question, after a passing test — also when the tester is not provisioned yet). Returns the provider's id.
 */
export async function configureEntraIdp(
  page: Page,
  tenant: GuideTenant,
  idp: EntraLikeProvider,
  options: { buttonLabel: string; testUser: string; testUserProvisioned?: boolean },
) {
  await navigateTo(page, "Identity Providers");
  await chooseTenant(page, tenant);
  await page.getByRole("link", { name: "+ Add Identity Provider" }).click();
  const idpId = await new IdpFormPage(page).saveFromDiscovery(idp, { name: "Microsoft Entra ID", buttonLabel: options.buttonLabel });
  await runTestSignIn(page, options.testUser, options.testUserProvisioned === false ? "not provisioned" : "succeeded");
  await new IdpDetailPage(page).activate(ACTIVATE_CONFIRMATION);
  await expect(page.getByText("Identity Provider activated").first()).toBeVisible();
  return idpId;
}
