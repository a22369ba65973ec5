import { afterEach, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { setupTestDatabase, testDriver } from "../harness";
import { createScimTenant, scimClient } from "./client";
import { resetEnvCache } from "@/lib/env";
import { createAuthRouteHandlers } from "@/lib/auth/route-handlers";
import { idpRedirectUrl, publicOrigin, scimTenantUrl } from "@/app/(console)/_lib/scope";
import { scimUrl } from "@/cli/commands/tenant";

// The console's pages read the browser's request through next/headers.
const browser = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => browser.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));

setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ORIGIN_VARIABLES = ["APP_URL", "AUTH_URL", "VERCEL_ENV", "VERCEL_URL", "VERCEL_BRANCH_URL", "VERCEL_PROJECT_PRODUCTION_URL"];

/** The browser reaches Gatehouse through a proxy; the app itself listens on an internal host. */
const INTERNAL = "http://internal:3000";
const FORWARDED = { host: "internal:3000", "x-forwarded-host": "id.proxy.example", "x-forwarded-proto": "https" };

const combinations: { name: string; env: Record<string, string>; origin: string; cli: boolean }[] = [
  { name: "APP_URL with a path", env: { APP_URL: "https://id.example.com/gatehouse/" }, origin: "https://id.example.com", cli: true },
  { name: "AUTH_URL with Auth.js's base path", env: { AUTH_URL: "https://auth.example.com/api/auth" }, origin: "https://auth.example.com", cli: true },
  {
    name: "a Vercel preview: its branch URL, not the per-deployment one",
    env: { VERCEL_ENV: "preview", VERCEL_URL: "gatehouse-abc123-acme.vercel.app", VERCEL_BRANCH_URL: "gatehouse-git-sso-acme.vercel.app", VERCEL_PROJECT_PRODUCTION_URL: "id.acme.example" },
    origin: "https://gatehouse-git-sso-acme.vercel.app",
    cli: true,
  },
  {
    name: "Vercel production: the project's production domain",
    env: { VERCEL_ENV: "production", VERCEL_URL: "gatehouse-abc123-acme.vercel.app", VERCEL_BRANCH_URL: "gatehouse-git-main-acme.vercel.app", VERCEL_PROJECT_PRODUCTION_URL: "id.acme.example" },
    origin: "https://id.acme.example",
    cli: true,
  },
  { name: "nothing configured: the origin the browser used", env: {}, origin: "https://id.proxy.example", cli: false },
];

/** The redirect_uri Auth.js sends to the IdP and repeats at the token endpoint (@auth/core: provider.callbackUrl). */
async function authJsRedirectUri(idpId: string) {
  const providerId = `idp-${idpId}`;
  const { GET } = createAuthRouteHandlers(async () => ({
    secret: "x".repeat(32),
    trustHost: true,
    providers: [{ id: providerId, name: "Contoso", type: "oidc", issuer: "https://login.example.net/contoso/v2.0", clientId: "client", clientSecret: "secret" }],
  }));
  const response = await GET(new NextRequest(`${INTERNAL}/api/auth/providers`, { headers: FORWARDED }));
  const providers = (await response.json()) as Record<string, { callbackUrl: string }>;
  return providers[providerId].callbackUrl;
}

// lib/origin.ts: one public-origin rule for the console's Redirect URL and Tenant URL, the OAuth
// callback Auth.js runs, SCIM's meta.location and the CLI's output.
describe(`the public origin is one rule (${testDriver()})`, () => {
  const saved = Object.fromEntries(ORIGIN_VARIABLES.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetEnvCache();
  });

  function configure(env: Record<string, string>) {
    for (const name of ORIGIN_VARIABLES) delete process.env[name];
    resetEnvCache();
    Object.assign(process.env, env);
    browser.headers = new Headers(FORWARDED);
  }

  it.each(combinations)("$name: Redirect URL, redirect_uri, Tenant URL and meta.location agree", async ({ env, origin, cli }) => {
    configure(env);
    const idpId = randomUUID();
    const redirectUrl = idpRedirectUrl(await publicOrigin(), idpId);
    expect(redirectUrl).toBe(`${origin}/api/auth/callback/idp-${idpId}`);
    expect(await authJsRedirectUri(idpId)).toBe(redirectUrl);

    const { tenant, token } = await createScimTenant();
    const tenantUrl = scimTenantUrl(await publicOrigin(), tenant.id);
    expect(tenantUrl).toBe(`${origin}/scim/v2/${tenant.id}`);
    expect(scimUrl(tenant.id)).toBe(cli ? tenantUrl : `/scim/v2/${tenant.id}`);

    const scim = scimClient(tenant.id, token, INTERNAL);
    const forwarded = { "x-forwarded-host": FORWARDED["x-forwarded-host"], "x-forwarded-proto": FORWARDED["x-forwarded-proto"] };
    const created = await scim.post("/Users", { schemas: [USER], userName: `located-${idpId}@example.com` }, forwarded);
    expect(created.status).toBe(201);
    expect(created.body.meta.location).toBe(`${tenantUrl}/Users/${created.body.id}`);
    expect(created.headers.get("location")).toBe(`${tenantUrl}/Users/${created.body.id}`);
    const config = await scim.get("/ServiceProviderConfig", forwarded);
    expect(config.body.meta.location).toBe(`${tenantUrl}/ServiceProviderConfig`);
  });
});
