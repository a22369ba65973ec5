import { expect, test, type Page } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";
import { startSamlIdp, type SamlIdp } from "./fixtures/saml-idp";
import { seedingAvailable, SsoSeed } from "./fixtures/oidc-provider-seed";

// SAML 2.0 single sign-on (issue 14) against a samlify identity provider shaped like an Entra
// enterprise application (e2e/fixtures/saml-idp.ts).
// Run with: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx playwright test e2e/saml.spec.ts

test.skip(!seedingAvailable(), "needs the PostgreSQL e2e server: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)");

let idp: SamlIdp;
let seed: SsoSeed;
let baseURL: string;

test.beforeAll(async ({}, testInfo) => {
  baseURL = String(testInfo.project.use.baseURL);
  idp = await startSamlIdp();
  seed = await SsoSeed.connect();
});

test.afterAll(async () => {
  await seed?.close();
  await idp?.close();
});

async function signInAsBreakGlassAdmin(page: Page) {
  await page.goto("/login?local=1");
  await page.getByLabel("Email").fill(e2eAdmin.email);
  await page.getByLabel("Password").fill(e2eAdmin.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(`${baseURL}/dashboard`);
}

async function signInAtIdp(page: Page, username: string) {
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Email, phone, or Skype").fill(username);
  await page.getByRole("button", { name: "Next" }).click();
}

/** An active SAML provider saved straight into the database, as the console would save it. */
async function samlProvider(tenantId: string, options: { allowIdpInitiated?: boolean } = {}) {
  const [row] = await seed.query<{ id: string }>(
    `insert into identity_providers (tenant_id, type, name, status, client_id, authorization_url, token_url, jwks_url, issuer, saml_sso_url, saml_certificates,
       saml_allow_idp_initiated, username_attribute, display_name_attribute, button_label)
     values ($1, 'saml', 'Entra SAML', 'active', '', '', '', '', $2, $3, $4, $5, $6, $7, 'Sign in with Microsoft') returning id`,
    [
      tenantId,
      idp.entityId,
      idp.ssoUrl,
      JSON.stringify([idp.certificate]),
      options.allowIdpInitiated ?? false,
      "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
      "http://schemas.microsoft.com/identity/claims/displayname",
    ],
  );
  return row.id;
}

async function tenantWithUser(options: { active?: boolean; provisioned?: boolean; allowIdpInitiated?: boolean } = {}) {
  const tenant = await seed.tenant();
  const person = idp.addUser({ username: `ada@${tenant.slug}.test`, name: "Ada Lovelace" });
  const userId = options.provisioned === false ? undefined : await seed.user(tenant.id, { userName: person.username, externalId: person.oid, active: options.active });
  const idpId = await samlProvider(tenant.id, options);
  return { tenant, person, userId, idpId, entityId: `${baseURL}/api/auth/saml/${idpId}` };
}

async function startAtTenantPage(page: Page, slug: string) {
  await page.goto(`/t/${slug}/login`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
}

async function expectRefusal(page: Page, heading: string, tenantId: string, reason: string) {
  await expect(page).toHaveURL(/\/login\/error\?/);
  await expect(page.getByRole("heading", { name: heading })).toBeVisible();
  const failures = await seed.auditFor(tenantId, "auth.sign_in.sso");
  expect(failures.at(-1)).toMatchObject({ outcome: "failure", details: expect.objectContaining({ reason }) });
}

test("an admin configures SAML through the console by metadata import, tests it, activates it; a provisioned user signs in", async ({ page }) => {
  const tenant = await seed.tenant();
  const person = idp.addUser({ username: `grace@${tenant.slug}.test`, name: "Grace Hopper" });
  const userId = await seed.user(tenant.id, { userName: person.username, externalId: person.oid, name: "Grace (from SCIM)" });
  await signInAsBreakGlassAdmin(page);
  await page.goto(`/identity-providers/new?tenantId=${tenant.id}`);
  await page.getByLabel("Identity Provider Type").selectOption("saml");
  await page.getByLabel("Name", { exact: true }).fill("Entra SAML");
  // The values for Entra's Basic SAML Configuration are there before the first save.
  const entityId = await page.getByRole("textbox", { name: "Identifier (Entity ID)" }).inputValue();
  expect(entityId).toMatch(new RegExp(`^${baseURL}/api/auth/saml/[0-9a-f-]{36}$`));
  await expect(page.getByRole("textbox", { name: "Reply URL (Assertion Consumer Service URL)" })).toHaveValue(`${entityId}/acs`);
  await expect(page.getByRole("textbox", { name: "Sign on URL" })).toHaveValue(`${entityId}/login`);
  await expect(page.locator("#saml-logoutUrl")).toHaveValue(`${entityId}/logout`);
  await page.getByLabel("App Federation Metadata Url").fill(idp.metadataUrl);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByLabel("Entity ID (Microsoft Entra Identifier)")).toHaveValue(idp.entityId);
  await expect(page.getByLabel("Login URL (SSO URL)")).toHaveValue(idp.ssoUrl);
  await expect(page.getByLabel("Signing certificates")).toHaveValue(/BEGIN CERTIFICATE/);
  await page.getByLabel("Provider Display Name").fill("Sign in with Microsoft");
  await page.getByRole("button", { name: "Save Identity Provider" }).click();
  await expect(page).toHaveURL(/\/identity-providers\/[0-9a-f-]{36}$/);
  const idpId = page.url().split("/").pop()!;
  expect(entityId.endsWith(idpId)).toBe(true);

  // SP metadata for the IdP's import.
  const metadata = await page.request.get(`/api/auth/saml/${idpId}/metadata`);
  expect(metadata.ok()).toBe(true);
  expect(await metadata.text()).toContain(`${entityId}/acs`);

  await page.goto(`/api/idp-test/${idpId}/start`);
  await signInAtIdp(page, person.username);
  await expect(page).toHaveURL(`${baseURL}/idp-test/${idpId}`);
  await expect(page.getByRole("heading", { name: "Test sign-in succeeded" })).toBeVisible();
  expect(await seed.sessionCount(userId)).toBe(0);
  await page.goto(`/identity-providers/${idpId}`);
  await page.getByRole("button", { name: "Activate" }).click();
  await page.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByText("Identity Provider activated")).toBeVisible();

  await page.context().clearCookies();
  await startAtTenantPage(page, tenant.slug);
  await signInAtIdp(page, person.username);
  await expect(page).toHaveURL(`${baseURL}/me`);
  await expect(page.getByRole("heading", { name: "Grace Hopper" })).toBeVisible();
  expect((await seed.account(userId)).provider_account_id).toBe(person.oid);
  expect((await seed.auditFor(tenant.id, "auth.sign_in.sso")).at(-1)).toMatchObject({ outcome: "success" });
});

