import { createHash, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { sessions, tenants, users } from "@/lib/db/schema";
import { setLoginMethod } from "@/lib/db/queries/users";
import { upsertPlatformAdmin } from "@/lib/db/queries/admins";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/config";
import { newSessionToken, setSessionCookie } from "./console-session";

// Mocked: only Next's request context (see console-session.ts); the action, its guards and
// the Auth.js session read are real.
vi.mock("next/headers", async () => (await import("./console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("./console-session")).nextCache);

const usersActions = await import("@/app/(console)/users/actions");
const database = setupTestDatabase();
type ActionFn = (prev: unknown, input: Record<string, unknown>) => Promise<{ ok: boolean; error?: string }>;

/** A live session row for the user; stored under the cookie value and its SHA-256, whichever the store keys by. */
async function sessionFor(userId: string) {
  const token = newSessionToken();
  const expires = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  const hashed = createHash("sha256").update(token).digest("hex");
  await database.db.insert(sessions).values([{ sessionToken: token, userId, expires }, { sessionToken: hashed, userId, expires }]);
  return token;
}

async function insertUser(values: Partial<typeof users.$inferInsert> & { tenantId: string | null; userName: string }) {
  const [row] = await database.db
    .insert(users)
    .values({ userNameNormalized: values.userName.toLowerCase(), ...values })
    .returning({ id: users.id });
  return row.id;
}

const userRow = async (id: string) => (await database.db.select().from(users).where(eq(users.id, id)))[0];

describe(`review L-1: only local users get a password (${testDriver()})`, () => {
  let tenantId: string;
  let scimUserId: string;
  let localUserId: string;

  beforeAll(async () => {
    const [tenant] = await database.db.insert(tenants).values({ slug: `l1-${randomUUID().slice(0, 8)}`, name: "L-1" }).returning({ id: tenants.id });
    tenantId = tenant.id;
    const adminId = await insertUser({ tenantId: null, userName: "root@gatehouse.test", consoleRole: "platform_admin" });
    setSessionCookie(await sessionFor(adminId));
    scimUserId = await insertUser({ tenantId, userName: "megan@contoso.test", source: "scim", externalId: randomUUID() });
    localUserId = await insertUser({ tenantId, userName: "guest@contoso.test", source: "local" });
  });

  it("the console refuses to put an IdP-managed user on password login", async () => {
    const setLoginMethodAction = usersActions.setLoginMethodAction as unknown as ActionFn;
    const result = await setLoginMethodAction(null, { tenantId, userId: scimUserId, loginMethod: "password", password: "chosen-by-the-admin" });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining("identity provider") });
    expect(await userRow(scimUserId)).toMatchObject({ loginMethod: "sso", passwordHash: null });
  });

  it("the query itself refuses it, whoever calls it", async () => {
    expect(await setLoginMethod(tenantId, scimUserId, "password", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")).toBeUndefined();
    expect(await userRow(scimUserId)).toMatchObject({ loginMethod: "sso", passwordHash: null });
  });

  it("a local user still gets one, and anyone can be moved to SSO", async () => {
    const setLoginMethodAction = usersActions.setLoginMethodAction as unknown as ActionFn;
    expect(await setLoginMethodAction(null, { tenantId, userId: localUserId, loginMethod: "password", password: "correct-horse-battery" })).toMatchObject({ ok: true });
    expect((await userRow(localUserId)).passwordHash).toMatch(/^\$argon2id\$/);
    expect(await setLoginMethodAction(null, { tenantId, userId: scimUserId, loginMethod: "sso" })).toMatchObject({ ok: true });
  });
});

describe(`review M-9: a break-glass password reset ends the admin's sessions (${testDriver()})`, () => {
  it("re-running admin create for an existing admin deletes every session of that admin, and only theirs", async () => {
    const email = `reset-${randomUUID().slice(0, 8)}@gatehouse.local`;
    const created = await upsertPlatformAdmin({ email, password: "first-password-1234" });
    const other = await upsertPlatformAdmin({ email: `other-${email}`, password: "first-password-1234" });
    await sessionFor(created.id);
    await sessionFor(other.id);
    const reset = await upsertPlatformAdmin({ email, password: "second-password-1234" });
    expect(reset).toMatchObject({ id: created.id, created: false, sessionsEnded: 2 });
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, created.id))).toHaveLength(0);
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, other.id))).toHaveLength(2);
  });
});
