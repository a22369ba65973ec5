import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { expect, test, type Browser, type Request } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";
import { isoDateFromToday } from "./fixtures/dates";
import { seedingAvailable, SsoSeed } from "./fixtures/oidc-provider-seed";
import { IdentityProvidersPage, IdpDetailPage, IdpFormPage } from "./pages/identity-providers";
import { LoginPage } from "./pages/login";
import { TenantDetailPage, TenantsPage } from "./pages/tenants";
import { UserDetailPage, UsersPage } from "./pages/users";

// The admin console journeys of issue 4: provisioning tokens end to end (through the real SCIM
// endpoint), identity provider set-up and activation, and a read-only admin who can change
// nothing — neither through the UI nor by replaying a captured server action.

const SCIM_JSON = "application/scim+json";

function unique(prefix: string) {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

test.describe.configure({ timeout: 90_000 });

test("tenant → provisioning token shown once and copied → SCIM user appears read-only → revoked token gets 401", async ({ page, context, request, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await new LoginPage(page).signIn(e2eAdmin);

  const tenants = new TenantsPage(page);
  await tenants.goto();
  const slug = unique("qa");
  const name = `QA ${slug}`;
  const tenantId = await tenants.create({ name, slug, domains: `${slug}.test` });
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  // Back to the list and open it from there, as an admin would.
  await tenants.goto();
  await tenants.open(name);
  await expect(page).toHaveURL(new RegExp(`/tenants/${tenantId}$`));

  const tenant = new TenantDetailPage(page);
  await expect(page.getByRole("textbox", { name: "Tenant URL" })).toHaveValue(new RegExp(`/scim/v2/${tenantId}$`));
  await tenant.generateButton().click();
  const dialog = tenant.tokenDialog();
  const expires = dialog.getByLabel("Expires on");
  await expect(expires).toHaveValue(isoDateFromToday(30));
  await expect(dialog.getByRole("button", { name: "30 days" })).toHaveAttribute("aria-pressed", "true");
  await dialog.getByRole("button", { name: "90 days" }).click();
  await expect(expires).toHaveValue(isoDateFromToday(90));
  await expect(dialog.getByRole("button", { name: "90 days" })).toHaveAttribute("aria-pressed", "true");
  await dialog.getByRole("button", { name: "1 year" }).click();
  await expect(expires).toHaveValue(isoDateFromToday(365));
  await dialog.getByRole("button", { name: "30 days" }).click();
  await expect(expires).toHaveValue(isoDateFromToday(30));

  const tokenName = "QA rotation";
  await dialog.getByLabel("Name").fill(tokenName);
  await dialog.getByRole("button", { name: "Generate" }).click();

  const shown = dialog.getByRole("textbox", { name: "New provisioning token" });
  await expect(shown).toBeVisible();
  const token = await shown.inputValue();
  expect(token.length).toBeGreaterThan(20);
  await expect(dialog.getByText(/cannot be retrieved later/)).toBeVisible();
  await dialog.getByRole("button", { name: "Copy token" }).click();
  await expect(page.getByText("Copied to clipboard").first()).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  // Shown once: not on the page, not after a reload, not in the dialog when reopened.
  await expect(tenant.tokenRow(tokenName)).toContainText("Active");
  expect(await page.content()).not.toContain(token);
  await page.reload();
  await expect(tenant.tokenRow(tokenName)).toContainText("Active");
  expect(await page.content()).not.toContain(token);
  await tenant.generateButton().click();
  await expect(tenant.tokenDialog().getByRole("textbox", { name: "New provisioning token" })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(tenant.tokenDialog()).toBeHidden();

  // The token provisions a user through the real SCIM endpoint.
  const scim = `/scim/v2/${tenantId}`;
  const userName = `grace.hopper@${slug}.test`;
  const created = await request.post(`${scim}/Users`, {
    headers: { authorization: `Bearer ${token}`, "content-type": SCIM_JSON, accept: SCIM_JSON },
    data: {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      externalId: randomUUID(),
      userName,
      name: { givenName: "Grace", familyName: "Hopper", formatted: "Grace Hopper" },
      displayName: "Grace Hopper",
      title: "Rear Admiral",
      active: true,
      emails: [{ value: userName, type: "work", primary: true }],
    },
  });
  expect(created.status()).toBe(201);

  const users = new UsersPage(page);
  await users.goto(tenantId);
  const row = users.row(userName);
  await expect(row).toBeVisible();
  await expect(row).toContainText("SCIM");
  await row.getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Grace Hopper" })).toBeVisible();
  await expect(page.getByText("Account Source: SCIM")).toBeVisible();
  await expect(new UserDetailPage(page).managedNote()).toBeVisible();
  // Read-only for a SCIM account: no profile editor, no deactivate/delete.
  await expect(page.getByLabel("Given name")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^(Deactivate|Delete)/ })).toHaveCount(0);

  // Revoke → the next SCIM call is refused.
  await tenant.goto(tenantId);
  await tenant.revoke(tokenName);
  await expect(page.getByText(`Token “${tokenName}” revoked`).first()).toBeVisible();
  await expect(tenant.tokenRow(tokenName)).toContainText("Revoked");
  const refused = await request.get(`${scim}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`, {
    headers: { authorization: `Bearer ${token}`, accept: SCIM_JSON },
  });
  expect(refused.status()).toBe(401);
});

test("identity provider: per-field errors → save (toast) → activate (dialog text) → deactivate", async ({ page }) => {
  await new LoginPage(page).signIn(e2eAdmin);
  const slug = unique("idp");
  const tenantId = await new TenantsPage(page).goto().then(() => new TenantsPage(page).create({ name: `IdP ${slug}`, slug, domains: `${slug}.test` }));
  // A new tenant has no users and no just-in-time provisioning: single sign-on would let nobody in.
  const tenantPage = new TenantDetailPage(page);
  await expect(tenantPage.nobodyCanSignIn()).toBeVisible();
  await expect(tenantPage.nobodyCanSignIn().getByRole("link", { name: "Generate a provisioning token" })).toBeVisible();
  await expect(tenantPage.nobodyCanSignIn().getByRole("link", { name: "Enable just-in-time provisioning" })).toBeVisible();
  // "Match signed-in users by" is a tenant setting, saved with the others.
  await page.goto(`/tenants/${tenantId}/settings`);
  await expect(page.getByLabel("Match signed-in users by")).toHaveValue("automatic");
  await page.getByLabel("Match signed-in users by").selectOption({ label: "userName = preferred_username/UPN" });
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Tenant saved").first()).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Match signed-in users by")).toHaveValue("userName");

  const list = new IdentityProvidersPage(page);
  await list.goto(tenantId);
  await list.addButton().click();
  await expect(page.getByRole("heading", { level: 1, name: "Add Identity Provider" })).toBeVisible();

  const form = new IdpFormPage(page);
  // The Redirect URL is final (and copyable) before anything is saved.
  await expect(form.redirectUrl()).toHaveValue(/\/api\/auth\/callback\/idp-[0-9a-f-]{36}$/);
  await expect(page.getByRole("button", { name: /Copy Redirect URL/ })).toBeVisible();
  const shownId = (await form.redirectUrl().inputValue()).match(/idp-([0-9a-f-]{36})$/)![1];
  await expect(form.typeSelect().getByRole("option", { name: "OAuth2", exact: true })).toBeAttached();
  await expect(form.typeSelect().getByRole("option", { name: "OpenID Connect", exact: true })).toBeAttached();
  await form.saveButton().click();
  // Each required field says what is wrong, wired to the control.
  await expect(form.field("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(form.field("Name")).toHaveAccessibleDescription(/Enter a name/);
  await expect(form.field("Client ID")).toHaveAccessibleDescription(/Enter the Client ID/);
  await expect(form.field("Authentication URL")).toHaveAccessibleDescription(/Enter the Authentication URL/);
  await expect(form.field("Access Token URL")).toHaveAccessibleDescription(/Enter the Access Token URL/);
  await expect(form.field("JSON Web Key Set URL")).toHaveAccessibleDescription(/Enter the JSON Web Key Set URL/);
  // OpenID Connect (the default type) needs the issuer, and says so before the first save.
  await expect(form.field("Issuer URI")).toHaveAccessibleDescription(/Enter the Issuer URI/);
  await expect(page).toHaveURL(/\/identity-providers\/new/);

  const directory = randomUUID();
  const base = `https://login.microsoftonline.com/${directory}`;
  // An Entra Authentication URL names the directory, and so the issuer.
  await form.field("Authentication URL").fill(`${base}/oauth2/v2.0/authorize`);
  await expect(form.field("Issuer URI")).toHaveValue(`${base}/v2.0`);
  await form.fill({
    name: "Microsoft Entra ID",
    description: "Contoso workforce tenant",
    clientId: randomUUID(),
    clientSecret: "qa-client-secret-value",
    authorizationUrl: `${base}/oauth2/v2.0/authorize`,
    tokenUrl: `${base}/oauth2/v2.0/token`,
    jwksUrl: `${base}/discovery/v2.0/keys`,
    usernameAttribute: "preferred_username",
    issuer: `${base}/v2.0`,
    userinfoUrl: "https://graph.microsoft.com/oidc/userinfo",
    logoutUrl: `${base}/oauth2/v2.0/logout`,
    buttonLabel: "Sign in with Microsoft",
  });
  const idpId = await form.save();
  expect(idpId).toBe(shownId);

  const detail = new IdpDetailPage(page);
  await expect(detail.heading()).toContainText("Draft");
  await expect(new TenantDetailPage(page).nobodyCanSignIn()).toBeVisible();
  // The secret is write-only.
  await expect(page.getByText("•••• set").first()).toBeVisible();
  expect(await page.content()).not.toContain("qa-client-secret-value");
  await expect(page.getByRole("textbox", { name: "Redirect URL" })).toHaveValue(new RegExp(`/api/auth/callback/idp-${idpId}$`));

  // No Test sign-in has passed: activating needs the explicit "Activate anyway".
  await detail.activateAnyway();
  await expect(page.getByText("Identity Provider activated").first()).toBeVisible();
  await expect(detail.heading()).toContainText("Active");
  await expect(detail.deactivateButton()).toBeVisible();

  await detail.deactivate();
  await expect(page.getByText("Identity Provider deactivated").first()).toBeVisible();
  await expect(detail.heading()).toContainText("Inactive");
  await expect(detail.activateButton()).toBeVisible();
});

test.describe("read-only admin", () => {
  test.skip(!seedingAvailable(), "needs the PostgreSQL e2e server: set TEST_DATABASE_URL (the CLI writes the admin into its database)");

  const readOnly = { email: `ro-${randomUUID().slice(0, 6)}@gatehouse.local`, password: "read-only-password-not-secret" };
  let seed: SsoSeed;

  test.beforeAll(() => {
    // The real CLI, pointed at the running server's database.
    const out = execFileSync(process.execPath, ["bin/gatehouse.mjs", "admin", "create", "--email", readOnly.email, "--password-stdin", "--role", "read_only", "--json"], {
      encoding: "utf8",
      input: readOnly.password,
      env: {
        ...process.env,
        DATABASE_URL: process.env.E2E_DATABASE_URL,
        DATABASE_DRIVER: "postgres",
        ENCRYPTION_KEY: process.env.E2E_ENCRYPTION_KEY,
        AUTH_SECRET: process.env.E2E_AUTH_SECRET,
      },
    });
    expect(JSON.parse(out)).toMatchObject({ email: readOnly.email, role: "read_only" });
  });

  test.beforeAll(async () => {
    seed = await SsoSeed.connect();
  });
  test.afterAll(async () => {
    await seed?.close();
  });

  async function signedIn(browser: Browser, account: { email: string; password: string }) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await new LoginPage(page).signIn(account);
    return { context, page };
  }

  test("sees every page without a single mutating control, and a replayed server action is refused", async ({ browser, playwright, baseURL }) => {
    const [acme] = await seed.query<{ id: string }>("select id from tenants where slug = 'acme'");
    const [scimUser] = await seed.query<{ id: string }>("select id from users where tenant_id = $1 and source = 'scim' order by user_name limit 1", [acme.id]);
    const [group] = await seed.query<{ id: string }>("select id from groups where tenant_id = $1 and display_name = 'Gatehouse Admins'", [acme.id]);

    // The platform admin adds an IdP (for its page) and generates a token: that POST is captured.
    const admin = await signedIn(browser, e2eAdmin);
    await admin.page.goto(`/identity-providers/new?tenantId=${acme.id}`);
    const form = new IdpFormPage(admin.page);
    const base = `https://login.microsoftonline.com/${randomUUID()}`;
    await form.fill({
      name: "Entra (read-only check)",
      clientId: randomUUID(),
      clientSecret: "ro-check-secret",
      authorizationUrl: `${base}/oauth2/v2.0/authorize`,
      tokenUrl: `${base}/oauth2/v2.0/token`,
      jwksUrl: `${base}/discovery/v2.0/keys`,
    });
    const idpId = await form.save();

    const adminTenant = new TenantDetailPage(admin.page);
    await adminTenant.goto(acme.id);
    await adminTenant.generateButton().click();
    await adminTenant.tokenDialog().getByLabel("Name").fill("Captured by the test");
    const posted = admin.page.waitForRequest((r: Request) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
    await adminTenant.tokenDialog().getByRole("button", { name: "Generate" }).click();
    const captured = await posted;
    await expect(adminTenant.tokenDialog().getByRole("textbox", { name: "New provisioning token" })).toBeVisible();
    await admin.context.close();

    const countTokens = async () => Number((await seed.query<{ n: string }>("select count(*) as n from provisioning_tokens where tenant_id = $1", [acme.id]))[0].n);
    const before = await countTokens();

    const ro = await signedIn(browser, readOnly);
    const page = ro.page;
    const mutating = page.getByRole("button", {
      name: /^(\+ |New tenant|Save|Generate|Revoke|Delete|Activate|Deactivate|Grant role|Change role|Sign out everywhere|Import$|Create )/,
    });

    await page.goto("/tenants");
    await expect(page.getByRole("heading", { level: 1, name: "Tenants" })).toBeVisible();
    await expect(mutating).toHaveCount(0);
    // Other specs add hundreds of tenants to this server: the list is paged, so search for it.
    await page.goto("/tenants?q=Acme");
    await expect(page.getByRole("link", { name: "Acme Corp" })).toBeVisible();
    await expect(mutating).toHaveCount(0);

    await page.goto(`/tenants/${acme.id}`);
    await expect(page.getByRole("heading", { level: 1, name: "Acme Corp" })).toBeVisible();
    await expect(new TenantDetailPage(page).tokenTable()).toBeVisible();
    await expect(mutating).toHaveCount(0);
    // The tenant's settings have their own page: shown, never editable.
    await page.goto(`/tenants/${acme.id}/settings`);
    await expect(page.getByLabel("Name", { exact: true })).toBeDisabled();

    await page.goto(`/users?tenantId=${acme.id}`);
    await expect(new UsersPage(page).table()).toBeVisible();
    await expect(page.getByRole("link", { name: "+ Add user" })).toHaveCount(0);
    await expect(mutating).toHaveCount(0);

    await page.goto(`/users/${scimUser.id}`);
    await expect(page.getByText("Account Source: SCIM")).toBeVisible();
    await expect(mutating).toHaveCount(0);

    await page.goto("/identity-providers");
    await expect(page.getByRole("heading", { level: 1, name: "Identity Providers" })).toBeVisible();
    await expect(page.getByRole("link", { name: "+ Add Identity Provider" })).toHaveCount(0);

    await page.goto(`/identity-providers/${idpId}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Entra (read-only check)");
    await expect(mutating).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Test sign-in" })).toHaveCount(0);
    await expect(page.getByLabel("Client ID")).toBeDisabled();

    await page.goto(`/groups/${group.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Gatehouse Admins");
    await expect(mutating).toHaveCount(0);

    // Replay the platform admin's captured "Generate" POST with the read-only admin's cookies.
    const cookies = (await ro.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const headers = { ...captured.headers(), cookie: cookies, origin: new URL(baseURL!).origin };
    const api = await playwright.request.newContext({ baseURL });
    const url = new URL(captured.url());
    const replay = await api.post(url.pathname + url.search, { headers, data: captured.postDataBuffer()!, maxRedirects: 0 });
    const body = await replay.text();
    expect(body).not.toMatch(/"token":"[^"]+"/);
    expect(body).toMatch(/not allowed|permission|read-only|forbidden/i);
    expect(await countTokens()).toBe(before);
    // The refusal is on record.
    const [refusal] = await seed.query<{ outcome: string }>(
      "select outcome from audit_events where actor_label = $1 order by created_at desc limit 1",
      [readOnly.email],
    );
    expect(refusal?.outcome).toBe("failure");
    await api.dispose();
    await ro.context.close();
  });
});

test("the account menu's sign-out is the one sign-out: the session ends and auth.sign_out is in the activity log", async ({ page, baseURL }) => {
  await new LoginPage(page).signIn(e2eAdmin);
  await expect(page).toHaveURL(`${baseURL}/dashboard`);
  await page.getByRole("button", { name: /^Account menu for / }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${baseURL}/login?signedOut=1`);
  await page.goto("/tenants");
  await expect(page).toHaveURL(new RegExp(`^${baseURL}/login\\?callbackUrl=`));

  await new LoginPage(page).signIn(e2eAdmin);
  await page.goto("/activity?action=auth.sign_out");
  const signOut = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "auth.sign_out", exact: true }) });
  await expect(signOut.filter({ hasText: e2eAdmin.email }).first()).toBeVisible();
});
