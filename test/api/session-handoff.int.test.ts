import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { rowsOf, setupTestDatabase, testDriver } from "../harness";
import { apiClient, newKey, newTenant } from "./client";
import { GET as handoffRoute } from "@/app/api/session/handoff/route";
import { hashSessionToken } from "@/lib/auth/session-store";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { HANDOFF_LIFETIME_SECONDS, HANDOFFS_PER_SESSION_PER_MINUTE } from "@/lib/auth/session-handoff";
import { hashToken } from "@/lib/crypto/tokens";
import { resetEnvCache } from "@/lib/env";
import { sessionHandoffs, sessions, users } from "@/lib/db/schema";

// GET /api/session/handoff → the host application's URL with `gatehouse_token` → GET
// /api/v1/session with X-Gatehouse-Token: the way a host on another origin learns who is signed
// in, without ever holding the Gatehouse session cookie.
const database = setupTestDatabase();

const GATEHOUSE = "http://gatehouse.test";
const HOST_APP = "https://app.example.com";
const saved = { APP_URL: process.env.APP_URL, HOST_APP_ORIGINS: process.env.HOST_APP_ORIGINS };

beforeAll(() => {
  process.env.APP_URL = GATEHOUSE;
  process.env.HOST_APP_ORIGINS = `${HOST_APP}, http://localhost:4000`;
  resetEnvCache();
});

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
});

async function person(tenantId: string | null, extra: Partial<typeof users.$inferInsert> = {}) {
  const userName = `pat-${randomBytes(4).toString("hex")}@example.com`;
  const [row] = await database.db
    .insert(users)
    .values({ tenantId, userName, userNameNormalized: userName, email: userName, name: "Pat Doe", ...extra })
    .returning();
  return row;
}

/** A database session as Auth.js stores it (the row keeps the cookie value's hash). */
async function signIn(userId: string) {
  const token = randomBytes(32).toString("base64url");
  await database.db.insert(sessions).values({ sessionToken: hashSessionToken(token), userId, expires: new Date(Date.now() + 3_600_000) });
  return token;
}

async function handoff(returnTo: string | null, sessionCookie?: string) {
  const url = new URL(`${GATEHOUSE}/api/session/handoff`);
  if (returnTo !== null) url.searchParams.set("return_to", returnTo);
  return handoffRoute(new Request(url, { headers: sessionCookie ? { cookie: `theme=dark; authjs.session-token=${sessionCookie}` } : {} }));
}

/** Hands the signed-in browser off and returns the token the host application's URL carries. */
async function handoffToken(sessionCookie: string, returnTo = `${HOST_APP}/dashboard`) {
  const res = await handoff(returnTo, sessionCookie);
  expect(res.status).toBe(303);
  const token = new URL(res.headers.get("location")!).searchParams.get("gatehouse_token");
  expect(token).toMatch(/^gh_st_[A-Za-z0-9_-]{43}$/);
  return token!;
}

const handoffRows = async (sessionCookie: string) =>
  database.db.select().from(sessionHandoffs).where(eq(sessionHandoffs.sessionToken, hashSessionToken(sessionCookie)));

async function setup() {
  const tenant = await newTenant("handoff");
  const user = await person(tenant.id, { scim: { roles: [{ value: "Viewer" }] } });
  const cookie = await signIn(user.id);
  const api = apiClient(await newKey({ tenantId: tenant.id }));
  return { tenant, user, cookie, api };
}

