import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { Account } from "next-auth";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { identityProviders, users, type IdentityProvider } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { decideSsoSignIn, isNotProvisionedYet } from "./sso-sign-in";

const database = setupTestDatabase();

// An OAuth2-type IdP without an ID token decides on the UserInfo profile, so the tenant's
// "Match signed-in users by" setting is exercised without a JWKS.
describe(`sign-in decisions follow the tenant's ssoMatchBy (${testDriver()})`, () => {
  let idp: IdentityProvider;
  const account = { provider: "", type: "oauth", providerAccountId: "", access_token: "at" } as Account;

  async function setUp(ssoMatchBy?: "automatic" | "objectId" | "userName") {
    await database.reset();
    const tenant = await createTenant({ name: "Contoso", slug: "contoso", settings: ssoMatchBy ? { ssoMatchBy } : {} });
    [idp] = await database.db
      .insert(identityProviders)
      .values({ tenantId: tenant.id, type: "oauth2", name: "Entra", clientId: "c", authorizationUrl: "https://idp/auth", tokenUrl: "https://idp/token", jwksUrl: "https://idp/jwks", displayNameAttribute: null })
      .returning();
    await database.db.insert(users).values({ tenantId: tenant.id, userName: "megan@contoso.com", userNameNormalized: "megan@contoso.com", externalId: "megan", source: "scim" });
  }

  beforeEach(() => setUp());

  it("automatic (the default): the mailNickname externalId does not block the UPN match", async () => {
    const decision = await decideSsoSignIn(idp, account, { oid: randomUUID(), preferred_username: "Megan@contoso.com" }, true);
    expect(decision).toMatchObject({ ok: true, matchedBy: "userName", user: { userName: "megan@contoso.com" } });
  });

  it("objectId: refused with the reason code and an admin's explanation", async () => {
    await setUp("objectId");
    const oid = randomUUID();
    const decision = await decideSsoSignIn(idp, account, { oid, preferred_username: "megan@contoso.com" }, true);
    expect(decision).toMatchObject({ ok: false, reason: "not_provisioned", code: "no_match", detail: expect.stringContaining(oid) });
  });

  it("a Test sign-in before SCIM ran: verified claims naming nobody yet count as a working configuration", async () => {
    const nobodyYet = await decideSsoSignIn(idp, account, { oid: randomUUID(), preferred_username: "adele@contoso.com" }, true);
    expect(nobodyYet).toMatchObject({ ok: false, reason: "not_provisioned", code: "no_match" });
    expect(isNotProvisionedYet(nobodyYet, idp)).toBe(true);
    // Claims without the username attribute are a configuration problem, not a missing user.
    const noUserName = await decideSsoSignIn(idp, account, { oid: randomUUID(), name: "Adele" }, true);
    expect(noUserName.ok).toBe(false);
    expect(isNotProvisionedYet(noUserName, idp)).toBe(false);
  });
});
