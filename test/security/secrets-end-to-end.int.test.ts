import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rowsOf, setupTestDatabase, testDriver } from "@/test/harness";
import { scimClient } from "@/test/scim/client";
import { provisioningTokens, users } from "@/lib/db/schema";
import { gatehouseAdapter } from "@/lib/auth/config";
import { linkSsoAccount } from "@/lib/db/queries/sso";
import { createProvisioningToken } from "@/lib/db/queries/tokens";
import { verifyPassword } from "@/lib/crypto/password";
import { nextOutcome } from "./console-session";
import { signInPlatformAdmin } from "./signed-in-admin";

// Mocked: only Next's request context (see console-session.ts). Every write below goes
// through the code path the product uses: server actions, SCIM route handlers, the SSO
// account link (lib/db/queries/sso.ts, called from the Auth.js signIn callback) and the
// Auth.js adapter's linkAccount.
vi.mock("next/headers", async () => (await import("./console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("./console-session")).nextCache);

const tenantsActions = await import("@/app/(console)/tenants/actions");
const tokenActions = await import("@/app/(console)/tenants/token-actions");
const usersActions = await import("@/app/(console)/users/actions");
const idpActions = await import("@/app/(console)/identity-providers/actions");

const database = setupTestDatabase();

/** Everything the process printed while the scenario ran: console.* and raw stdout/stderr. */
const captured: string[] = [];
const restore: (() => void)[] = [];

function capture() {
  for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    const spy = vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      captured.push(args.map((a) => (a instanceof Error ? `${a.stack} ${JSON.stringify(a.cause ?? null)}` : typeof a === "string" ? a : safeJson(a))).join(" "));
    });
    restore.push(() => spy.mockRestore());
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return original(chunk as string, ...(rest as []));
    }) as typeof stream.write;
    restore.push(() => void (stream.write = original));
  }
}

function safeJson(value: unknown) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

const unique = (label: string) => `${label}-${randomBytes(12).toString("base64url")}`;

type ActionFn = (prev: unknown, input: Record<string, unknown>) => Promise<unknown>;
const answers: unknown[] = [];
async function act(action: ActionFn, input: Record<string, unknown>) {
  try {
    const state = (await action(null, input)) as { ok: boolean; data?: Record<string, unknown> };
    answers.push(state);
    return state;
  } catch (error) {
    const outcome = nextOutcome(error);
    if (outcome && "redirect" in outcome) return { ok: true, redirect: outcome.redirect, data: undefined };
    throw error;
  }
}