describe(`GET /api/session/handoff → GET /api/v1/session with X-Gatehouse-Token (${testDriver()})`, () => {
  it("sends a signed-in browser back to an allowed host origin with a token that exchanges exactly once", async () => {
    const { tenant, user, cookie, api } = await setup();
    const res = await handoff(`${HOST_APP}/reports?view=week#top`, cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(`${HOST_APP}/reports`);
    expect(location.searchParams.get("view")).toBe("week");
    expect(location.hash).toBe("#top");
    const token = location.searchParams.get("gatehouse_token")!;
    expect(token).toMatch(/^gh_st_[A-Za-z0-9_-]{43}$/);

    const exchanged = await api.get("/session", { "x-gatehouse-token": token });
    expect(exchanged.status, JSON.stringify(exchanged.body)).toBe(200);
    expect(exchanged.body).toMatchObject({
      user: { id: user.id, tenantId: tenant.id, userName: user.userName, active: true },
      tenant: { id: tenant.id, slug: tenant.slug },
      roles: ["Viewer"],
      groups: [],
    });
    expect(Date.parse(exchanged.body.session.expiresAt)).toBeGreaterThan(Date.now());
    // The answer never carries the session itself, neither the cookie value nor its stored hash.
    expect(JSON.stringify(exchanged.body)).not.toContain(cookie);
    expect(JSON.stringify(exchanged.body)).not.toContain(hashSessionToken(cookie));

    const again = await api.get("/session", { "x-gatehouse-token": token });
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ type: "urn:gatehouse:problem:not-found", detail: "No live session for this token" });

    // Gatehouse's own origin needs no HOST_APP_ORIGINS entry, and each handoff is a new token.
    const own = await handoff(`${GATEHOUSE}/me`, cookie);
    expect(own.status).toBe(303);
    expect(new URL(own.headers.get("location")!).origin).toBe(GATEHOUSE);
    const local = await handoffToken(cookie, "http://localhost:4000/");
    expect(local).not.toBe(token);
    expect((await api.get("/session", { "x-gatehouse-token": local })).status).toBe(200);
  });

  it("stores only the token's SHA-256, bound to the session and its tenant, for at most a minute", async () => {
    const { tenant, cookie } = await setup();
    const token = await handoffToken(cookie);
    const [row] = await handoffRows(cookie);
    expect(row).toMatchObject({ tokenHash: hashToken(token), tenantId: tenant.id, sessionToken: hashSessionToken(cookie), usedAt: null });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(HANDOFF_LIFETIME_SECONDS * 1000);
    const dump = rowsOf<{ row: string }>(await database.db.execute(sql`select t::text as row from session_handoffs t`))
      .map((r) => r.row)
      .join("\n");
    expect(dump).toContain(hashToken(token));
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(6, 30));
  });

  it("is a 404 for an expired token, and expired tokens are swept by the next handoff", async () => {
    const { cookie, api } = await setup();
    const token = await handoffToken(cookie);
    await database.db.update(sessionHandoffs).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(sessionHandoffs.tokenHash, hashToken(token)));
    expect((await api.get("/session", { "x-gatehouse-token": token })).status).toBe(404);

    await handoffToken(cookie);
    const left = await database.db.select({ tokenHash: sessionHandoffs.tokenHash }).from(sessionHandoffs).where(eq(sessionHandoffs.tokenHash, hashToken(token)));
    expect(left).toEqual([]);
  });

  it("is a 404 for another tenant's key, exactly like an unknown token, and leaves the token to its own tenant", async () => {
    const { tenant, cookie, api } = await setup();
    const otherKey = apiClient(await newKey({ tenantId: (await newTenant("handoff")).id }));
    const token = await handoffToken(cookie);

    const foreign = await otherKey.get("/session", { "x-gatehouse-token": token });
    const unknown = await otherKey.get("/session", { "x-gatehouse-token": `gh_st_${randomBytes(32).toString("base64url")}` });
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    const comparable = (body: Record<string, unknown>) => ({ type: body.type, title: body.title, status: body.status, detail: body.detail, errors: body.errors });
    expect(comparable(foreign.body)).toEqual(comparable(unknown.body));

    expect((await api.get("/session", { "x-gatehouse-token": token })).body.tenant.id).toBe(tenant.id);
    // A platform key exchanges any tenant's token, and platform accounts' (no tenant).
    const platform = apiClient(await newKey({ tenantId: null, platform: true }));
    expect((await platform.get("/session", { "x-gatehouse-token": await handoffToken(cookie) })).body.tenant.id).toBe(tenant.id);
    const operator = await person(null, { consoleRole: "platform_admin" });
    const operatorToken = await handoffToken(await signIn(operator.id));
    expect((await api.get("/session", { "x-gatehouse-token": operatorToken })).status).toBe(404);
    expect((await platform.get("/session", { "x-gatehouse-token": operatorToken })).body).toMatchObject({ tenant: null, consoleRole: "platform_admin" });
  });

  it("is a 404 even for a fresh token once the session ended, outlived its absolute lifetime or the user was deactivated", async () => {
    const { user, cookie, api } = await setup();
    const deactivatedToken = await handoffToken(cookie);
    await database.db.update(users).set({ active: false }).where(eq(users.id, user.id));
    expect((await api.get("/session", { "x-gatehouse-token": deactivatedToken })).status).toBe(404);
    // Nor does a deactivated user's browser get a new token: it is sent to sign in.
    expect(new URL((await handoff(`${HOST_APP}/`, cookie)).headers.get("location")!).pathname).toBe("/login");
    await database.db.update(users).set({ active: true }).where(eq(users.id, user.id));

    const agedToken = await handoffToken(cookie);
    await database.db.update(sessions).set({ createdAt: sql`now() - interval '25 hours'` }).where(eq(sessions.sessionToken, hashSessionToken(cookie)));
    expect((await api.get("/session", { "x-gatehouse-token": agedToken })).status).toBe(404);

    const second = await signIn(user.id);
    const revokedToken = await handoffToken(second);
    await database.db.delete(sessions).where(eq(sessions.sessionToken, hashSessionToken(second)));
    expect((await api.get("/session", { "x-gatehouse-token": revokedToken })).status).toBe(404);
    expect(await handoffRows(second)).toEqual([]); // ended with its session
  });

  it("gives exactly one of several concurrent exchanges of one token the session", async () => {
    const { user, cookie, api } = await setup();
    const token = await handoffToken(cookie);
    const answers = await Promise.all(Array.from({ length: 6 }, () => api.get("/session", { "x-gatehouse-token": token })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404, 404, 404, 404, 404]);
    expect(answers.find((a) => a.status === 200)!.body.user.id).toBe(user.id);
  });

  it("refuses a malformed token or two credentials at once with a 400, never a 5xx", async () => {
    const { cookie, api } = await setup();
    for (const malformed of ["gh_st_short", `gh_st_${"a".repeat(44)}`, `gh_api_${"a".repeat(43)}`, "x".repeat(600), "gh_st_" + "é".repeat(43)]) {
      const res = await api.get("/session", { "x-gatehouse-token": malformed });
      expect(res.status, malformed).toBe(400);
      expect(res.body.errors[0].name).toBe("header.x-gatehouse-token");
    }
    const both = await api.get("/session", { "x-gatehouse-token": await handoffToken(cookie), "x-gatehouse-session": cookie });
    expect(both.status).toBe(400);
    expect(both.body.errors[0].name).toBe("header.x-gatehouse-token");
  });
});

