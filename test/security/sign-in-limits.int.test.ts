import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../harness";
import { checkSignInLimit, signInSource } from "@/lib/auth/sign-in-limits";
import { env } from "@/lib/env";

setupTestDatabase();

describe("rate limiting per sign-in source", () => {
  it("refuses an account's attempts past the per-account limit, with a retry time", async () => {
    const source = `198.51.100.${Math.floor(Math.random() * 200)}`;
    const account = `victim-${Math.random()}@example.com`;
    const perAccount = env().SIGNIN_LIMIT_PER_ACCOUNT;
    for (let i = 0; i < perAccount; i++) expect((await checkSignInLimit(`${source}-${i}`, account)).ok).toBe(true);
    const refused = await checkSignInLimit(`${source}-x`, account.toUpperCase());
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Another account from another address is unaffected.
    expect((await checkSignInLimit("203.0.113.9", `other-${Math.random()}@example.com`)).ok).toBe(true);
  });

  it("refuses one source address spraying many accounts past the per-source limit", async () => {
    const source = `192.0.2.${Math.floor(Math.random() * 200)}`;
    const perSource = env().SIGNIN_LIMIT_PER_SOURCE;
    for (let i = 0; i < perSource; i++) expect((await checkSignInLimit(source, `spray-${i}-${Math.random()}@example.com`)).ok).toBe(true);
    expect((await checkSignInLimit(source, `spray-last-${Math.random()}@example.com`)).ok).toBe(false);
  });

  it("takes the client address from the nearest proxy's header", () => {
    expect(signInSource(new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }))).toBe("203.0.113.7");
    expect(signInSource(new Headers({ "x-real-ip": "203.0.113.8" }))).toBe("203.0.113.8");
    expect(signInSource(new Headers())).toBe("unknown");
  });
});
