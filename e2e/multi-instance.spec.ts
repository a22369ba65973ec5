import { expect, test, type Browser } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";
import { startEntraLikeProvider } from "./fixtures/oidc-provider";
import { SsoSeed } from "./fixtures/oidc-provider-seed";
import { ServerProcess } from "./fixtures/server-process";
import { LoginPage } from "./pages/login";
import { TenantDetailPage } from "./pages/tenants";

// Two Gatehouse servers on one PostgreSQL database, reached on two ports with no proxy in
// front: what any load balancer does. Whatever one instance decides (a rate-limit count, a
// session, a deactivation, a revocation, a uniqueness check) the other must honour at once.

test.skip(!process.env.TEST_DATABASE_URL, "two instances share one PostgreSQL database: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)");
test.describe.configure({ timeout: 60_000 });

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

let a: ServerProcess;
let b: ServerProcess;
let db: SsoSeed;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // The e2e OpenID provider runs on http://127.0.0.1 beside the servers.
  a = await ServerProcess.create("postgres", { GATEHOUSE_ALLOW_LOOPBACK_IDP: "1" });
  b = await ServerProcess.sibling(a);
  a.cli(["admin", "create", "--email", e2eAdmin.email, "--password-stdin"], e2eAdmin.password);
  await Promise.all([a.start(), b.start()]);
  db = await SsoSeed.connect(a.env);
});

test.afterAll(async () => {
  await db?.close();
  await b?.dispose();
  await a?.dispose();
});

type Tenant = { id: string; slug: string; token: string; tokenName: string };

/** A tenant with a provisioning token, made by the CLI on the shared database; `settings` land before any SCIM request. */
async function tenantWithToken(settings: Record<string, unknown> = {}): Promise<Tenant> {
  const slug = `multi-${crypto.randomUUID().slice(0, 8)}`;
  const { id } = JSON.parse(a.cli(["tenant", "create", "--name", `Tenant ${slug}`, "--slug", slug, "--domain", `${slug}.test`, "--json"])) as { id: string };
  if (Object.keys(settings).length) await db.query(`update tenants set settings = settings || $2::jsonb where id = $1`, [id, JSON.stringify(settings)]);
  const tokenName = "Entra provisioning";
  const { token } = JSON.parse(a.cli(["token", "create", "--tenant", slug, "--name", tokenName, "--json"])) as { token: string };
  return { id, slug, token, tokenName };
}