describe("return_to: only Gatehouse's origin and HOST_APP_ORIGINS, never an open redirect", () => {
  const refused = [
    "https://evil.example/",
    "//evil.example/x",
    "///evil.example",
    "/\\evil.example",
    "/dashboard",
    "dashboard",
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "https://app.example.com.evil.example/",
    "https://app.example.com@evil.example/",
    "https://user:pw@app.example.com/",
    "http://app.example.com/",
    "https://app.example.com:8443/",
    "https:\\\\evil.example",
    " https://app.example.com/",
    "https://app.example.com/\n",
    "https://app.ex\tample.com/",
    "http://localhost:4001/",
    `${HOST_APP}/${"a".repeat(2100)}`,
    "",
  ];

  it.each(refused)("refuses %j with a 400 problem and issues no token, signed in or not", async (returnTo) => {
    const { cookie } = await setup();
    for (const browser of [cookie, undefined]) {
      const res = await handoff(returnTo, browser);
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const body = await res.json();
      expect(body).toMatchObject({ type: "urn:gatehouse:problem:invalid-request", errors: [{ name: "query.return_to" }] });
      expect(JSON.stringify(body)).not.toContain("gh_st_");
    }
    expect(await handoffRows(cookie)).toEqual([]);
  });

  it("refuses a missing return_to", async () => {
    const { cookie } = await setup();
    expect((await handoff(null, cookie)).status).toBe(400);
    expect(await handoffRows(cookie)).toEqual([]);
  });
});

describe("a browser without a live session", () => {
  it("goes to the sign-in page, whose callbackUrl comes back to the same handoff", async () => {
    const { user, cookie } = await setup();
    const returnTo = `${HOST_APP}/reports?view=week`;
    const ended = await signIn(user.id);
    await database.db.delete(sessions).where(eq(sessions.sessionToken, hashSessionToken(ended)));
    for (const browser of [undefined, "made-up", ended]) {
      const res = await handoff(returnTo, browser);
      expect(res.status).toBe(303);
      const location = new URL(res.headers.get("location")!);
      expect(`${location.origin}${location.pathname}`).toBe(`${GATEHOUSE}/login`);
      const callbackUrl = location.searchParams.get("callbackUrl")!;
      // The sign-in page keeps it (same-origin path), and it names the same return_to.
      expect(safeCallbackPath(callbackUrl)).toBe(callbackUrl);
      const back = new URL(callbackUrl, GATEHOUSE);
      expect(back.pathname).toBe("/api/session/handoff");
      expect(back.searchParams.get("return_to")).toBe(returnTo);
      expect(location.toString()).not.toContain("gh_st_");
    }
    expect(await handoffRows(ended)).toEqual([]);
    // Signed in again, the same URL hands off.
    expect((await handoff(returnTo, cookie)).status).toBe(303);
  });
});

describe("rate limit", () => {
  it(`gives one session at most ${HANDOFFS_PER_SESSION_PER_MINUTE} tokens a minute`, async () => {
    const { cookie } = await setup();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    // Two minute windows at most while this runs: more than twice the limit must meet a refusal.
    for (let i = 0; i <= 2 * HANDOFFS_PER_SESSION_PER_MINUTE; i++) {
      const res = await handoff(`${HOST_APP}/`, cookie);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await handoffRows(cookie)).length).toBe(statuses.filter((s) => s === 303).length);
  });
});
