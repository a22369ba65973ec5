import { expect, test } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";
import { startEntraLikeProvider, type EntraLikeProvider } from "./fixtures/oidc-provider";
import { seedingAvailable } from "./fixtures/oidc-provider-seed";
import { scimFixture } from "./fixtures/scim-tenant";
import { LoginPage } from "./pages/login";
import { IdpDetailPage, IdpFormPage } from "./pages/identity-providers";

// The admin's whole journey: the Entra-like provider is configured through the console's
// discovery import (no database seeding), the person is provisioned through SCIM, and then
// signs in through the tenant's login page.
test.skip(!seedingAvailable(), "needs the PostgreSQL e2e server: set TEST_DATABASE_URL");

let idp: EntraLikeProvider;

test.afterAll(async () => {
  await idp?.close();
});

test("an IdP configured through discovery import signs in a SCIM-provisioned user", async ({ page, request, baseURL }) => {
  idp = await startEntraLikeProvider({ appOrigin: baseURL! });
  const { tenantId, token } = scimFixture();
  const person = idp.addUser({ username: `grace.${Date.now()}@entra-replay.test`, name: "Grace Hopper" });
  const provisioned = await request.post(`/scim/v2/${tenantId}/Users`, {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    data: {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: person.username,
      externalId: person.oid,
      displayName: "Grace Hopper",
      emails: [{ type: "work", primary: true, value: person.email }],
    },
  });
  expect(provisioned.status()).toBe(201);

  await new LoginPage(page).signIn(e2eAdmin);
  await page.goto(`/identity-providers/new?tenantId=${tenantId}`);
  const form = new IdpFormPage(page);
  await form.importFromDiscovery(idp.discoveryUrl);
  await expect(form.field("Authentication URL")).toHaveValue(idp.authorizationUrl);
  await expect(form.field("Access Token URL")).toHaveValue(idp.tokenUrl);
  await expect(form.field("JSON Web Key Set URL")).toHaveValue(idp.jwksUrl);
  await expect(form.field("Issuer URI")).toHaveValue(idp.issuer);
  await form.field("Name").fill("Contoso Entra ID");
  await form.field("Client ID").fill(idp.clientId);
  await page.getByLabel("Client Secret").fill(idp.clientSecret);
  await form.field("Provider Display Name").fill("Sign in with Microsoft");
  // The test provider serves its keys over plain http on this machine.
  await page.getByRole("switch", { name: "Secure JWKS URL" }).click();
  await expect(page.getByRole("switch", { name: "Secure JWKS URL" })).toHaveAttribute("aria-checked", "false");
  const shownBeforeSave = await form.redirectUrl().inputValue();
  const idpId = await form.save();
  expect(shownBeforeSave).toBe(`${baseURL}/api/auth/callback/idp-${idpId}`);
  await expect(page.getByRole("textbox", { name: "Redirect URL" })).toHaveValue(`${baseURL}/api/auth/callback/idp-${idpId}`);
  // A passing Test sign-in first, so activation asks only the guide's question. It runs in a
  // new tab; the IdP page that opened it shows the result without a reload.
  await expect(page.getByText("Last test: never")).toBeVisible();
  const [testTab] = await Promise.all([page.waitForEvent("popup"), page.getByRole("link", { name: "Test sign-in" }).click()]);
  await testTab.getByLabel("Email, phone, or Skype").fill(person.username);
  await testTab.getByRole("button", { name: "Next" }).click();
  await testTab.waitForURL((url) => url.pathname === `/idp-test/${idpId}`);
  await expect(testTab.getByRole("heading", { name: "Test sign-in succeeded" })).toBeVisible();
  await testTab.close();
  await expect(page.getByText(/Last test: .* succeeded/)).toBeVisible();
  await new IdpDetailPage(page).activate(
    "Are you sure you want to activate the selected identity provider? Incorrect configuration may prevent administration console access.",
  );
  await expect(page.getByText("Active", { exact: true }).first()).toBeVisible();

  await page.context().clearCookies();
  await page.goto("/t/entra-replay/login");
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Email, phone, or Skype").fill(person.username);
  await page.getByRole("button", { name: "Next" }).click();
  await page.waitForURL(/\/me$/);
  await expect(page.getByRole("heading", { name: "Grace Hopper" })).toBeVisible();
  expect(idp.redirectUris.at(-1)).toBe(`${baseURL}/api/auth/callback/idp-${idpId}`);
});