async function scim(server: ServerProcess, tenant: Tenant, method: string, resource: string, body?: unknown, token = tenant.token) {
  const res = await fetch(`${server.origin}/scim/v2/${tenant.id}${resource}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json", accept: "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (text ? JSON.parse(text) : null) as Record<string, unknown> | null };
}

const scimUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER],
  userName,
  active: true,
  emails: [{ type: "work", primary: true, value: userName }],
  ...extra,
});

async function adminOn(browser: Browser, server: ServerProcess) {
  const context = await browser.newContext({ baseURL: server.origin });
  const page = await context.newPage();
  await new LoginPage(page).signIn(e2eAdmin);
  return { context, page };
}

/** Fixed windows start on the minute (lib/rate-limit.ts): begin a count well inside one. */
async function awayFromWindowEdge(seconds: number) {
  const intoWindow = Date.now() % 60_000;
  if (intoWindow > 60_000 - seconds * 1000) await new Promise((r) => setTimeout(r, 60_000 - intoWindow + 200));
}

test("the per-token SCIM rate limit is one count across both instances", async () => {
  const limit = 20;
  const tenant = await tenantWithToken({ scimRateLimitPerMinute: limit });
  const { token: burstToken } = JSON.parse(a.cli(["token", "create", "--tenant", tenant.slug, "--name", "Burst", "--json"])) as { token: string };
  // Each request is allowed only with a slot reserved in the shared database (lib/rate-limit.ts):
  // both instances together allow exactly the limit, never one more, never one fewer.
  await awayFromWindowEdge(15);

  // Requests alternating between the instances, as a round-robin balancer sends them.
  const alternating: { server: string; status: number; retryAfter: string | null }[] = [];
  for (let i = 0; i < 2 * limit; i++) {
    const server = i % 2 === 0 ? a : b;
    const res = await scim(server, tenant, "GET", "/Users?count=1");
    alternating.push({ server: server === a ? "A" : "B", status: res.status, retryAfter: res.retryAfter });
  }
  const accepted = alternating.filter((r) => r.status === 200).length;
  expect(accepted, JSON.stringify(alternating.map((r) => `${r.server}${r.status}`))).toBe(limit);
  const refused = alternating.slice(accepted);
  expect(refused.every((r) => r.status === 429), "once over the limit, every request is refused").toBe(true);
  expect(new Set(refused.map((r) => r.server))).toEqual(new Set(["A", "B"]));
  for (const r of refused) expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);

  // The same budget sent to both instances at once.
  const burst = await Promise.all(
    Array.from({ length: 2 * limit }, (_, i) => scim(i % 2 === 0 ? a : b, tenant, "GET", "/Users?count=1", undefined, burstToken)),
  );
  expect(burst.filter((r) => r.status === 200)).toHaveLength(limit);
  expect(burst.filter((r) => r.status === 429)).toHaveLength(limit);

  // Above 100 a minute an instance reserves slots in batches; both together still stop at the limit.
  const large = await tenantWithToken({ scimRateLimitPerMinute: 150 });
  await awayFromWindowEdge(20);
  const largeBurst = await Promise.all(Array.from({ length: 300 }, (_, i) => scim(i % 2 === 0 ? a : b, large, "GET", "/Users?count=1")));
  expect(largeBurst.filter((r) => r.status === 200)).toHaveLength(150);
  expect(largeBurst.filter((r) => r.status === 429)).toHaveLength(150);
});

test("a session started on one instance is the other's too, and signing out on either ends it on both", async ({ browser }) => {
  const { context, page } = await adminOn(browser, a);
  await expect(page).toHaveURL(`${a.origin}/dashboard`);

  // Browsers scope cookies by host, not port: B receives A's session cookie.
  await page.goto(`${b.origin}/tenants`);
  await expect(page).toHaveURL(`${b.origin}/tenants`);
  await expect(page.getByRole("heading", { level: 1, name: "Tenants" })).toBeVisible();

  await page.getByRole("button", { name: /^Account menu for / }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(new RegExp(`^${b.origin}/login`));

  await page.goto(`${a.origin}/tenants`);
  await expect(page).toHaveURL(new RegExp(`^${a.origin}/login\\?callbackUrl=`));
  await context.close();
});

test("a user deactivated by SCIM on one instance is signed out on the other at their next request", async ({ browser }) => {
  const idp = await startEntraLikeProvider({ appOrigin: a.origin });
  try {
    const tenant = await tenantWithToken();
    const person = idp.addUser({ username: `ada@${tenant.slug}.test`, name: "Ada Lovelace" });
    // Entra provisions through B, with the object ID as externalId.
    const created = await scim(b, tenant, "POST", "/Users", scimUser(person.username, { externalId: person.oid, displayName: "Ada Lovelace" }));
    expect(created.status).toBe(201);
    await db.identityProvider(tenant.id, idp);

    const context = await browser.newContext({ baseURL: a.origin });
    const page = await context.newPage();
    await page.goto(`/t/${tenant.slug}/login`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await page.getByLabel("Email, phone, or Skype").fill(person.username);
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page).toHaveURL(`${a.origin}/me`);
    await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
    await page.goto(`${b.origin}/me`);
    await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
    await page.goto(`${a.origin}/me`);
    await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();

    const deactivated = await scim(b, tenant, "PATCH", `/Users/${created.body!.id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "active", value: false }],
    });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body!.active).toBe(false);

    await page.goto(`${a.origin}/me`);
    await expect(page).toHaveURL(new RegExp(`^${a.origin}/login`));
    await expect(page.getByRole("heading", { name: "Ada Lovelace" })).toHaveCount(0);
    await context.close();
  } finally {
    await idp.close();
  }
});