test("an inactive user is refused with OIDC's page and audit reason", async ({ page }) => {
  const { tenant, person } = await tenantWithUser({ active: false });
  await startAtTenantPage(page, tenant.slug);
  await signInAtIdp(page, person.username);
  await expectRefusal(page, "Your account is deactivated", tenant.id, "inactive");
});

test("an unprovisioned user is refused", async ({ page }) => {
  const { tenant, person } = await tenantWithUser({ provisioned: false });
  await startAtTenantPage(page, tenant.slug);
  await signInAtIdp(page, person.username);
  await expectRefusal(page, "Your account has not been provisioned", tenant.id, "not_provisioned");
});

test("IdP-initiated sign-in is refused by default and accepted when the provider allows it", async ({ page }) => {
  const off = await tenantWithUser();
  await page.goto(idp.idpInitiatedUrl(off.entityId, off.person.username));
  await expectRefusal(page, "Your sign-in could not be completed", off.tenant.id, "invalid_state");
  const on = await tenantWithUser({ allowIdpInitiated: true });
  await page.goto(idp.idpInitiatedUrl(on.entityId, on.person.username));
  await expect(page).toHaveURL(`${baseURL}/me`);
  expect(await seed.sessionCount(on.userId!)).toBe(1);
});

test("a replayed response is refused", async ({ page }) => {
  const { tenant, person, userId } = await tenantWithUser();
  await startAtTenantPage(page, tenant.slug);
  await signInAtIdp(page, person.username);
  await expect(page).toHaveURL(`${baseURL}/me`);
  const captured = idp.lastResponse()!;
  // The same signed response, posted again from the same browser.
  await page.setContent(
    `<form method="post" action="${captured.acsUrl}"><input type="hidden" name="SAMLResponse" value="${captured.samlResponse}"></form>`,
  );
  await Promise.all([page.waitForURL(/\/login\/error\?/), page.evaluate(() => document.forms[0].submit())]);
  await expectRefusal(page, "Your sign-in could not be completed", tenant.id, "invalid_state");
  expect(await seed.sessionCount(userId!)).toBe(1);
});

test("signature-wrapping (XSW) attempts on a genuine response are refused and sign nobody in", async ({ page }) => {
  // Unsolicited responses allowed, so the wrapped copies meet the signature check, not InResponseTo's.
  const { tenant, entityId, person } = await tenantWithUser({ allowIdpInitiated: true });
  const victim = idp.addUser({ username: `boss@${tenant.slug}.test`, name: "The Boss" });
  const victimId = await seed.user(tenant.id, { userName: victim.username, externalId: victim.oid });
  await page.goto(idp.idpInitiatedUrl(entityId, person.username));
  await expect(page).toHaveURL(`${baseURL}/me`);
  const captured = idp.lastResponse()!;
  const signed = Buffer.from(captured.samlResponse, "base64").toString("utf8");
  const original = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(signed)![0];
  const evil = original
    .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "")
    .replace(/ ID="[^"]+"/, ` ID="_${crypto.randomUUID()}"`)
    .replaceAll(person.username, victim.username)
    .replaceAll(person.oid, victim.oid);
  const variants = [
    signed.replace(original, `${evil}${original}`), // XSW3: an evil assertion beside the signed one
    signed.replace(original, evil.replace("</saml:Assertion>", `${original}</saml:Assertion>`)), // XSW4: the signed one nested inside
  ];
  for (const xml of variants) {
    await page.setContent(
      `<form method="post" action="${captured.acsUrl}"><input type="hidden" name="SAMLResponse" value="${Buffer.from(xml).toString("base64")}"></form>`,
    );
    await Promise.all([page.waitForURL(/\/login\/error\?/), page.evaluate(() => document.forms[0].submit())]);
    await expectRefusal(page, "Sign-in response not trusted", tenant.id, "invalid_signature");
  }
  expect(await seed.sessionCount(victimId)).toBe(0);
});

test("deactivation ends the SAML session on the next request", async ({ page }) => {
  const { tenant, person, userId } = await tenantWithUser();
  await startAtTenantPage(page, tenant.slug);
  await signInAtIdp(page, person.username);
  await expect(page).toHaveURL(`${baseURL}/me`);
  expect(await seed.sessionCount(userId!)).toBe(1);
  await seed.deactivate(userId!);
  await page.reload();
  await expect(page).toHaveURL(/\/login/);
});
