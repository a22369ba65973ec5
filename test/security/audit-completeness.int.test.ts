import { gt, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { scimClient } from "@/test/scim/client";
import { accounts, apiKeys, auditEvents, webhookEndpoints, identityProviders, provisioningTokens, sessions, tenants, users } from "@/lib/db/schema";
import { createProvisioningToken } from "@/lib/db/queries/tokens";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/config";
import { hashSessionToken } from "@/lib/auth/session-store";
import { tenantCommands } from "@/cli/commands/tenant";
import { tokenCommands } from "@/cli/commands/token";
import { apiKeyCommands } from "@/cli/commands/apikey";
import type { Output } from "@/cli/output";
import { newSessionToken, nextOutcome, setSessionCookie } from "./console-session";
import { idpForm as idpFormFixture } from "@/test/fixtures/idp";

// Mocked: only Next's request context (see console-session.ts). The console writes below run
// the real server actions (wrapper, guards, Auth.js session read, audit); SCIM writes run the
// real route handlers; CLI writes run the real `gatehouse` command implementations in-process.
vi.mock("next/headers", async () => (await import("./console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("./console-session")).nextCache);

const tenantsActions = await import("@/app/(console)/tenants/actions");
const tokenActions = await import("@/app/(console)/tenants/token-actions");
const usersActions = await import("@/app/(console)/users/actions");
const idpActions = await import("@/app/(console)/identity-providers/actions");
const groupsActions = await import("@/app/(console)/groups/actions");
const apiKeyActions = await import("@/app/(console)/api-keys/actions");
const webhookActions = await import("@/app/(console)/tenants/[tenantId]/webhooks/actions");

const database = setupTestDatabase();
const SCIM_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const SCIM_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type Expected = { action: string; tenantId: string | null; actorType: "admin" | "token" | "system"; actorId?: string; targetId?: string };

async function lastId() {
  const [row] = await database.db.select({ id: sql<string>`coalesce(max(${auditEvents.id}), 0)` }).from(auditEvents);
  return Number(row.id);
}

/**
 * Runs one write and requires exactly one new audit event for it, with actor, tenant and
 * outcome. `expect` is computed after the write, since some ids only exist afterwards.
 */
async function oneEvent<T>(write: () => Promise<T>, expected: (result: T) => Expected): Promise<T> {
  const before = await lastId();
  const result = await write();
  const want = expected(result);
  const events = await database.db.select().from(auditEvents).where(gt(auditEvents.id, before));
  expect(events.map((e) => e.action), `audit events written by ${want.action}`).toEqual([want.action]);
  const [event] = events;
  expect(event).toMatchObject({ tenantId: want.tenantId, actorType: want.actorType, outcome: "success" });
  expect(event.actorId ?? event.actorLabel, "an actor").toBeTruthy();
  if (want.actorId) expect(event.actorId).toBe(want.actorId);
  if (want.targetId) expect(event.targetId).toBe(want.targetId);
  return result;
}

type ActionResult = { ok: boolean; error?: string; data?: { id?: string; token?: string }; redirect?: string };
type ActionFn = (prev: unknown, input: Record<string, unknown>) => Promise<unknown>;

async function act(action: ActionFn, input: Record<string, unknown>): Promise<ActionResult> {
  try {
    const result = (await action(null, input)) as ActionResult;
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
    return result;
  } catch (error) {
    const outcome = nextOutcome(error);
    if (outcome && "redirect" in outcome) return { ok: true, redirect: outcome.redirect };
    throw error;
  }
}

function cliOutput(): Output & { results: Record<string, unknown>[] } {
  const results: Record<string, unknown>[] = [];
  return { json: true, results, result: (data) => void results.push(data as Record<string, unknown>), note: () => {} };
}

async function sessionFor(userId: string) {
  const token = newSessionToken();
  await database.db.insert(sessions).values({ sessionToken: hashSessionToken(token), userId, expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) });
  return token;
}

const idpForm = (tenantId: string) => idpFormFixture({ tenantId, newIdpId: crypto.randomUUID() });

describe(`audit completeness: every write leaves exactly one event (${testDriver()})`, () => {
  let adminId: string;
  let tenantId: string;
  let scimGroupId: string;

  beforeAll(async () => {
    const [admin] = await database.db
      .insert(users)
      .values({ tenantId: null, userName: "root@gatehouse.test", userNameNormalized: "root@gatehouse.test", email: "root@gatehouse.test", consoleRole: "platform_admin" })
      .returning({ id: users.id });
    adminId = admin.id;
    setSessionCookie(await sessionFor(adminId));
  });

  const byAdmin = (action: string, targetId?: string) => ({ action, tenantId, actorType: "admin" as const, actorId: adminId, targetId });

  it("console: tenant create/update, token create/revoke/delete", async () => {
    await oneEvent(
      async () => {
        const result = await act(tenantsActions.createTenantAction, { name: "Audited", slug: "audited", domains: "audited.test" });
        tenantId = /\/tenants\/([0-9a-f-]{36})/.exec(result.redirect ?? "")![1];
        return result;
      },
      () => byAdmin("tenant.created", tenantId),
    );
    await oneEvent(
      () => act(tenantsActions.updateTenantAction, { tenantId, name: "Audited Ltd", slug: "audited", domains: "audited.test", userLinking: "link", defaultTokenDays: "30", jitProvisioning: "" }),
      () => byAdmin("tenant.updated", tenantId),
    );
    const expiresOn = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await oneEvent(() => act(tokenActions.generateTokenAction, { tenantId, name: "Console token", expiresOn }), () => byAdmin("token.created"));
    const [token] = await database.db.select({ id: provisioningTokens.id }).from(provisioningTokens).where(sql`${provisioningTokens.name} = 'Console token'`);
    await oneEvent(() => act(tokenActions.revokeTokenAction, { tenantId, tokenId: token.id }), () => byAdmin("token.revoked", token.id));
    await oneEvent(() => act(tokenActions.deleteTokenAction, { tenantId, tokenId: token.id }), () => byAdmin("token.deleted", token.id));
  });

  it("console: API key create/revoke, tenant and platform", async () => {
    const expiresOn = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await oneEvent(() => act(apiKeyActions.createTenantApiKeyAction, { tenantId, name: "Console key", scope: "read", expiresOn }), () => byAdmin("api_key.created"));
    const [key] = await database.db.select({ id: apiKeys.id }).from(apiKeys).where(sql`${apiKeys.name} = 'Console key'`);
    await oneEvent(() => act(apiKeyActions.revokeTenantApiKeyAction, { tenantId, keyId: key.id }), () => byAdmin("api_key.revoked", key.id));
    await oneEvent(() => act(apiKeyActions.createPlatformApiKeyAction, { name: "Console platform key", scope: "read", expiresOn }), () => ({ ...byAdmin("platform_api_key.created"), tenantId: null }));
    const [platform] = await database.db.select({ id: apiKeys.id }).from(apiKeys).where(sql`${apiKeys.name} = 'Console platform key'`);
    await oneEvent(() => act(apiKeyActions.revokePlatformApiKeyAction, { keyId: platform.id }), () => ({ ...byAdmin("platform_api_key.revoked", platform.id), tenantId: null }));
  });

  it("console: webhook add, disable, enable, delete", async () => {
    await oneEvent(() => act(webhookActions.createWebhookAction, { tenantId, url: "https://hooks.example.com/gatehouse", eventTypes: "user.created" }), () => byAdmin("webhook.created"));
    const [hook] = await database.db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(sql`${webhookEndpoints.url} = 'https://hooks.example.com/gatehouse'`);
    await oneEvent(() => act(webhookActions.setWebhookEnabledAction, { tenantId, endpointId: hook.id, enabled: "false" }), () => byAdmin("webhook.disabled", hook.id));
    await oneEvent(() => act(webhookActions.setWebhookEnabledAction, { tenantId, endpointId: hook.id, enabled: "true" }), () => byAdmin("webhook.enabled", hook.id));
    await oneEvent(() => act(webhookActions.deleteWebhookAction, { tenantId, endpointId: hook.id }), () => byAdmin("webhook.deleted", hook.id));
  });

  it("console: identity provider save (create, update), activate, deactivate, delete", async () => {
    const created = await oneEvent(() => act(idpActions.saveIdpAction, idpForm(tenantId)), (r) => byAdmin("idp.created", r.data!.id));
    const idpId = created.data!.id!;
    await oneEvent(() => act(idpActions.saveIdpAction, { ...idpForm(tenantId), idpId, name: "Entra (prod)", clientSecret: "" }), () => byAdmin("idp.updated", idpId));
    await oneEvent(() => act(idpActions.activateIdpAction, { tenantId, idpId, force: "on" }), () => byAdmin("idp.activated", idpId));
    await oneEvent(() => act(idpActions.deactivateIdpAction, { tenantId, idpId }), () => byAdmin("idp.deactivated", idpId));
    await oneEvent(() => act(idpActions.deleteIdpAction, { tenantId, idpId }), () => byAdmin("idp.deleted", idpId));
  });

  it("console: local user create/update/password/sign-out everywhere/deactivate/reactivate/delete", async () => {
    const created = await oneEvent(
      () => act(usersActions.createUserAction, { tenantId, userName: "guest@audited.test", displayName: "Guest", loginMethod: "password", password: "correct-horse-battery-1" }),
      (r) => byAdmin("user.created", r.data!.id),
    );
    const userId = created.data!.id!;
    await oneEvent(() => act(usersActions.updateUserAction, { tenantId, userId, userName: "guest@audited.test", displayName: "Guest Two" }), () => byAdmin("user.updated", userId));
    // The person is signed in while the admin acts: the writes that end sessions are still one event each.
    await sessionFor(userId);
    await oneEvent(() => act(usersActions.setLoginMethodAction, { tenantId, userId, loginMethod: "password", password: "correct-horse-battery-2" }), () => byAdmin("user.password_set", userId));
    await sessionFor(userId);
    await sessionFor(userId);
    await oneEvent(() => act(usersActions.signOutEverywhereAction, { tenantId, userId }), () => byAdmin("user.sessions_revoked", userId));
    await sessionFor(userId);
    await oneEvent(() => act(usersActions.setUserActiveAction, { tenantId, userId, active: "false" }), () => byAdmin("user.deactivated", userId));
    expect(await database.db.select().from(sessions).where(sql`${sessions.userId} = ${userId}`)).toHaveLength(0);
    await oneEvent(() => act(usersActions.setUserActiveAction, { tenantId, userId, active: "true" }), () => byAdmin("user.reactivated", userId));
    await oneEvent(() => act(usersActions.deleteUserAction, { tenantId, userId }), () => byAdmin("user.deleted", userId));
  });

  it("console: unbinding a user's SSO account", async () => {
    const [idp] = await database.db
      .insert(identityProviders)
      .values({ tenantId, name: "Entra (binding)", clientId: "c", authorizationUrl: "https://idp.test/auth", tokenUrl: "https://idp.test/token", jwksUrl: "https://idp.test/jwks" })
      .returning();
    const [user] = await database.db.insert(users).values({ tenantId, userName: "bound@audited.test", userNameNormalized: "bound@audited.test", source: "scim" }).returning();
    await database.db.insert(accounts).values({ userId: user.id, type: "oidc", provider: `idp-${idp.id}`, providerAccountId: "00000000-0000-4000-8000-000000000001" });
    await oneEvent(() => act(usersActions.unbindSsoAccountAction, { tenantId, userId: user.id, provider: `idp-${idp.id}` }), () => byAdmin("user.sso_unbound", user.id));
  });

  it("CLI: tenant create, token create, token revoke", async () => {
    const system = (action: string, tenant: string | null) => ({ action, tenantId: tenant, actorType: "system" as const });
    const out = cliOutput();
    let cliTenant = "";
    await oneEvent(
      async () => {
        await tenantCommands.create.run({ values: { name: "From CLI", slug: "from-cli" }, positionals: [], out });
        const [row] = await database.db.select({ id: tenants.id }).from(tenants).where(sql`${tenants.slug} = 'from-cli'`);
        cliTenant = row.id;
      },
      () => system("tenant.created", cliTenant),
    );
    const created = await oneEvent(
      async () => {
        await tokenCommands.create.run({ values: { tenant: "from-cli", days: "5" }, positionals: [], out });
        return out.results.at(-1) as { id: string };
      },
      (r) => ({ ...system("token.created", cliTenant), targetId: r.id }),
    );
    await oneEvent(() => tokenCommands.revoke.run({ values: {}, positionals: [created.id], out }), () => ({ ...system("token.revoked", cliTenant), targetId: created.id }));
    const key = await oneEvent(
      async () => {
        await apiKeyCommands.create.run({ values: { tenant: "from-cli" }, positionals: [], out });
        return out.results.at(-1) as { id: string };
      },
      (r) => ({ ...system("api_key.created", cliTenant), targetId: r.id }),
    );
    await oneEvent(() => apiKeyCommands.revoke.run({ values: {}, positionals: [key.id], out }), () => ({ ...system("api_key.revoked", cliTenant), targetId: key.id }));
  });

  it("SCIM: user create/replace/patch/deactivate/delete, group create/replace/members add+remove/rename/delete", async () => {
    const { row: token, token: secret } = await createProvisioningToken(tenantId, { name: "Entra", expiresAt: new Date(Date.now() + 86_400_000), createdBy: "test" });
    const scim = scimClient(tenantId, secret);
    const byToken = (action: string, targetId?: string) => ({ action, tenantId, actorType: "token" as const, actorId: token.id, targetId });
    const newUser = (userName: string, externalId: string) => ({ schemas: [SCIM_USER], userName, externalId, active: true, name: { givenName: "Ada", familyName: "Lovelace" }, emails: [{ type: "work", value: userName, primary: true }] });

    const ada = await oneEvent(() => scim.post("/Users", newUser("ada@audited.test", "oid-ada")), (r) => byToken("scim.user.create", r.body.id));
    expect(ada.status).toBe(201);
    const adaId: string = ada.body.id;
    const bob = await oneEvent(() => scim.post("/Users", newUser("bob@audited.test", "oid-bob")), (r) => byToken("scim.user.create", r.body.id));
    const bobId: string = bob.body.id;

    expect((await oneEvent(() => scim.put(`/Users/${adaId}`, { ...newUser("ada@audited.test", "oid-ada"), displayName: "Ada L." }), () => byToken("scim.user.replace", adaId))).status).toBe(200);
    const patch = { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "name.givenName", value: "Augusta" }, { op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0100" }] };
    expect((await oneEvent(() => scim.patch(`/Users/${adaId}`, patch), () => byToken("scim.user.update", adaId))).status).toBe(200);

    const group = await oneEvent(() => scim.post("/Groups", { schemas: [SCIM_GROUP], displayName: "Engineering", externalId: "oid-eng" }), (r) => byToken("scim.group.create", r.body.id));
    scimGroupId = group.body.id;
    expect((await oneEvent(() => scim.put(`/Groups/${scimGroupId}`, { schemas: [SCIM_GROUP], displayName: "Engineering", externalId: "oid-eng", members: [{ value: adaId }] }), () => byToken("scim.group.replace", scimGroupId))).status).toBe(200);
    const add = { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: [{ value: bobId }] }] };
    expect((await oneEvent(() => scim.patch(`/Groups/${scimGroupId}`, add), () => byToken("scim.group.members", scimGroupId))).status).toBe(204);
    const remove = { schemas: [PATCH_OP], Operations: [{ op: "Remove", path: "members", value: [{ value: adaId }, { value: bobId }] }] };
    expect((await oneEvent(() => scim.patch(`/Groups/${scimGroupId}`, remove), () => byToken("scim.group.members", scimGroupId))).status).toBe(204);
    const rename = { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "displayName", value: "Platform Engineering" }] };
    expect((await oneEvent(() => scim.patch(`/Groups/${scimGroupId}`, rename), () => byToken("scim.group.update", scimGroupId))).status).toBeLessThan(300);

    // Console role mappings act on a synced group.
    await oneEvent(() => act(groupsActions.grantRoleAction, { tenantId, groupId: scimGroupId, role: "read_only" }), () => byAdmin("role_mapping.granted", scimGroupId));
    await oneEvent(() => act(groupsActions.removeRoleAction, { tenantId, groupId: scimGroupId }), () => byAdmin("role_mapping.removed", scimGroupId));

    expect((await oneEvent(() => scim.delete(`/Groups/${scimGroupId}`), () => byToken("scim.group.delete", scimGroupId))).status).toBe(204);

    // Deactivation in Entra ends the person's sessions in the same write: still one event.
    await sessionFor(adaId);
    const deactivate = { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] };
    expect((await oneEvent(() => scim.patch(`/Users/${adaId}`, deactivate), () => byToken("scim.user.deactivate", adaId))).status).toBe(200);
    expect(await database.db.select().from(sessions).where(sql`${sessions.userId} = ${adaId}`)).toHaveLength(0);
    expect((await oneEvent(() => scim.delete(`/Users/${adaId}`), () => byToken("scim.user.delete", adaId))).status).toBe(204);
  });

  it("console: tenant delete (the event outlives the tenant, at platform level)", async () => {
    const kept = await database.db.select({ id: auditEvents.id }).from(auditEvents).where(sql`${auditEvents.tenantId} = ${tenantId}`);
    expect(kept.length).toBeGreaterThan(20);
    await oneEvent(() => act(tenantsActions.deleteTenantAction, { tenantId }), () => ({ ...byAdmin("tenant.deleted", tenantId), tenantId: null }));
    // The tenant's history survives: the same rows, now with tenant_id null (ON DELETE SET NULL).
    const after = await database.db.select({ id: auditEvents.id, tenantId: auditEvents.tenantId }).from(auditEvents).where(sql`${auditEvents.id} in ${kept.map((k) => k.id)}`);
    expect(after).toHaveLength(kept.length);
    expect(after.every((row) => row.tenantId === null)).toBe(true);
  });
});

