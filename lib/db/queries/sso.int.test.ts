import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { accounts, identityProviders, sessions, users } from "@/lib/db/schema";
import { createTenant } from "./tenants";
import { linkSsoAccount, listUserBindings, matchSsoUser, unbindSsoAccount } from "./sso";

const database = setupTestDatabase();

// Entra's default mapping for a non-gallery app: userPrincipalName → userName,
// mailNickname → externalId (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/customize-application-attributes).
describe(`SSO matching and the IdP account binding (${testDriver()})`, () => {
  let tenantId: string;
  let otherTenantId: string;
  let idpId: string;
  let provider: string;

  beforeEach(async () => {
    await database.reset();
    tenantId = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    otherTenantId = (await createTenant({ name: "Fabrikam", slug: "fabrikam" })).id;
    const [idp] = await database.db
      .insert(identityProviders)
      .values({ tenantId, name: "Contoso Entra", clientId: "c", authorizationUrl: "https://idp/auth", tokenUrl: "https://idp/token", jwksUrl: "https://idp/jwks" })
      .returning();
    idpId = idp.id;
    provider = `idp-${idpId}`;
  });

  async function scimUser(userName: string, externalId: string | null, tenant = tenantId) {
    const [row] = await database.db
      .insert(users)
      .values({ tenantId: tenant, userName, userNameNormalized: userName.toLowerCase(), externalId, source: "scim", loginMethod: "sso" })
      .returning();
    return row;
  }

  const entra = (oid: string, userName: string) => ({ provider, accountId: oid, immutableId: oid, userName });

  describe("automatic (default): externalId is the object ID only when shaped like a GUID", () => {
    it("signs in a user provisioned with mailNickname → externalId by userName = UPN", async () => {
      const megan = await scimUser("MeganB@contoso.com", "MeganB");
      const match = await matchSsoUser(tenantId, entra(randomUUID(), "meganb@CONTOSO.com"), "automatic");
      expect(match).toMatchObject({ user: { id: megan.id }, matchedBy: "userName" });
    });
    it("matches a GUID externalId equal to oid", async () => {
      const oid = randomUUID();
      const adele = await scimUser("adele@contoso.com", oid.toUpperCase());
      expect(await matchSsoUser(tenantId, entra(oid, "someone-else@contoso.com"), "automatic")).toMatchObject({ user: { id: adele.id }, matchedBy: "externalId" });
    });
    it("refuses a userName whose GUID externalId is a different object ID", async () => {
      await scimUser("alex@contoso.com", randomUUID());
      const match = await matchSsoUser(tenantId, entra(randomUUID(), "alex@contoso.com"), "automatic");
      expect(match).toMatchObject({ user: undefined, refusal: { code: "external_id_mismatch", message: expect.stringContaining("alex@contoso.com") } });
    });
  });

  describe("objectId: externalId must equal oid", () => {
    it("matches by externalId and never by userName", async () => {
      const oid = randomUUID();
      const lee = await scimUser("lee@contoso.com", oid);
      await scimUser("lynne@contoso.com", "lynne");
      expect(await matchSsoUser(tenantId, entra(oid, "x@contoso.com"), "objectId")).toMatchObject({ user: { id: lee.id }, matchedBy: "externalId" });
      expect(await matchSsoUser(tenantId, entra(randomUUID(), "lynne@contoso.com"), "objectId")).toMatchObject({ user: undefined, refusal: { code: "no_match" } });
    });
    it("refuses an externalId that several users share as ambiguous", async () => {
      const oid = randomUUID();
      await scimUser("old.isaiah@contoso.com", oid);
      await scimUser("isaiah@contoso.com", oid);
      const match = await matchSsoUser(tenantId, entra(oid, "isaiah@contoso.com"), "objectId");
      expect(match).toMatchObject({ user: undefined, refusal: { code: "external_id_ambiguous", message: expect.stringContaining(oid) } });
    });
  });

  describe("userName: preferred_username/UPN only", () => {
    it("ignores a GUID externalId that differs from oid", async () => {
      const nestor = await scimUser("nestor@contoso.com", randomUUID());
      expect(await matchSsoUser(tenantId, entra(randomUUID(), "Nestor@contoso.com"), "userName")).toMatchObject({ user: { id: nestor.id }, matchedBy: "userName" });
    });
  });

  describe("the binding (provider idp-<id> + oid/sub) decides alone once made", () => {
    it("binds at the first sign-in, then matches by the binding even after the UPN changes", async () => {
      const oid = randomUUID();
      const megan = await scimUser("meganb@contoso.com", "MeganB");
      await linkSsoAccount(tenantId, megan.id, { provider, providerAccountId: oid, type: "oidc", tokens: {} });
      await database.db.update(users).set({ userName: "megan.bowen@contoso.com", userNameNormalized: "megan.bowen@contoso.com" }).where(eq(users.id, megan.id));
      for (const mode of ["automatic", "objectId", "userName"] as const) {
        expect(await matchSsoUser(tenantId, entra(oid, "megan.bowen@contoso.com"), mode)).toMatchObject({ user: { id: megan.id }, matchedBy: "binding" });
      }
    });
    it("refuses a re-assigned UPN: its user is bound to a different oid at this IdP", async () => {
      const pradeep = await scimUser("pradeep@contoso.com", "pradeep");
      await linkSsoAccount(tenantId, pradeep.id, { provider, providerAccountId: randomUUID(), type: "oidc", tokens: {} });
      const match = await matchSsoUser(tenantId, entra(randomUUID(), "pradeep@contoso.com"), "automatic");
      expect(match).toMatchObject({ user: undefined, refusal: { code: "bound_to_other_account" } });
    });
    it("never matches another tenant's binding or user", async () => {
      const oid = randomUUID();
      const stranger = await scimUser("joni@contoso.com", oid, otherTenantId);
      await database.db.insert(accounts).values({ userId: stranger.id, type: "oidc", provider, providerAccountId: oid });
      expect(await matchSsoUser(tenantId, entra(oid, "joni@contoso.com"), "automatic")).toMatchObject({ user: undefined, refusal: { code: "no_match" } });
    });
  });

  describe("security review M-6: a binding at one IdP is never handed to another IdP of the tenant", () => {
    async function secondIdp() {
      const [idp] = await database.db
        .insert(identityProviders)
        .values({ tenantId, name: "Self-service IdP", clientId: "c2", authorizationUrl: "https://idp2/auth", tokenUrl: "https://idp2/token", jwksUrl: "https://idp2/jwks" })
        .returning();
      return `idp-${idp.id}`;
    }
    it("refuses a user bound to idp-1 for idp-2 with the same userName, in every matching mode", async () => {
      const ada = await scimUser("ada@corp.example", null);
      await linkSsoAccount(tenantId, ada.id, { provider, providerAccountId: randomUUID(), type: "oidc", tokens: {} });
      const other = await secondIdp();
      for (const mode of ["automatic", "userName"] as const) {
        const match = await matchSsoUser(tenantId, { provider: other, accountId: "evil", immutableId: "evil", userName: "ada@corp.example" }, mode);
        expect(match).toMatchObject({ user: undefined, refusal: { code: "bound_to_other_account", message: expect.stringContaining("another identity provider") } });
      }
    });
    it("refuses a console-created user (no externalId) claimed first at idp-1 when idp-2 sends its userName", async () => {
      const [local] = await database.db
        .insert(users)
        .values({ tenantId, userName: "grace@corp.example", userNameNormalized: "grace@corp.example", externalId: null, source: "local", loginMethod: "sso" })
        .returning();
      const first = await matchSsoUser(tenantId, entra(randomUUID(), "grace@corp.example"), "automatic");
      expect(first).toMatchObject({ user: { id: local.id }, matchedBy: "userName" });
      await linkSsoAccount(tenantId, local.id, { provider, providerAccountId: "grace-oid", type: "oidc", tokens: {} });
      const other = await secondIdp();
      const match = await matchSsoUser(tenantId, { provider: other, accountId: "attacker", immutableId: "attacker", userName: "GRACE@corp.example" });
      expect(match).toMatchObject({ user: undefined, refusal: { code: "bound_to_other_account" } });
      // The rightful IdP still signs her in by its binding.
      expect(await matchSsoUser(tenantId, entra("grace-oid", "grace@corp.example"))).toMatchObject({ user: { id: local.id }, matchedBy: "binding" });
    });
    it("refuses an externalId match too once the user is bound elsewhere: the other IdP chooses its own sub", async () => {
      const oid = randomUUID();
      const lee = await scimUser("lee@corp.example", oid);
      await linkSsoAccount(tenantId, lee.id, { provider, providerAccountId: oid, type: "oidc", tokens: {} });
      const other = await secondIdp();
      const match = await matchSsoUser(tenantId, { provider: other, accountId: oid, immutableId: oid, userName: "lee@corp.example" }, "objectId");
      expect(match).toMatchObject({ user: undefined, refusal: { code: "bound_to_other_account" } });
    });
  });

  describe("bindings on the user page: listed with the IdP's name, unbound tenant-scoped", () => {
    it("lists provider, oid and bound-at; unbinding lets the next sign-in match afresh", async () => {
      const oid = randomUUID();
      const megan = await scimUser("meganb@contoso.com", "MeganB");
      await linkSsoAccount(tenantId, megan.id, { provider, providerAccountId: oid, type: "oidc", tokens: {} });
      const [binding] = await listUserBindings(tenantId, megan.id);
      expect(binding).toMatchObject({ provider, idpId, idpName: "Contoso Entra", accountId: oid });
      expect(binding.boundAt).toBeInstanceOf(Date);

      await database.db.insert(sessions).values({ sessionToken: randomUUID(), userId: megan.id, expires: new Date(Date.now() + 3_600_000) });
      const sessionsOf = () => database.db.select().from(sessions).where(eq(sessions.userId, megan.id));

      expect(await unbindSsoAccount(otherTenantId, megan.id, provider)).toBe(0);
      expect(await listUserBindings(tenantId, megan.id)).toHaveLength(1);
      expect(await sessionsOf()).toHaveLength(1);
      expect(await unbindSsoAccount(tenantId, megan.id, provider)).toBe(1);
      expect(await sessionsOf()).toEqual([]);
      expect(await listUserBindings(tenantId, megan.id)).toEqual([]);
      const rows = await database.db.select().from(accounts).where(and(eq(accounts.userId, megan.id), eq(accounts.provider, provider)));
      expect(rows).toEqual([]);
      const newOid = randomUUID();
      expect(await matchSsoUser(tenantId, entra(newOid, "meganb@contoso.com"), "automatic")).toMatchObject({ user: { id: megan.id }, matchedBy: "userName" });
    });
  });
});
