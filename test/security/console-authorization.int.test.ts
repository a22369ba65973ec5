import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { accounts, auditEvents, groupMembers, groups, identityProviders, roleMappings, sessions, tenants, users } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { createProvisioningToken } from "@/lib/db/queries/tokens";
import { createApiKey } from "@/lib/db/queries/api-keys";
import { createLocalUser } from "@/lib/db/queries/users";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/config";
import { hashSessionToken } from "@/lib/auth/session-store";
import { newSessionToken, nextOutcome, serializeTree, setSessionCookie } from "./console-session";
import { idpForm as idpFormFixture } from "@/test/fixtures/idp";

// Mocked: only Next's request context (see console-session.ts). Auth.js, the adapter, the
// guards, the action wrapper, the pages' queries and the database are the real ones.
vi.mock("next/headers", async () => (await import("./console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("./console-session")).nextCache);

/**
 * Console authorization matrix (issue 7): every page of app/(console) and every server
 * action of app/(console)/**\/actions.ts × every kind of visitor. Only the allowed
 * combinations succeed; the others are sent to /login (signed out), /me (no console role),
 * a 404 (another tenant's page) or an action error, and neither see nor change tenant A's data.
 *
 * Not in the matrix, on purpose: `signOutAction` (lib/actions/sign-out.ts, the console menu's
 * and /me's) ends only the caller's own session, and app/(auth)/login/actions.ts is the
 * public sign-in, so neither has a role to check.
 */

const database = setupTestDatabase();
const MARK = "ZEBRA-A"; // appears in every piece of tenant A's data, and nowhere else

const ROLES = ["platformAdmin", "platformReadOnly", "tenantAdminA", "tenantAdminB", "tenantReadOnlyA", "endUserA", "signedOut"] as const;
type Role = (typeof ROLES)[number];

type Fixture = {
  tenantA: string;
  tenantB: string;
  userA: string;
  scimUserA: string;
  groupA: string;
  mappedGroupA: string;
  idpA: string;
  activeIdpA: string;
  tokenA: string;
  apiKeyA: string;
  platformKey: string;
  sessions: Record<Exclude<Role, "signedOut">, string>;
};

async function insertUser(tenantId: string | null, userName: string, extra: Partial<typeof users.$inferInsert> = {}) {
  const [row] = await database.db
    .insert(users)
    .values({ tenantId, userName, userNameNormalized: userName.toLowerCase(), email: userName, ...extra })
    .returning({ id: users.id });
  return row.id;
}

async function signedIn(userId: string) {
  const token = newSessionToken();
  // A fresh session's full lifetime, so Auth.js has no reason to extend it (and change the row) on read.
  await database.db.insert(sessions).values({ sessionToken: hashSessionToken(token), userId, expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) });
  return token;
}

async function seed(): Promise<Fixture> {
  await database.reset();
  const tenantA = (await createTenant({ name: `${MARK} Corp`, slug: "zebra-a", domains: ["zebra-a.test"] })).id;
  const tenantB = (await createTenant({ name: "Bravo Ltd", slug: "bravo", domains: ["bravo.test"] })).id;
  const userA = (await createLocalUser(tenantA, { userName: `alice.${MARK}@zebra-a.test`, displayName: `Alice ${MARK}`, loginMethod: "sso" })).id;
  const scimUserA = await insertUser(tenantA, `scim.${MARK}@zebra-a.test`, { source: "scim", externalId: "oid-1" });
  const [groupA] = await database.db
    .insert(groups)
    .values({ tenantId: tenantA, displayName: `Finance ${MARK}`, displayNameNormalized: `finance ${MARK}`.toLowerCase() })
    .returning({ id: groups.id });
  const [mappedGroupA] = await database.db
    .insert(groups)
    .values({ tenantId: tenantA, displayName: `Admins ${MARK}`, displayNameNormalized: `admins ${MARK}`.toLowerCase() })
    .returning({ id: groups.id });
  await database.db.insert(groupMembers).values({ tenantId: tenantA, groupId: groupA.id, userId: userA });
  const idp = (name: string, status: "draft" | "active") => ({
    tenantId: tenantA,
    name,
    status,
    clientId: `client-${MARK}`,
    clientSecretEnc: encryptSecret("idp-secret-value"),
    authorizationUrl: "https://login.example.test/authorize",
    tokenUrl: "https://login.example.test/token",
    jwksUrl: "https://login.example.test/keys",
  });
  const [idpA] = await database.db.insert(identityProviders).values(idp(`Entra ${MARK}`, "draft")).returning({ id: identityProviders.id });
  const [activeIdpA] = await database.db.insert(identityProviders).values(idp(`Okta ${MARK}`, "active")).returning({ id: identityProviders.id });
  // Alice's Okta account, bound at her first sign-in: the user page can unbind it.
  await database.db.insert(accounts).values({ userId: userA, type: "oidc", provider: `idp-${activeIdpA.id}`, providerAccountId: `oid-${MARK}` });
  const { row: token } = await createProvisioningToken(tenantA, { name: `Sync ${MARK}`, expiresAt: new Date(Date.now() + 86_400_000 * 30), createdBy: "seed" });
  const { row: apiKeyA } = await createApiKey({ tenantId: tenantA }, { name: `App ${MARK}`, scope: "read", expiresAt: new Date(Date.now() + 86_400_000 * 30), createdBy: "seed" });
  const { row: platformKey } = await createApiKey({ tenantId: null, platform: true }, { name: "Directory sync", scope: "read", expiresAt: new Date(Date.now() + 86_400_000 * 30), createdBy: "seed" });

  // Tenant A's admin holds the role through a synced group (role_mappings), the way Entra grants it.
  const tenantAdminA = await insertUser(tenantA, "admin@zebra-a.test");
  await database.db.insert(groupMembers).values({ tenantId: tenantA, groupId: mappedGroupA.id, userId: tenantAdminA });
  await database.db.insert(roleMappings).values({ tenantId: tenantA, groupId: mappedGroupA.id, role: "tenant_admin" });

  return {
    tenantA,
    tenantB,
    userA,
    scimUserA,
    groupA: groupA.id,
    mappedGroupA: mappedGroupA.id,
    idpA: idpA.id,
    activeIdpA: activeIdpA.id,
    tokenA: token.id,
    apiKeyA: apiKeyA.id,
    platformKey: platformKey.id,
    sessions: {
      platformAdmin: await signedIn(await insertUser(null, "root@gatehouse.test", { consoleRole: "platform_admin" })),
      platformReadOnly: await signedIn(await insertUser(null, "auditor@gatehouse.test", { consoleRole: "read_only" })),
      tenantAdminA: await signedIn(tenantAdminA),
      tenantAdminB: await signedIn(await insertUser(tenantB, "admin@bravo.test", { consoleRole: "tenant_admin" })),
      tenantReadOnlyA: await signedIn(await insertUser(tenantA, "viewer@zebra-a.test", { consoleRole: "read_only" })),
      endUserA: await signedIn(await insertUser(tenantA, "bob@zebra-a.test")),
    },
  };
}

function actAs(fixture: Fixture, role: Role) {
  setSessionCookie(role === "signedOut" ? null : fixture.sessions[role]);
}

/** Every row of every table the console can change (audit_events is where refusals are recorded). */
async function snapshot() {
  const out: Record<string, unknown[]> = {};
  for (const table of await database.tables()) {
    if (table === "audit_events" || table === "__drizzle_migrations") continue;
    const result = await database.db.execute(sql.raw(`select * from "${table}"`));
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows).map((r) => JSON.stringify(r)).sort();
    out[table] = rows;
  }
  return out;
}

// ---------------------------------------------------------------- pages

type Expect = "ok" | "login" | "me" | "404" | "ok-without-A";
type PageModule = { default: (props: never) => unknown; generateMetadata?: (props: never) => Promise<unknown> };
type PageCase = { route: string; load: () => Promise<PageModule>; props: (f: Fixture) => unknown; expect: Record<Role, Expect> };

const search = (f: Fixture) => ({ searchParams: Promise.resolve({ tenantId: f.tenantA }) });
const readers = { platformAdmin: "ok", platformReadOnly: "ok", tenantAdminA: "ok", tenantReadOnlyA: "ok", endUserA: "me", signedOut: "login" } as const;
const writers = { ...readers, platformReadOnly: "404", tenantReadOnlyA: "404" } as const;

const PAGES: PageCase[] = [
  { route: "/dashboard", load: () => import("@/app/(console)/dashboard/page"), props: () => ({}), expect: { ...readers, tenantAdminB: "ok-without-A" } },
  { route: "/activity", load: () => import("@/app/(console)/activity/page"), props: search, expect: { ...readers, tenantAdminB: "404" } },
  { route: "/tenants", load: () => import("@/app/(console)/tenants/page"), props: () => ({ searchParams: Promise.resolve({}) }), expect: { ...readers, tenantAdminB: "ok-without-A" } },
  { route: "/tenants/[A]", load: () => import("@/app/(console)/tenants/[tenantId]/page"), props: (f) => ({ params: Promise.resolve({ tenantId: f.tenantA }) }), expect: { ...readers, tenantAdminB: "404" } },
  { route: "/tenants/[A]/api-keys", load: () => import("@/app/(console)/tenants/[tenantId]/api-keys/page"), props: (f) => ({ params: Promise.resolve({ tenantId: f.tenantA }) }), expect: { ...readers, tenantAdminB: "404" } },
  // Platform keys name no tenant: platform roles see them, nobody else learns they exist.
  { route: "/api-keys", load: () => import("@/app/(console)/api-keys/page"), props: () => ({}), expect: { platformAdmin: "ok-without-A", platformReadOnly: "ok-without-A", tenantAdminA: "404", tenantAdminB: "404", tenantReadOnlyA: "404", endUserA: "me", signedOut: "login" } },
  { route: "/tenants/[A]/settings", load: () => import("@/app/(console)/tenants/[tenantId]/settings/page"), props: (f) => ({ params: Promise.resolve({ tenantId: f.tenantA }) }), expect: { ...readers, tenantAdminB: "404" } },
  { route: "/tenants/[A]/webhooks", load: () => import("@/app/(console)/tenants/[tenantId]/webhooks/page"), props: (f) => ({ params: Promise.resolve({ tenantId: f.tenantA }) }), expect: { ...readers, tenantAdminB: "404" } },
  { route: "/users", load: () => import("@/app/(console)/users/page"), props: search, expect: { ...readers, tenantAdminB: "404" } },
  { route: "/users/new", load: () => import("@/app/(console)/users/new/page"), props: search, expect: { ...writers, tenantAdminB: "404" } },
  { route: "/users/[A user]", load: () => import("@/app/(console)/users/[userId]/page"), props: (f) => ({ params: Promise.resolve({ userId: f.userA }) }), expect: { ...readers, tenantAdminB: "404" } },
  { route: "/groups", load: () => import("@/app/(console)/groups/page"), props: search, expect: { ...readers, tenantAdminB: "404" } },
  { route: "/groups/[A group]", load: () => import("@/app/(console)/groups/[groupId]/page"), props: (f) => ({ params: Promise.resolve({ groupId: f.groupA }), searchParams: Promise.resolve({}) }), expect: { ...readers, tenantAdminB: "404" } },
  { route: "/identity-providers", load: () => import("@/app/(console)/identity-providers/page"), props: search, expect: { ...readers, tenantAdminB: "404" } },
  { route: "/identity-providers/new", load: () => import("@/app/(console)/identity-providers/new/page"), props: search, expect: { ...writers, tenantAdminB: "404" } },
  { route: "/identity-providers/[A idp]", load: () => import("@/app/(console)/identity-providers/[idpId]/page"), props: (f) => ({ params: Promise.resolve({ idpId: f.idpA }) }), expect: { ...readers, tenantAdminB: "404" } },
];

async function renderPage(page: PageCase, fixture: Fixture): Promise<{ redirect: string } | { status: 404 } | { html: string }> {
  const mod = await page.load();
  try {
    return { html: await serializeTree(await mod.default(page.props(fixture) as never)) };
  } catch (error) {
    const outcome = nextOutcome(error);
    if (!outcome) throw error;
    return outcome;
  }
}

describe(`console pages × roles (${testDriver()})`, () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await seed();
  });

  it("enumerates every page under app/(console)", async () => {
    const { readdirSync } = await import("node:fs");
    const onDisk = readdirSync("app/(console)", { recursive: true }).filter((f) => String(f).endsWith("page.tsx")).length;
    expect(PAGES).toHaveLength(onDisk);
  });

  for (const page of PAGES) {
    for (const role of ROLES) {
      const expected = page.expect[role];
      it(`${page.route} as ${role} → ${expected}`, async () => {
        actAs(fixture, role);
        const before = await snapshot();
        const result = await renderPage(page, fixture);
        if (expected === "login" || expected === "me") expect(result).toEqual({ redirect: `/${expected}` });
        else if (expected === "404") expect(result).toEqual({ status: 404 });
        else {
          expect(result).toHaveProperty("html");
          const html = (result as { html: string }).html;
          // /users/new and /identity-providers/new show the tenant by name only in the page header.
          if (expected === "ok") expect(html).toContain(MARK);
          else expect(html).not.toContain(MARK);
        }
        // The page's <title> is resolved on its own (generateMetadata): it must not name tenant A either.
        const mod = await page.load();
        if (mod.generateMetadata) {
          const title = JSON.stringify(await mod.generateMetadata(page.props(fixture) as never));
          if (expected === "ok") expect(title).toContain(MARK);
          else expect(title).not.toContain(MARK);
        }
        expect(await snapshot()).toEqual(before);
      });
    }
  }
});

