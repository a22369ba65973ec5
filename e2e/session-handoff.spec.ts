import { expect, test } from "@playwright/test";
import { generateApiKey } from "../lib/crypto/tokens";
import { startEntraLikeProvider, type EntraLikeProvider } from "./fixtures/oidc-provider";
import { seedingAvailable, SsoSeed } from "./fixtures/oidc-provider-seed";

// The session handoff in a real browser: a signed-out visitor asks for a handoff, signs in
// through the OpenID provider, comes back through the handoff to return_to with a one-time
// token, which the host's server exchanges once at GET /api/v1/session. return_to is on
// Gatehouse's own origin, since the e2e server is started without HOST_APP_ORIGINS.
// Run with: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx playwright test e2e/session-handoff.spec.ts

test.skip(!seedingAvailable(), "needs the PostgreSQL e2e server: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)");

let idp: EntraLikeProvider;
let seed: SsoSeed;
let baseURL: string;

test.beforeAll(async ({}, testInfo) => {
  baseURL = String(testInfo.project.use.baseURL);
  idp = await startEntraLikeProvider({ appOrigin: baseURL });
  seed = await SsoSeed.connect();
});

test.afterAll(async () => {
  await seed?.close();
  await idp?.close();
});

test("signed out → sign-in through the IdP → back through the handoff with a token that exchanges once", async ({ page, request }) => {
  const tenant = await seed.tenant();
  const person = idp.addUser({ username: `ada@${tenant.slug}.test`, name: "Ada Lovelace" });
  const userId = await seed.user(tenant.id, { userName: person.username, externalId: person.oid, name: "Ada Lovelace" });
  await seed.identityProvider(tenant.id, idp);
  const key = generateApiKey();
  await seed.query(
    `insert into api_keys (tenant_id, name, key_hash, prefix, last4, scope, created_by, expires_at) values ($1, 'e2e host', $2, $3, $4, 'read', 'e2e', now() + interval '1 day')`,
    [tenant.id, key.hash, key.prefix, key.last4],
  );

  const returnTo = `${baseURL}/me?from=host`;
  await page.goto(`/api/session/handoff?return_to=${encodeURIComponent(returnTo)}`);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await page.getByLabel("Email").fill(person.username);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Email, phone, or Skype").fill(person.username);
  await page.getByRole("button", { name: "Next" }).click();

  await page.waitForURL((url) => url.pathname === "/me" && url.searchParams.has("gatehouse_token"));
  const landed = new URL(page.url());
  expect(landed.searchParams.get("from")).toBe("host");
  const token = landed.searchParams.get("gatehouse_token")!;
  expect(token).toMatch(/^gh_st_[A-Za-z0-9_-]{43}$/);

  const headers = { authorization: `Bearer ${key.token}`, "x-gatehouse-token": token };
  const exchanged = await request.get("/api/v1/session", { headers });
  expect(exchanged.status()).toBe(200);
  expect(await exchanged.json()).toMatchObject({ user: { id: userId, userName: person.username }, tenant: { id: tenant.id } });
  expect((await request.get("/api/v1/session", { headers })).status()).toBe(404);

  // Still signed in, a second handoff passes straight through with a new token; another origin is refused.
  await page.goto(`/api/session/handoff?return_to=${encodeURIComponent(returnTo)}`);
  await page.waitForURL((url) => url.pathname === "/me" && url.searchParams.has("gatehouse_token"));
  expect(new URL(page.url()).searchParams.get("gatehouse_token")).not.toBe(token);
  const refused = await page.request.get(`/api/session/handoff?return_to=${encodeURIComponent("https://evil.example/")}`, { maxRedirects: 0 });
  expect(refused.status()).toBe(400);
  expect(refused.headers()["location"]).toBeUndefined();
});