describe(`secrets end to end: no plaintext in any table, log or action answer (${testDriver()})`, () => {
  const secrets: Record<string, string> = {
    clientSecret: unique("entra-client-secret"),
    rotatedClientSecret: unique("entra-client-secret-rotated"),
    ssoRefreshToken: unique("sso-refresh-token"),
    ssoAccessToken: unique("sso-access-token"),
    adapterRefreshToken: unique("adapter-refresh-token"),
    guestPassword: unique("guest-password"),
    resetPassword: unique("reset-password"),
    scimPassword: unique("scim-password"),
  };
  let consoleToken = "";

  beforeAll(() => capture());
  afterAll(() => restore.forEach((undo) => undo()));

  it("runs a full scenario, then finds none of its secrets anywhere", async () => {
    await signInPlatformAdmin(database.db);

    // Tenant, then a provisioning token from the console (its one-time reveal is the action's answer).
    const created = await act(tenantsActions.createTenantAction, { name: "Contoso", slug: "contoso", domains: "contoso.test" });
    const tenantId = /\/tenants\/([0-9a-f-]{36})/.exec((created as { redirect: string }).redirect)![1];
    const expiresOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const generated = await act(tokenActions.generateTokenAction, { tenantId, name: "Entra provisioning", expiresOn });
    consoleToken = String(generated.data?.token);
    expect(consoleToken).toMatch(/^gh_scim_/);
    answers.pop(); // the one answer allowed to carry the token

    // Identity provider with a client secret, re-saved with a rotated one, activated.
    const idpForm = {
      tenantId,
      newIdpId: crypto.randomUUID(),
      type: "oidc",
      name: "Microsoft Entra ID",
      authMethod: "client_secret_basic",
      clientId: "11111111-2222-3333-4444-555555555555",
      clientSecret: secrets.clientSecret,
      authorizationUrl: "https://login.microsoftonline.com/t/oauth2/v2.0/authorize",
      tokenUrl: "https://login.microsoftonline.com/t/oauth2/v2.0/token",
      jwksUrl: "https://login.microsoftonline.com/t/discovery/v2.0/keys",
      issuer: "https://login.microsoftonline.com/t/v2.0",
      usernameAttribute: "preferred_username",
      secureJwks: "on",
      grantType: "authorization_code",
      scopes: "openid profile email offline_access",
      pkce: "on",
    };
    const saved = await act(idpActions.saveIdpAction, idpForm);
    const idpId = String(saved.data?.id);
    // A failing save (invalid URL) echoes the form back: the secret must not be in that echo.
    expect(await act(idpActions.saveIdpAction, { ...idpForm, idpId, tokenUrl: "not a url" })).toMatchObject({ ok: false });
    expect(await act(idpActions.saveIdpAction, { ...idpForm, idpId, clientSecret: secrets.rotatedClientSecret })).toMatchObject({ ok: true });
    expect(await act(idpActions.activateIdpAction, { tenantId, idpId, force: "on" })).toMatchObject({ ok: true });

    // A guest with a built-in password, then a password reset; a too-short password is refused and echoed.
    const guest = await act(usersActions.createUserAction, { tenantId, userName: "guest@contoso.test", loginMethod: "password", password: secrets.guestPassword });
    const guestId = String(guest.data?.id);
    expect(await act(usersActions.setLoginMethodAction, { tenantId, userId: guestId, loginMethod: "password", password: "short" })).toMatchObject({ ok: false });
    expect(await act(usersActions.setLoginMethodAction, { tenantId, userId: guestId, loginMethod: "password", password: secrets.resetPassword })).toMatchObject({ ok: true });
    const [stored] = await database.db.select({ hash: users.passwordHash }).from(users).where(sql`${users.id} = ${guestId}`);
    expect(await verifyPassword(secrets.resetPassword, stored.hash!)).toBe(true); // the hash is real, so the search below means something

    // SCIM with the console's token: a user (Entra may send a password attribute), a bad token, a revoked one.
    const scim = scimClient(tenantId, consoleToken);
    const scimUser = await scim.post("/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "megan@contoso.test",
      externalId: "oid-megan",
      active: true,
      password: secrets.scimPassword,
      emails: [{ type: "work", value: "megan@contoso.test", primary: true }],
    });
    expect(scimUser.status).toBe(201);
    const meganId: string = scimUser.body.id;
    expect(JSON.stringify(scimUser.body)).not.toContain(secrets.scimPassword);
    const second = await createProvisioningToken(tenantId, { name: "rotation", expiresAt: new Date(Date.now() + 86_400_000), createdBy: "test" });
    expect((await scimClient(tenantId, second.token.slice(0, -4) + "AAAA").get("/Users")).status).toBe(401);
    const [secondRow] = await database.db.select({ id: provisioningTokens.id }).from(provisioningTokens).where(sql`${provisioningTokens.name} = 'rotation'`);
    expect(await act(tokenActions.revokeTokenAction, { tenantId, tokenId: secondRow.id })).toMatchObject({ ok: true });
    expect((await scimClient(tenantId, second.token).get("/Users")).status).toBe(401);

    // SSO: the account link the signIn callback performs, and the adapter's own linkAccount.
    await linkSsoAccount(tenantId, meganId, {
      provider: `idp-${idpId}`,
      providerAccountId: "oid-megan",
      type: "oidc",
      tokens: { refresh_token: secrets.ssoRefreshToken, access_token: secrets.ssoAccessToken, token_type: "bearer", scope: "openid", expires_at: 1_900_000_000 } as never,
    });
    await gatehouseAdapter(database.db).linkAccount!({
      userId: guestId,
      type: "oidc",
      provider: `idp-${idpId}`,
      providerAccountId: "oid-guest",
      refresh_token: secrets.adapterRefreshToken,
      access_token: secrets.ssoAccessToken,
    } as never);

    // Dump every table.
    const tables = await database.tables();
    expect(tables).toEqual(expect.arrayContaining(["accounts", "identity_providers", "provisioning_tokens", "users", "audit_events", "sessions"]));
    let dump = "";
    for (const table of tables) {
      const result = await database.db.execute(sql.raw(`select t::text as row from "${table}" t`));
      dump += rowsOf<{ row: string }>(result).map((r) => r.row).join("\n") + "\n";
    }
    // The dump really covers what it searches: sealed refresh tokens, hashes, audit rows.
    const sealed = rowsOf<{ refresh_token: string | null }>(await database.db.execute(sql`select refresh_token from accounts`));
    expect(sealed).toHaveLength(2);
    for (const row of sealed) expect(dump).toContain(row.refresh_token!);
    expect(dump).toContain(stored.hash!);
    expect(dump).toContain("idp.updated");

    console.error("[capture-probe]"); // the capture is live: what the app prints is in `logs`
    const logs = captured.join("\n");
    expect(logs).toContain("[capture-probe]");
    const answered = JSON.stringify(answers);
    const everySecret = { ...secrets, consoleToken, rotationToken: second.token };
    for (const [name, secret] of Object.entries(everySecret)) {
      for (const needle of [secret, secret.slice(-20)]) {
        expect(dump.includes(needle), `${name} in the database dump`).toBe(false);
        expect(logs.includes(needle), `${name} in the captured logs`).toBe(false);
        expect(answered.includes(needle), `${name} in a console action's answer`).toBe(false);
      }
    }
  });
});
