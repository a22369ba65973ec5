import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { identityProviders, scimUsage, users } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { hashPassword } from "@/lib/crypto/password";
import { normalizeUserName } from "@/lib/identity/normalize";
import { verifyPasswordSignIn } from "@/lib/auth/password-sign-in";
import { handlers } from "@/lib/auth/config";
import { flushScimUsage } from "@/lib/scim-server/usage";
import { drainDeferred } from "@/lib/defer";

// Sign-ins into a tenant are counted per UTC day in scim_usage (sign_ins, sign_in_failures),
// beside the audit events "auth.sign_in.password" and "auth.sign_in.sso".
const database = setupTestDatabase();
const PASSWORD = "correct-horse-battery-staple";
const today = () => new Date().toISOString().slice(0, 10);
const source = () => `198.51.100.${1 + Math.floor(Math.random() * 250)}`;

async function signInCounts(tenantId: string) {
  await drainDeferred();
  await flushScimUsage();
  const [row] = await database.db
    .select({ signIns: scimUsage.signIns, signInFailures: scimUsage.signInFailures })
    .from(scimUsage)
    .where(and(eq(scimUsage.tenantId, tenantId), eq(scimUsage.day, today())));
  return row ?? { signIns: 0, signInFailures: 0 };
}

async function passwordUser(tenantId: string) {
  const email = `ada-${randomUUID().slice(0, 8)}@contoso.test`;
  await database.db.insert(users).values({
    tenantId,
    userName: email,
    userNameNormalized: normalizeUserName(email),
    source: "local",
    loginMethod: "password",
    passwordHash: await hashPassword(PASSWORD),
  });
  return email;
}

async function activeIdp(tenantId: string) {
  const [row] = await database.db
    .insert(identityProviders)
    .values({
      tenantId,
      name: "Entra",
      status: "active",
      clientId: "client-id",
      authorizationUrl: "https://login.example.test/authorize",
      tokenUrl: "https://login.example.test/token",
      jwksUrl: "https://login.example.test/keys",
      issuer: "https://login.example.test",
    })
    .returning({ id: identityProviders.id });
  return row.id;
}

describe(`sign-ins are counted per tenant and day in scim_usage (${testDriver()})`, () => {
  let tenantId: string;
  let other: string;

  beforeAll(async () => {
    tenantId = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    other = (await createTenant({ name: "Fabrikam", slug: "fabrikam" })).id;
  });

  it("a password sign-in counts once as a sign-in, a wrong password once as a failure", async () => {
    const email = await passwordUser(tenantId);
    const before = await signInCounts(tenantId);
    expect(await verifyPasswordSignIn({ email, password: PASSWORD, tenantId, source: source() })).toMatchObject({ ok: true });
    expect(await signInCounts(tenantId)).toEqual({ signIns: before.signIns + 1, signInFailures: before.signInFailures });
    expect(await verifyPasswordSignIn({ email, password: "wrong-password", tenantId, source: source() })).toMatchObject({ ok: false });
    expect(await signInCounts(tenantId)).toEqual({ signIns: before.signIns + 1, signInFailures: before.signInFailures + 1 });
    expect(await signInCounts(other)).toEqual({ signIns: 0, signInFailures: 0 });
  });

  it("a password sign-in naming an unknown user of a known tenant is that tenant's failure", async () => {
    const before = await signInCounts(tenantId);
    await verifyPasswordSignIn({ email: "nobody@contoso.test", password: "x", tenantId, source: source() });
    expect((await signInCounts(tenantId)).signInFailures).toBe(before.signInFailures + 1);
  });

  it("a platform sign-in (no tenant) or a tenant that does not exist counts nowhere", async () => {
    const rows = async () => (await database.db.select().from(scimUsage)).length;
    await signInCounts(tenantId);
    const before = await rows();
    await verifyPasswordSignIn({ email: "root@gatehouse.local", password: "x", source: source() });
    await verifyPasswordSignIn({ email: "x@example.test", password: "x", tenantId: randomUUID(), source: source() });
    await drainDeferred();
    await flushScimUsage();
    expect(await rows()).toBe(before);
  });

  it("a refused SSO callback at a tenant's IdP counts as that tenant's sign-in failure", async () => {
    const idpId = await activeIdp(tenantId);
    const before = await signInCounts(tenantId);
    const response = await handlers.GET(new NextRequest(`http://localhost:3000/api/auth/callback/idp-${idpId}?code=forged&state=forged`));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("/login/error");
    expect(await signInCounts(tenantId)).toEqual({ signIns: before.signIns, signInFailures: before.signInFailures + 1 });
  });

  it("an SSO callback for an unknown IdP counts nowhere", async () => {
    const rows = async () => (await database.db.select().from(scimUsage)).length;
    await signInCounts(tenantId);
    const before = await rows();
    await handlers.GET(new NextRequest("http://localhost:3000/api/auth/callback/idp-00000000-0000-4000-8000-000000000000?code=x&state=y"));
    await drainDeferred();
    await flushScimUsage();
    expect(await rows()).toBe(before);
  });
});