test("an SSO sign-in started on one instance completes on the other behind the same public address", async ({ browser }) => {
  // Behind a balancer both instances answer on one address (A's, here) and any of them may get the callback.
  const behindA = await ServerProcess.sibling(a, { APP_URL: a.origin, AUTH_URL: a.origin });
  const idp = await startEntraLikeProvider({ appOrigin: a.origin });
  try {
    await behindA.start();
    const tenant = await tenantWithToken();
    const person = idp.addUser({ username: `grace@${tenant.slug}.test`, name: "Grace Hopper" });
    expect((await scim(a, tenant, "POST", "/Users", scimUser(person.username, { externalId: person.oid }))).status).toBe(201);
    await db.identityProvider(tenant.id, idp);

    const context = await browser.newContext({ baseURL: a.origin });
    const page = await context.newPage();
    const held = idp.holdNextCallback();
    await page.goto(`/t/${tenant.slug}/login`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await page.getByLabel("Email, phone, or Skype").fill(person.username);
    await page.getByRole("button", { name: "Next" }).click();
    const callback = new URL(await held);
    expect(callback.origin).toBe(a.origin);

    // The state, nonce and PKCE cookies A set travel with the callback the balancer hands to the other instance.
    await page.goto(`${behindA.origin}${callback.pathname}${callback.search}`);
    await expect(page).toHaveURL(`${a.origin}/me`);
    await expect(page.getByRole("heading", { level: 1, name: "Grace Hopper" })).toBeVisible();
    await context.close();
  } finally {
    await idp.close();
    await behindA.dispose();
  }
});

test("a token revoked in the console of one instance is refused by the other within a second", async ({ browser }) => {
  const tenant = await tenantWithToken();
  // B has just accepted the token: a lookup cache, if there were one, would hold it now.
  expect((await scim(b, tenant, "GET", "/Users?count=0")).status).toBe(200);

  const { context, page } = await adminOn(browser, a);
  const tenantPage = new TenantDetailPage(page);
  await tenantPage.goto(tenant.id);
  await tenantPage.revoke(tenant.tokenName);
  await expect(tenantPage.tokenRow(tenant.tokenName)).toContainText("Revoked");
  const revokedAt = Date.now();

  let refused = await scim(b, tenant, "GET", "/Users?count=0");
  while (refused.status !== 401 && Date.now() - revokedAt < 1000) refused = await scim(b, tenant, "GET", "/Users?count=0");
  expect(refused.status, "B still accepts a token revoked on A").toBe(401);
  expect(Date.now() - revokedAt).toBeLessThanOrEqual(1000);
  expect((await scim(a, tenant, "GET", "/Users?count=0")).status).toBe(401);
  await context.close();
});

test("concurrent SCIM writes to both instances: one winner per userName, every user and member lands, counters match", async ({ browser }) => {
  const tenant = await tenantWithToken();
  const distinct = 40;

  const [creates, twins] = await Promise.all([
    Promise.all(Array.from({ length: distinct }, (_, i) => scim(i % 2 === 0 ? a : b, tenant, "POST", "/Users", scimUser(`user${i}@${tenant.slug}.test`)))),
    Promise.all([a, b].map((server) => scim(server, tenant, "POST", "/Users", scimUser(`twin@${tenant.slug}.test`)))),
  ]);
  expect(creates.map((r) => r.status)).toEqual(Array(distinct).fill(201));
  expect(twins.map((r) => r.status).sort()).toEqual([201, 409]);
  expect(twins.find((r) => r.status === 409)!.body).toMatchObject({ schemas: [ERROR], status: "409", scimType: "uniqueness" });

  const total = distinct + 1;
  const listed = await scim(b, tenant, "GET", "/Users?count=0");
  expect(listed.body!.totalResults).toBe(total);
  const [row] = await db.query<{ rows: number; counter: number }>(
    `select (select count(*)::int from users where tenant_id = $1) as rows, (select coalesce(sum(users), 0)::int from tenant_counters where tenant_id = $1) as counter`,
    [tenant.id],
  );
  expect(row).toEqual({ rows: total, counter: total });

  const { context, page } = await adminOn(browser, a);
  await new TenantDetailPage(page).goto(tenant.id);
  await expect(page.getByText(`${total} users`, { exact: true })).toBeVisible();
  await context.close();

  // Entra adds members one PATCH at a time; here both instances take them at once.
  const group = await scim(a, tenant, "POST", "/Groups", { schemas: [GROUP], displayName: "Engineering" });
  expect(group.status).toBe(201);
  const memberIds = creates.map((r) => String(r.body!.id));
  const adds = await Promise.all(
    memberIds.map((id, i) =>
      scim(i % 2 === 0 ? b : a, tenant, "PATCH", `/Groups/${group.body!.id}`, { schemas: [PATCH], Operations: [{ op: "add", path: "members", value: [{ value: id }] }] }),
    ),
  );
  expect(adds.map((r) => r.status)).toEqual(Array(distinct).fill(204));
  const members = await scim(b, tenant, "GET", `/Groups/${group.body!.id}`);
  expect(((members.body!.members ?? []) as { value: string }[]).map((m) => m.value).sort()).toEqual([...memberIds].sort());
  const [groupRow] = await db.query<{ rows: number; counter: number }>(
    `select (select count(*)::int from group_members where group_id = $1) as rows, member_count as counter from groups where id = $1`,
    [group.body!.id],
  );
  expect(groupRow).toEqual({ rows: distinct, counter: distinct });
});
