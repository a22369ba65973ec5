import { expect, test, type Page } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";
import { entraLikeSuite } from "./fixtures/entra-like-suite";
import type { SsoSeed } from "./fixtures/oidc-provider-seed";

// Single sign-on against a real OpenID provider configured like an Entra tenant (issue 5).
// Run with: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx playwright test e2e/sso.spec.ts

const suite = entraLikeSuite(test);

/** A tenant with an active Entra-like IdP and one SCIM-provisioned user linked by oid. */
async function tenantWithUser(options: { active?: boolean; loginMethod?: "sso" | "password"; nameOnlyInUserinfo?: boolean; provisioned?: boolean; jit?: boolean; idp?: Parameters<SsoSeed["identityProvider"]>[2] } = {}) {
  const tenant = await suite.seed.tenant({ jitProvisioning: options.jit });
  const domain = `${tenant.slug}.test`;
  const person = suite.idp.addUser({ username: `ada@${domain}`, name: "Ada Lovelace", nameOnlyInUserinfo: options.nameOnlyInUserinfo });
  const userId =
    options.provisioned === false
      ? undefined
      : await suite.seed.user(tenant.id, { userName: person.username, externalId: person.oid, name: "Ada (from SCIM)", active: options.active, loginMethod: options.loginMethod });
  const idpId = await suite.seed.identityProvider(tenant.id, suite.idp, options.idp);
  return { tenant, domain, person, userId, idpId };
}

async function signInAtIdp(page: Page, username: string) {
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Email, phone, or Skype").fill(username);
  await page.getByRole("button", { name: "Next" }).click();
}