describe(`audit events are append-only (${testDriver()})`, () => {
  async function refused(statement: ReturnType<typeof sql>) {
    const error = await database.db.execute(statement).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, "the database refused the statement").not.toBeNull();
    expect(String((error as { cause?: unknown }).cause ?? error) + String(error)).toMatch(/append-only/);
  }

  it("refuses UPDATE and DELETE of audit events, even from the application's own database role", async () => {
    const [live] = await database.db
      .insert(tenants)
      .values({ name: "Live", slug: "live" })
      .returning({ id: tenants.id });
    await database.db.insert(auditEvents).values({ tenantId: live.id, actorType: "system", action: "probe", outcome: "success" });
    const [event] = await database.db.select().from(auditEvents).where(sql`${auditEvents.action} = 'probe'`);
    await refused(sql`update audit_events set outcome = 'failure' where id = ${event.id}`);
    await refused(sql`update audit_events set details = '{"edited":true}'::jsonb where id = ${event.id}`);
    // Only the foreign key's own SET NULL may touch tenant_id, and only once the tenant is gone.
    await refused(sql`update audit_events set tenant_id = null where id = ${event.id}`);
    await refused(sql`delete from audit_events where id = ${event.id}`);
    await refused(sql`delete from audit_events`);
    const [unchanged] = await database.db.select().from(auditEvents).where(sql`${auditEvents.id} = ${event.id}`);
    expect(unchanged).toEqual(event);
  });
});
