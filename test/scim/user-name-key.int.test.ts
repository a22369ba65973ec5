import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { setupTestDatabase, testDriver } from "../harness";
import { createScimTenant } from "./client";
import { createLocalUser } from "@/lib/db/queries/users";
import { createJitUser, matchSsoUser } from "@/lib/db/queries/sso";
import { tenants, users } from "@/lib/db/schema";
import { tenantCount } from "@/lib/db/queries/tenant-counters";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

const userCount = async (tenantId: string) =>
  (await database.db.select({ n: tenantCount("users") }).from(tenants).where(eq(tenants.id, tenantId)))[0].n;

const keysOf = async (tenantId: string) =>
  (await database.db.select({ key: users.userNameNormalized }).from(users).where(eq(users.tenantId, tenantId))).map((r) => r.key);

// lib/identity/normalize.ts: one userName key (NFKC, trimmed, lower case) for every door.
describe(`one userName key for SCIM, the console, JIT sign-in and SSO matching (${testDriver()})`, () => {
  it("a SCIM \" Alice@X.example\" and a console \"alice@x.example\" are the same user", async () => {
    const { tenant, scim } = await createScimTenant();
    const created = await scim.post("/Users", { schemas: [USER], userName: " Alice@X.example" });
    expect(created.status).toBe(201);
    expect(created.body.userName).toBe(" Alice@X.example");
    expect(await keysOf(tenant.id)).toEqual(["alice@x.example"]);

    const uniqueViolation = { cause: expect.objectContaining({ code: "23505" }) };
    await expect(createLocalUser(tenant.id, { userName: "alice@x.example", loginMethod: "sso" })).rejects.toMatchObject(uniqueViolation);
    await expect(createJitUser(tenant.id, { userName: "ALICE@x.example " })).rejects.toMatchObject(uniqueViolation);
    expect(await userCount(tenant.id)).toBe(1);

    const lookup = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "alice@x.example "')}`);
    expect(lookup.body.totalResults).toBe(1);
  });

  it("a console user blocks a padded SCIM create with 409 uniqueness (userLinking = conflict)", async () => {
    const { tenant, scim } = await createScimTenant();
    await createLocalUser(tenant.id, { userName: "bob@x.example", loginMethod: "sso" });
    const created = await scim.post("/Users", { schemas: [USER], userName: "\u3000Bob@X.example " });
    expect(created.status).toBe(409);
    expect(created.body.scimType).toBe("uniqueness");
    expect(await userCount(tenant.id)).toBe(1);
  });

  it("SSO matching by userName finds the user whichever door wrote it and however the IdP pads it", async () => {
    const { tenant, scim } = await createScimTenant();
    const provisioned = await scim.post("/Users", { schemas: [USER], userName: " Carol@X.example" });
    const local = await createLocalUser(tenant.id, { userName: "dave@x.example", loginMethod: "sso" });
    const jit = await createJitUser(tenant.id, { userName: " Erin@X.example" });
    const identity = (userName: string) => ({ provider: "idp-none", accountId: userName, userName });

    for (const userName of ["carol@x.example", " CAROL@x.example "]) {
      const match = await matchSsoUser(tenant.id, identity(userName), "userName");
      expect(match.user?.id).toBe(provisioned.body.id);
    }
    for (const userName of ["dave@x.example", " Dave@X.example"]) {
      expect((await matchSsoUser(tenant.id, identity(userName), "userName")).user?.id).toBe(local.id);
    }
    expect((await matchSsoUser(tenant.id, identity("erin@x.example"), "userName")).user?.id).toBe(jit.id);
    expect(jit.source).toBe("local");
    // One insert path: every door counted its user.
    expect(await userCount(tenant.id)).toBe(3);
  });
});