// ---------------------------------------------------------------- actions

type ActionModule = Record<string, (prev: unknown, input: Record<string, unknown>) => Promise<{ ok: boolean; error?: string }>>;
type ActionCase = {
  name: string;
  file: string;
  load: () => Promise<unknown>;
  platformOnly?: boolean;
  input: (f: Fixture) => Record<string, unknown>;
  /** For an allowed role: did the write happen? */
  applied: (f: Fixture) => Promise<boolean>;
};

const FORBIDDEN = "You do not have permission to do that.";
const tomorrowPlus = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const idpForm = (f: Fixture) => idpFormFixture({ tenantId: f.tenantA, name: "Injected IdP", clientId: "client", clientSecret: "injected-secret-value" });
const one = async <T>(query: Promise<T[]>) => (await query)[0];
const q = () => database.db;
const users$ = (id: string) => one(q().select().from(users).where(sql`${users.id} = ${id}`));
const idp$ = (id: string) => one(q().select().from(identityProviders).where(sql`${identityProviders.id} = ${id}`));
const tenants$ = (id: string) => one(q().select().from(tenants).where(sql`${tenants.id} = ${id}`));
const token$ = async (id: string) => (await q().execute(sql`select revoked_at from provisioning_tokens where id = ${id}`)) as unknown;
const rowsOf = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];

