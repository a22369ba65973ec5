import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { verifyPasswordSignIn } from "@/lib/auth/password-sign-in";
import { accountDelayMs, MAX_DELAY_MS } from "@/lib/auth/sign-in-limits";
import { upsertPlatformAdmin } from "@/lib/db/queries/admins";
import { users } from "@/lib/db/schema";
import { clientAddress, PEER_ADDRESS_HEADER } from "@/lib/net/client-address";
import { env, resetEnvCache } from "@/lib/env";

const database = setupTestDatabase();
const PASSWORD = "correct-horse-battery";
const randomOctet = () => 1 + Math.floor(Math.random() * 250);

/**
 * Sign-in counters live in fixed windows on the minute (lib/auth/sign-in-limits.ts): a run of
 * attempts that crosses a minute starts counting again. Begin with at least 30 s left.
 */
async function insideOneWindow() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 30_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

async function newAdmin() {
  const email = `admin-${randomUUID().slice(0, 8)}@gatehouse.local`;
  await upsertPlatformAdmin({ email, password: PASSWORD });
  return email;
}

afterEach(() => {
  delete process.env.TRUSTED_PROXIES;
  resetEnvCache();
});

describe("review M-4: the per-source limit counts the real client address", () => {
  it("a client rotating X-Forwarded-For still hits the per-source limit (the review's repro)", { timeout: 120_000 }, async () => {
    const peer = `198.51.100.${randomOctet()}`;
    const perSource = env().SIGNIN_LIMIT_PER_SOURCE;
    const answers: string[] = [];
    await insideOneWindow();
    for (let i = 0; i <= perSource; i++) {
      const headers = new Headers({ [PEER_ADDRESS_HEADER]: peer, "x-forwarded-for": `203.0.113.${i % 250}` });
      const result = await verifyPasswordSignIn({ email: `user${i}-${randomUUID()}@example.com`, password: "x", source: clientAddress(headers) });
      answers.push(result.ok ? "ok" : result.reason);
    }
    expect(answers.slice(0, perSource)).toEqual(Array(perSource).fill("invalid_credentials"));
    expect(answers[perSource]).toBe("too_many_attempts");
  });

  it("behind TRUSTED_PROXIES, the hop the proxy appended is the source, not the client's claim", () => {
    process.env.TRUSTED_PROXIES = "10.0.0.0/8";
    resetEnvCache();
    const viaProxy = (claimed: string) => clientAddress(new Headers({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": `${claimed}, 198.51.100.7` }));
    expect(viaProxy("203.0.113.1")).toBe("198.51.100.7");
    expect(viaProxy("203.0.113.2")).toBe("198.51.100.7");
    // The same header from a peer that is not a trusted proxy is the client's own word.
    expect(clientAddress(new Headers({ [PEER_ADDRESS_HEADER]: "198.51.100.9", "x-forwarded-for": "198.51.100.7" }))).toBe("198.51.100.9");
  });

  it("TRUSTED_PROXIES=vercel reads the address Vercel's edge sets", () => {
    process.env.TRUSTED_PROXIES = "vercel";
    resetEnvCache();
    expect(clientAddress(new Headers({ "x-vercel-forwarded-for": "198.51.100.3", "x-forwarded-for": "203.0.113.1" }))).toBe("198.51.100.3");
  });
});

describe("review M-5: nobody can lock an account's owner out", () => {
  it("11 bad passwords from one source, then the right password from another signs in (the review's repro)", { timeout: 120_000 }, async () => {
    const email = await newAdmin();
    const attacker = `192.0.2.${randomOctet()}`;
    const perAccount = env().SIGNIN_LIMIT_PER_ACCOUNT;
    const attempts = [];
    await insideOneWindow();
    for (let i = 0; i < perAccount + 1; i++) attempts.push(await verifyPasswordSignIn({ email, password: "x", source: attacker }));
    expect(attempts.slice(0, perAccount).map((a) => !a.ok && a.reason)).toEqual(Array(perAccount).fill("invalid_credentials"));
    expect(attempts[perAccount]).toMatchObject({ ok: false, reason: "too_many_attempts", retryAfterSeconds: expect.any(Number) });
    // The attacker stays refused, even with the right password, from that source.
    expect(await verifyPasswordSignIn({ email, password: PASSWORD, source: attacker })).toMatchObject({ reason: "too_many_attempts" });

    const started = Date.now();
    const owner = await verifyPasswordSignIn({ email: email.toUpperCase(), password: PASSWORD, source: `203.0.113.${randomOctet()}` });
    expect(owner).toMatchObject({ ok: true });
    // The account-wide failures slow the owner down (progressive delay) but do not refuse.
    expect(Date.now() - started).toBeGreaterThanOrEqual(accountDelayMs(perAccount) - 50);
  });

  it("counts only failures: many correct sign-ins from one source are never refused", async () => {
    const email = await newAdmin();
    const source = `198.51.100.${randomOctet()}`;
    for (let i = 0; i < env().SIGNIN_LIMIT_PER_ACCOUNT + 5; i++) {
      expect(await verifyPasswordSignIn({ email, password: PASSWORD, source })).toMatchObject({ ok: true });
    }
  });

  it("the same email in another scope is another account", async () => {
    const email = await newAdmin();
    const source = `192.0.2.${randomOctet()}`;
    for (let i = 0; i < env().SIGNIN_LIMIT_PER_ACCOUNT; i++) await verifyPasswordSignIn({ email, password: "x", source, tenantId: randomUUID() });
    expect(await verifyPasswordSignIn({ email, password: PASSWORD, source })).toMatchObject({ ok: true });
  });

  it("the delay doubles past the free failures and stops at its cap", () => {
    expect(accountDelayMs(0, 10)).toBe(0);
    expect(accountDelayMs(9, 10)).toBe(0);
    expect(accountDelayMs(10, 10)).toBe(500);
    expect(accountDelayMs(11, 10)).toBe(1000);
    expect(accountDelayMs(1_000_000, 10)).toBe(MAX_DELAY_MS);
  });
});

describe("review M-9: a legacy scrypt hash is raised to Argon2id at the next sign-in", () => {
  it("verifies the old hash, signs in and stores an Argon2id PHC string", async () => {
    const email = await newAdmin();
    // Written by the scrypt (N=2^15, r=8, p=1) hasher used before Argon2id, for PASSWORD.
    const legacy = "scrypt$unZdWeDpSa73oKMRTTDQww$zLpRqBOqSJ8PyIaCUN1lCtzD0mxed-YA5Ds1yvvL8uE";
    await database.db.update(users).set({ passwordHash: legacy }).where(eq(users.userNameNormalized, email));
    expect(await verifyPasswordSignIn({ email, password: PASSWORD, source: "198.51.100.1" })).toMatchObject({ ok: true });
    const [row] = await database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.userNameNormalized, email));
    expect(row.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPasswordSignIn({ email, password: PASSWORD, source: "198.51.100.1" })).toMatchObject({ ok: true });
  });
});
