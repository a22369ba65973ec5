import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { apiClient, newKey, newTenant } from "./client";
import { hashSessionToken } from "@/lib/auth/session-store";
import { groupMembers, groups, sessions, users } from "@/lib/db/schema";
import { setRoleMapping } from "@/lib/db/queries/role-mappings";

const database = setupTestDatabase();

/** A database session the way Auth.js stores one (lib/auth/session-store.ts): the row keeps the token's hash. */
async function signIn(userId: string, options: { expires?: Date; createdAt?: Date } = {}) {
  const token = randomBytes(32).toString("base64url");
  await database.db.insert(sessions).values({
    sessionToken: hashSessionToken(token),
    userId,
    expires: options.expires ?? new Date(Date.now() + 3_600_000),
    ...(options.createdAt ? { createdAt: options.createdAt } : {}),
  });
  return token;
}

async function person(tenantId: string | null, userName: string, extra: Partial<typeof users.$inferInsert> = {}) {
  const [row] = await database.db
    .insert(users)
    .values({ tenantId, userName, userNameNormalized: userName.toLowerCase(), email: userName, name: "Pat Doe", ...extra })
    .returning();
  return row;
}

describe("GET /api/v1/session", () => {
  it("answers who a session belongs to: user, tenant, console role, SCIM roles and groups", async () => {
    const tenant = await newTenant("sess");
    const user = await person(tenant.id, `pat-${randomBytes(3).toString("hex")}@example.com`, { scim: { roles: [{ value: "Viewer" }] }, externalId: "oid-1" });
    const [group] = await database.db
      .insert(groups)
      .values({ tenantId: tenant.id, displayName: "Admins", displayNameNormalized: "admins", externalId: "g-1" })
      .returning();
    await database.db.insert(groupMembers).values({ groupId: group.id, userId: user.id, tenantId: tenant.id });
    await setRoleMapping(tenant.id, group.id, "tenant_admin");
    const token = await signIn(user.id);
    const api = apiClient(await newKey({ tenantId: tenant.id }));

    const res = await api.get("/session", { "x-gatehouse-session": token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      user: { id: user.id, tenantId: tenant.id, userName: user.userName, externalId: "oid-1", email: user.email, active: true },
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      consoleRole: "tenant_admin",
      roles: ["Viewer"],
      groups: [{ id: group.id, displayName: "Admins", externalId: "g-1" }],
    });
    expect(Date.parse(res.body.session.expiresAt)).toBeGreaterThan(Date.now());

    // The browser's cookie, forwarded as it is, works the same (either cookie name).
    expect((await api.get("/session", { cookie: `theme=dark; authjs.session-token=${token}` })).body.user.id).toBe(user.id);
    expect((await api.get("/session", { cookie: `__Secure-authjs.session-token=${token}` })).body.user.id).toBe(user.id);
    // Reading the session does not extend it.
    const [row] = await database.db.select({ expires: sessions.expires }).from(sessions).where(eq(sessions.sessionToken, hashSessionToken(token)));
    expect(Math.abs(row.expires.getTime() - Date.parse(res.body.session.expiresAt))).toBeLessThan(1000);
  });

  it("is a 404 for ended, expired, unknown, deactivated and other tenants' sessions; a 400 without a token", async () => {
    const tenant = await newTenant("sess");
    const other = await newTenant("sess");
    const key = await newKey({ tenantId: tenant.id });
    const api = apiClient(key);
    const user = await person(tenant.id, `a-${randomBytes(3).toString("hex")}@example.com`);
    const stranger = await person(other.id, `b-${randomBytes(3).toString("hex")}@example.com`);

    const expectNoSession = async (headers: Record<string, string>, label: string) => {
      const res = await api.get("/session", headers);
      expect(res.status, label).toBe(404);
      expect(res.headers.get("content-type"), label).toBe("application/problem+json");
      expect(res.body, label).toMatchObject({ type: "urn:gatehouse:problem:not-found", detail: "No live session for this token" });
      expect(JSON.stringify(res.body), label).not.toContain("@example.com");
    };
    await expectNoSession({ "x-gatehouse-session": "nope" }, "unknown");
    await expectNoSession({ "x-gatehouse-session": await signIn(user.id, { expires: new Date(Date.now() - 1000) }) }, "expired");
    await expectNoSession({ "x-gatehouse-session": await signIn(user.id, { createdAt: new Date(Date.now() - 25 * 3_600_000) }) }, "past its absolute lifetime");
    const strangerToken = await signIn(stranger.id);
    await expectNoSession({ "x-gatehouse-session": strangerToken }, "another tenant's user");

    const live = await signIn(user.id);
    expect((await api.get("/session", { "x-gatehouse-session": live })).status).toBe(200);
    await database.db.update(users).set({ active: false }).where(eq(users.id, user.id));
    await expectNoSession({ "x-gatehouse-session": live }, "deactivated");
    await database.db.execute(sql`delete from sessions where user_id = ${user.id}`);
    await expectNoSession({ "x-gatehouse-session": live }, "signed out");

    const missing = await api.get("/session");
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].name).toBe("header.x-gatehouse-session");
    expect((await api.get("/session", { "x-gatehouse-session": "x".repeat(600) })).status).toBe(400);
    expect((await apiClient(null).get("/session", { "x-gatehouse-session": live })).status).toBe(401);

    // A platform key reads any tenant's sessions, and platform accounts' (no tenant).
    const platform = apiClient(await newKey({ tenantId: null, platform: true }));
    expect((await platform.get("/session", { "x-gatehouse-session": strangerToken })).body.tenant.id).toBe(other.id);
    const operator = await person(null, `op-${randomBytes(3).toString("hex")}@example.com`, { consoleRole: "platform_admin" });
    const operatorSession = await platform.get("/session", { "x-gatehouse-session": await signIn(operator.id) });
    expect(operatorSession.body).toMatchObject({ tenant: null, consoleRole: "platform_admin", groups: [] });
  });
});