const tenantsActions = () => import("@/app/(console)/tenants/actions");
const tokenActions = () => import("@/app/(console)/tenants/token-actions");
const usersActions = () => import("@/app/(console)/users/actions");
const idpActions = () => import("@/app/(console)/identity-providers/actions");
const groupsActions = () => import("@/app/(console)/groups/actions");
const apiKeyActions = () => import("@/app/(console)/api-keys/actions");
const apiKey$ = async (id: string) => rowsOf(await q().execute(sql`select revoked_at from api_keys where id = ${id}`))[0]?.revoked_at != null;

const ACTIONS: ActionCase[] = [
  { name: "createTenantAction", file: "tenants", load: tenantsActions, platformOnly: true, input: () => ({ name: "New Co", slug: "new-co", domains: "" }), applied: async () => rowsOf(await q().execute(sql`select 1 from tenants where slug = 'new-co'`)).length === 1 },
  { name: "updateTenantAction", file: "tenants", load: tenantsActions, input: (f) => ({ tenantId: f.tenantA, name: "Renamed", slug: "zebra-a", domains: "zebra-a.test", userLinking: "link", defaultTokenDays: "30", jitProvisioning: "" }), applied: async (f) => (await tenants$(f.tenantA)).name === "Renamed" },
  { name: "deleteTenantAction", file: "tenants", load: tenantsActions, platformOnly: true, input: (f) => ({ tenantId: f.tenantA }), applied: async (f) => !(await tenants$(f.tenantA)) },
  { name: "generateTokenAction", file: "tenants/token-actions", load: tokenActions, input: (f) => ({ tenantId: f.tenantA, name: "Injected", expiresOn: tomorrowPlus(10) }), applied: async () => rowsOf(await q().execute(sql`select 1 from provisioning_tokens where name = 'Injected'`)).length === 1 },
  { name: "revokeTokenAction", file: "tenants/token-actions", load: tokenActions, input: (f) => ({ tenantId: f.tenantA, tokenId: f.tokenA }), applied: async (f) => rowsOf(await token$(f.tokenA))[0]?.revoked_at != null },
  { name: "deleteTokenAction", file: "tenants/token-actions", load: tokenActions, input: (f) => ({ tenantId: f.tenantA, tokenId: f.tokenA }), applied: async (f) => rowsOf(await token$(f.tokenA)).length === 0 },
  { name: "createTenantApiKeyAction", file: "api-keys", load: apiKeyActions, input: (f) => ({ tenantId: f.tenantA, name: "Injected key", scope: "read-write", expiresOn: tomorrowPlus(10) }), applied: async () => rowsOf(await q().execute(sql`select 1 from api_keys where name = 'Injected key'`)).length === 1 },
  { name: "revokeTenantApiKeyAction", file: "api-keys", load: apiKeyActions, input: (f) => ({ tenantId: f.tenantA, keyId: f.apiKeyA }), applied: async (f) => apiKey$(f.apiKeyA) },
  { name: "createPlatformApiKeyAction", file: "api-keys", load: apiKeyActions, platformOnly: true, input: () => ({ name: "Injected platform key", scope: "read", expiresOn: tomorrowPlus(10) }), applied: async () => rowsOf(await q().execute(sql`select 1 from api_keys where platform and name = 'Injected platform key'`)).length === 1 },
  { name: "revokePlatformApiKeyAction", file: "api-keys", load: apiKeyActions, platformOnly: true, input: (f) => ({ keyId: f.platformKey }), applied: async (f) => apiKey$(f.platformKey) },
  { name: "saveIdpAction", file: "identity-providers", load: idpActions, input: (f) => ({ ...idpForm(f), idpId: f.idpA }), applied: async (f) => (await idp$(f.idpA)).name === "Injected IdP" },
  { name: "activateIdpAction", file: "identity-providers", load: idpActions, input: (f) => ({ tenantId: f.tenantA, idpId: f.idpA, force: "on" }), applied: async (f) => (await idp$(f.idpA)).status === "active" },
  { name: "deactivateIdpAction", file: "identity-providers", load: idpActions, input: (f) => ({ tenantId: f.tenantA, idpId: f.activeIdpA }), applied: async (f) => (await idp$(f.activeIdpA)).status === "inactive" },
  { name: "deleteIdpAction", file: "identity-providers", load: idpActions, input: (f) => ({ tenantId: f.tenantA, idpId: f.idpA }), applied: async (f) => !(await idp$(f.idpA)) },
  // Makes the server fetch a URL, so writers only; a URL nothing listens on keeps the test offline.
  { name: "discoverIdpAction", file: "identity-providers", load: idpActions, input: (f) => ({ tenantId: f.tenantA, source: "http://127.0.0.1:9/.well-known/openid-configuration" }), applied: async () => true },
  { name: "createUserAction", file: "users", load: usersActions, input: (f) => ({ tenantId: f.tenantA, userName: "mallory@zebra-a.test", loginMethod: "password", password: "correct-horse-battery" }), applied: async () => rowsOf(await q().execute(sql`select 1 from users where user_name = 'mallory@zebra-a.test'`)).length === 1 },
  { name: "updateUserAction", file: "users", load: usersActions, input: (f) => ({ tenantId: f.tenantA, userId: f.userA, userName: `alice.${MARK}@zebra-a.test`, displayName: "Hijacked" }), applied: async (f) => (await users$(f.userA)).name === "Hijacked" },
  { name: "setLoginMethodAction", file: "users", load: usersActions, input: (f) => ({ tenantId: f.tenantA, userId: f.userA, loginMethod: "password", password: "correct-horse-battery" }), applied: async (f) => (await users$(f.userA)).loginMethod === "password" },
  { name: "setUserActiveAction", file: "users", load: usersActions, input: (f) => ({ tenantId: f.tenantA, userId: f.userA, active: "false" }), applied: async (f) => (await users$(f.userA)).active === false },
  { name: "signOutEverywhereAction", file: "users", load: usersActions, input: (f) => ({ tenantId: f.tenantA, userId: f.userA }), applied: async () => true },
  { name: "unbindSsoAccountAction", file: "users", load: usersActions, input: (f) => ({ tenantId: f.tenantA, userId: f.userA, provider: `idp-${f.activeIdpA}` }), applied: async (f) => rowsOf(await q().execute(sql`select 1 from accounts where user_id = ${f.userA}`)).length === 0 },
  { name: "deleteUserAction", file: "users", load: usersActions, input: (f) => ({ tenantId: f.tenantA, userId: f.userA }), applied: async (f) => !(await users$(f.userA)) },
  { name: "grantRoleAction", file: "groups", load: groupsActions, input: (f) => ({ tenantId: f.tenantA, groupId: f.groupA, role: "tenant_admin" }), applied: async (f) => rowsOf(await q().execute(sql`select 1 from role_mappings where group_id = ${f.groupA}`)).length === 1 },
  { name: "removeRoleAction", file: "groups", load: groupsActions, input: (f) => ({ tenantId: f.tenantA, groupId: f.mappedGroupA }), applied: async (f) => rowsOf(await q().execute(sql`select 1 from role_mappings where group_id = ${f.mappedGroupA}`)).length === 0 },
];