async function startAtTenantPage(page: Page, slug: string, query = "") {
  await page.goto(`/t/${slug}/login${query}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
}

/** Runs the flow up to the IdP's redirect back to us and returns that callback URL unvisited. */
async function captureCallback(page: Page, slug: string, username: string) {
  const held = suite.idp.holdNextCallback();
  await startAtTenantPage(page, slug);
  await signInAtIdp(page, username);
  await expect(page.getByRole("heading", { name: "Callback held by the test" })).toBeVisible();
  return held;
}

async function expectRefusal(page: Page, heading: string, tenantId: string, reason: string) {
  await expect(page).toHaveURL(/\/login\/error\?/);
  await expect(page.getByRole("heading", { name: heading })).toBeVisible();
  await expect(page.getByText(`Reference: ${reason}`)).toBeVisible();
  const failures = await suite.seed.auditFor(tenantId, "auth.sign_in.sso");
  expect(failures.at(-1)).toMatchObject({ outcome: "failure", details: expect.objectContaining({ reason }) });
}

// Entra's default mapping for a non-gallery app sends mailNickname as externalId
// (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/customize-application-attributes).
test.describe("Entra's default attribute mapping (mailNickname → externalId)", () => {
  test("a SCIM user whose externalId is the mailNickname signs in by UPN and is bound to the oid", async ({ page }) => {
    const tenant = await suite.seed.tenant();
    const person = suite.idp.addUser({ username: `megan@${tenant.slug}.test`, name: "Megan Bowen" });
    const userId = await suite.seed.user(tenant.id, { userName: person.username, externalId: "megan" });
    await suite.seed.identityProvider(tenant.id, suite.idp);
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expect(page).toHaveURL(`${suite.baseURL}/me`);
    expect((await suite.seed.account(userId)).provider_account_id).toBe(person.oid);
    expect((await suite.seed.auditFor(tenant.id, "auth.sign_in.sso")).at(-1)).toMatchObject({ outcome: "success", details: { matchedBy: "userName" } });
  });

  test("a UPN whose user holds another object ID as externalId is refused, the reason on the page and in the audit event", async ({ page }) => {
    const tenant = await suite.seed.tenant();
    const person = suite.idp.addUser({ username: `lee@${tenant.slug}.test`, name: "Lee Gu" });
    await suite.seed.user(tenant.id, { userName: person.username, externalId: crypto.randomUUID() });
    await suite.seed.identityProvider(tenant.id, suite.idp);
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expect(page.getByRole("heading", { name: "Your account has not been provisioned" })).toBeVisible();
    await expect(page.getByText("Reference: not_provisioned/external_id_mismatch")).toBeVisible();
    const failure = (await suite.seed.auditFor(tenant.id, "auth.sign_in.sso")).at(-1);
    expect(failure).toMatchObject({ outcome: "failure", details: { reason: "not_provisioned", code: "external_id_mismatch", detail: expect.stringContaining(person.oid) } });
  });
});

test.describe("happy path", () => {
  test("home-realm discovery at /login sends a provisioned user through Entra to /me", async ({ page }) => {
    const { tenant, domain, person, userId, idpId } = await tenantWithUser();
    await page.goto("/login");
    await page.getByLabel("Email").fill(person.username);
    await page.getByRole("button", { name: "Continue" }).click();
    await signInAtIdp(page, person.username);

    await expect(page).toHaveURL(`${suite.baseURL}/me`);
    await expect(page.getByRole("heading", { name: "Ada Lovelace" })).toBeVisible();
    await expect(page.getByText(tenant.name)).toBeVisible();
    await expect(page.getByText(domain).first()).toBeVisible();
    // The Redirect URL the console shows is the one Auth.js used.
    expect(suite.idp.redirectUris.at(-1)).toBe(`${suite.baseURL}/api/auth/callback/idp-${idpId}`);
    // Bound by the immutable oid (the IdP row pins the directory); the refresh token is sealed, the access token not kept.
    const account = await suite.seed.account(userId!);
    expect(account.provider_account_id).toBe(person.oid);
    expect(account.refresh_token).toMatch(/^v1\./);
    expect(account.access_token).toBeNull();
    expect((await suite.seed.auditFor(tenant.id, "auth.sign_in.sso")).at(-1)?.outcome).toBe("success");
  });

  test("the tenant page's provider button signs in; the display name comes from UserInfo when the ID token lacks it", async ({ page }) => {
    const { tenant, person } = await tenantWithUser({ nameOnlyInUserinfo: true });
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expect(page).toHaveURL(`${suite.baseURL}/me`);
    await expect(page.getByRole("heading", { name: "Ada Lovelace" })).toBeVisible();
  });

  test("a member of a group mapped to tenant admin lands in the console", async ({ page }) => {
    const { tenant, person, userId } = await tenantWithUser();
    await suite.seed.groupMappedTo(tenant.id, "Gatehouse Admins", "tenant_admin", [userId!]);
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expect(page).toHaveURL(`${suite.baseURL}/dashboard`);
  });

  test("sign-out ends the session and continues to the IdP's logout URL", async ({ page }) => {
    const { tenant, person, userId } = await tenantWithUser({ idp: { logoutUrl: suite.idp.logoutUrl } });
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expect(page).toHaveURL(`${suite.baseURL}/me`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(new RegExp(`^${suite.idp.logoutUrl}`));
    expect(await suite.seed.sessionCount(userId!)).toBe(0);
    await page.getByRole("button", { name: /yes, sign me out/i }).click();
    await expect(page).toHaveURL(`${suite.baseURL}/login?signedOut=1`);
    await expect(page.getByText("You have been signed out.")).toBeVisible();
  });
});

test.describe("who may sign in", () => {
  test("an unknown person is refused: not provisioned", async ({ page }) => {
    const { tenant, person } = await tenantWithUser({ provisioned: false });
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expectRefusal(page, "Your account has not been provisioned", tenant.id, "not_provisioned");
  });

  test("an inactive user is refused with a clear page", async ({ page }) => {
    const { tenant, person } = await tenantWithUser({ active: false });
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expectRefusal(page, "Your account is deactivated", tenant.id, "inactive");
  });

  test("a user whose login method is the built-in password cannot use SSO", async ({ page }) => {
    const { tenant, person } = await tenantWithUser({ loginMethod: "password" });
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expectRefusal(page, "Use your password to sign in", tenant.id, "wrong_login_method");
  });

  test("just-in-time provisioning creates the user when the tenant allows it", async ({ page }) => {
    const { tenant, person } = await tenantWithUser({ provisioned: false, jit: true });
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expect(page).toHaveURL(`${suite.baseURL}/me`);
    const [created] = await suite.seed.query<{ external_id: string; login_method: string }>(
      "select external_id, login_method from users where tenant_id = $1",
      [tenant.id],
    );
    expect(created).toEqual({ external_id: person.oid, login_method: "sso" });
  });
});

test.describe("OIDC Core §3.1.3.7 ID token validation and RFC 6749/7636 request binding", () => {
  test("a token from another Entra tenant (wrong issuer) is refused", async ({ page }) => {
    const { tenant, person } = await tenantWithUser();
    const stranger = "11111111-2222-3333-4444-555555555555";
    suite.idp.tamperNextIdToken({ claims: { iss: suite.idp.issuer.replace(suite.idp.tenantId, stranger), tid: stranger } });
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expectRefusal(page, "Sign-in response not trusted", tenant.id, "invalid_issuer");
  });

  test("a token issued to another application (wrong audience) is refused", async ({ page }) => {
    const { tenant, person } = await tenantWithUser();
    suite.idp.tamperNextIdToken({ claims: { aud: "another-application" } });
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expectRefusal(page, "Sign-in response not trusted", tenant.id, "invalid_audience");
  });

  test("a token whose nonce does not match this sign-in is refused", async ({ page }) => {
    const { tenant, person } = await tenantWithUser();
    suite.idp.tamperNextIdToken({ claims: { nonce: "replayed-nonce" } });
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expectRefusal(page, "Sign-in response not trusted", tenant.id, "invalid_nonce");
  });

  test("a token signed by a key the JWKS does not publish is refused", async ({ page }) => {
    const { tenant, person, userId } = await tenantWithUser();
    suite.idp.tamperNextIdToken({ unknownKey: true });
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expectRefusal(page, "Sign-in response not trusted", tenant.id, "invalid_signature");
    expect(await suite.seed.sessionCount(userId!)).toBe(0);
  });

  test("a tampered state is refused", async ({ page }) => {
    const { tenant, person } = await tenantWithUser();
    const callback = new URL(await captureCallback(page, tenant.slug, person.username));
    const state = callback.searchParams.get("state")!;
    callback.searchParams.set("state", `${state.slice(0, -4)}AAAA`);
    await page.goto(callback.toString());
    await expectRefusal(page, "Your sign-in could not be completed", tenant.id, "invalid_state");
  });

  test("a callback without the PKCE code verifier is refused", async ({ page, context }) => {
    const { tenant, person, userId } = await tenantWithUser();
    const callback = await captureCallback(page, tenant.slug, person.username);
    await context.clearCookies({ name: /pkce/ });
    await page.goto(callback);
    await expectRefusal(page, "Your sign-in could not be completed", tenant.id, "pkce_failed");
    expect(await suite.seed.sessionCount(userId!)).toBe(0);
  });

  test("an off-origin callbackUrl still lands on our origin", async ({ page }) => {
    const { tenant, person } = await tenantWithUser();
    await startAtTenantPage(page, tenant.slug, `?callbackUrl=${encodeURIComponent("https://evil.example/steal")}`);
    await signInAtIdp(page, person.username);
    await expect(page).toHaveURL(`${suite.baseURL}/me`);
  });
});

test.describe("sessions", () => {
  test("SCIM deactivation signs the user out on their next request", async ({ page }) => {
    const { tenant, person, userId } = await tenantWithUser();
    await startAtTenantPage(page, tenant.slug);
    await signInAtIdp(page, person.username);
    await expect(page).toHaveURL(`${suite.baseURL}/me`);
    expect(await suite.seed.sessionCount(userId!)).toBe(1);
    await suite.seed.deactivate(userId!);
    await page.reload();
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe("no lock-out", () => {
  async function signInAsBreakGlassAdmin(page: Page) {
    await page.goto("/login?local=1");
    await page.getByLabel("Email").fill(e2eAdmin.email);
    await page.getByLabel("Password").fill(e2eAdmin.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${suite.baseURL}/dashboard`);
  }

  test("Test sign-in with a wrong client secret reports the failure and leaves the provider inactive", async ({ page }) => {
    const tenant = await suite.seed.tenant();
    const idpId = await suite.seed.identityProvider(tenant.id, suite.idp, { status: "draft", clientSecret: "not-the-secret" });
    const person = suite.idp.addUser({ username: `grace@${tenant.slug}.test`, name: "Grace Hopper" });
    await signInAsBreakGlassAdmin(page);
    await page.goto(`/api/idp-test/${idpId}/start`);
    await signInAtIdp(page, person.username);
    await expect(page).toHaveURL(`${suite.baseURL}/idp-test/${idpId}`);
    await expect(page.getByRole("heading", { name: "Test sign-in failed" })).toBeVisible();
    await expect(page.getByText("Reason: invalid_client")).toBeVisible();
    const row = await suite.seed.idpRow(idpId);
    expect(row).toMatchObject({ status: "draft", last_test_ok: false });
  });

  test("Test sign-in of a good draft reports claims and the mapped user without a session", async ({ page }) => {
    const tenant = await suite.seed.tenant();
    const person = suite.idp.addUser({ username: `alan@${tenant.slug}.test`, name: "Alan Turing" });
    const userId = await suite.seed.user(tenant.id, { userName: person.username, externalId: person.oid });
    const idpId = await suite.seed.identityProvider(tenant.id, suite.idp, { status: "draft" });
    await signInAsBreakGlassAdmin(page);
    await page.goto(`/api/idp-test/${idpId}/start`);
    await signInAtIdp(page, person.username);
    await expect(page.getByRole("heading", { name: "Test sign-in succeeded" })).toBeVisible();
    await expect(page.getByRole("cell", { name: person.oid })).toBeVisible();
    await expect(page.getByText(`${person.username} — matched by externalId`)).toBeVisible();
    expect(await suite.seed.sessionCount(userId)).toBe(0);
    expect(await suite.seed.idpRow(idpId)).toMatchObject({ status: "draft", last_test_ok: true });
    // The admin's own session survives the test run.
    await page.goto("/dashboard");
    await expect(page).toHaveURL(`${suite.baseURL}/dashboard`);
  });

  test("the break-glass admin still signs in at /login?local=1 after a broken provider is activated", async ({ page }) => {
    const adminDomain = e2eAdmin.email.split("@")[1];
    const tenant = await suite.seed.tenant({ domains: [adminDomain] });
    try {
      await suite.seed.identityProvider(tenant.id, suite.idp, { status: "active", clientSecret: "broken" });
      await page.goto("/login");
      await page.getByLabel("Email").fill(e2eAdmin.email);
      await page.getByRole("button", { name: "Continue" }).click();
      await expect(page).toHaveURL(new RegExp(`^${suite.idp.issuer}`));
      await signInAsBreakGlassAdmin(page);
    } finally {
      await suite.seed.query("delete from tenants where id = $1", [tenant.id]);
    }
  });
});