function allowed(action: ActionCase, role: Role) {
  return action.platformOnly ? role === "platformAdmin" : role === "platformAdmin" || role === "tenantAdminA";
}

async function invoke(action: ActionCase, fixture: Fixture): Promise<{ ok: boolean; error?: string; redirect?: string }> {
  const mod = (await action.load()) as ActionModule;
  try {
    return await mod[action.name](null, action.input(fixture));
  } catch (error) {
    const outcome = nextOutcome(error);
    if (outcome && "redirect" in outcome) return { ok: true, redirect: outcome.redirect };
    throw error;
  }
}

describe(`console server actions × roles (${testDriver()})`, () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await seed();
  });

  it("enumerates every exported action of app/(console)/*/actions.ts", async () => {
    const exported: string[] = [];
    for (const load of [tenantsActions, tokenActions, usersActions, idpActions, groupsActions, apiKeyActions]) {
      exported.push(...Object.entries((await load()) as Record<string, unknown>).filter(([, v]) => typeof v === "function").map(([k]) => k));
    }
    expect(ACTIONS.map((a) => a.name).sort()).toEqual(exported.sort());
  });

  for (const action of ACTIONS) {
    for (const role of ROLES) {
      const may = allowed(action, role);
      it(`${action.file}/${action.name} as ${role} → ${may ? "allowed" : "refused"}`, async () => {
        actAs(fixture, role);
        const before = await snapshot();
        const auditBefore = (await q().select({ id: auditEvents.id }).from(auditEvents)).length;
        const result = await invoke(action, fixture);
        if (may) {
          expect(result.error).not.toBe(FORBIDDEN);
          if (action.name !== "discoverIdpAction") expect(result).toMatchObject({ ok: true });
          expect(await action.applied(fixture)).toBe(true);
        } else {
          expect(result).toMatchObject({ ok: false, error: FORBIDDEN });
          expect(JSON.stringify(result)).not.toContain(MARK);
          expect(await snapshot()).toEqual(before);
          const refusals = await q().select().from(auditEvents).where(sql`${auditEvents.id} > ${auditBefore}`);
          expect(refusals).toHaveLength(1);
          expect(refusals[0]).toMatchObject({ outcome: "failure", details: { reason: "forbidden" } });
        }
      });
    }
  }
});
