import fc from "fast-check";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { createScimTenant } from "@/test/scim/client";
import { updateTenant } from "@/lib/db/queries/tenants";
import { handlers } from "@/lib/auth/config";
import { scimEndpoints } from "@/lib/scim-server/endpoints";
import { malformedScimPath } from "@/lib/scim-server/malformed-path";
import { proxy } from "@/proxy";

// Generated path segments (invalid percent-encoding, overlong ids, NUL, dot segments,
// unicode, %2F) on every SCIM, auth and console route, in-process as Next.js routes them:
// the proxy first, then the route handler with segments decoded once. Zero 5xx.
// FUZZ_PATH_RUNS sets the number of cases (CI: 10,000 per driver).
vi.mock("next/headers", async () => (await import("./console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("./console-session")).nextCache);

setupTestDatabase();
const RUNS = Number(process.env.FUZZ_PATH_RUNS ?? 10_000);

let tenant: Awaited<ReturnType<typeof createScimTenant>>;
let knownUser: string;
beforeAll(async () => {
  tenant = await createScimTenant();
  await updateTenant(tenant.tenant.id, { settings: { scimRateLimitPerMinute: 1_000_000 } });
  knownUser = (await tenant.scim.post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "seed@example.com" })).body.id;
});

const hostile = fc.constantFrom(
  "%", "%E0", "%25E0", "%%", "%zz", "%C0%AF", "%ED%A0%80", "%00", "\u0000", "%2F", "%2f..%2f", "..", ".", "%2e%2e", "%2E", "./", "..%5C",
  "\u202e", "ｆｕｌｌ", "🙂", "%F0%9F%99%82", "İ", "idp-", "idp-000000000000000000000000000000000000", "idp-00000000-0000-0000-0000-00000000000g",
  "00000000-0000-0000-0000-000000000000", "KNOWN", "KNOWN%00", ".search", "%2Esearch", ";", "?", "#", " ", "%20", "+",
);
const segment = fc.oneof(
  hostile,
  fc.string({ maxLength: 24 }).map(encodeURIComponent),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.nat(5000).map((n) => "a".repeat(n)),
  fc.tuple(hostile, fc.string({ maxLength: 6 }), hostile).map((parts) => parts.join("")),
);
const segments = fc.array(segment, { minLength: 1, maxLength: 4 });

const SCIM_PREFIXES = ["", "Users", "Groups", "Schemas", "ResourceTypes", "ServiceProviderConfig", "users", "Groups/.search"];
const AUTH_PREFIXES = ["callback", "signin", "signout", "session", "csrf", "providers", "error", ""];
const CONSOLE_PREFIXES = ["dashboard", "tenants", "identity-providers", "users", "groups", "activity", "login", "t", "me", "idp-test"];

/** Next.js decodes each segment once; the proxy has already answered any it cannot decode. */
const decodeOnce = (raw: string) => raw.split("/").map((s) => decodeURIComponent(s));

function pathOf(prefix: string, parts: string[]) {
  const encoded = parts.map((p) => p.replace(/[\u0000-\u001f\u007f ?#]/g, (c) => encodeURIComponent(c)).replace("KNOWN", knownUser));
  return [prefix, ...encoded].filter(Boolean).join("/");
}

async function scimCase(method: string, prefix: string, parts: string[]) {
  const base = `/scim/v2/${tenant.tenant.id}`;
  const rest = pathOf(prefix, parts);
  const early = malformedScimPath(`${base}/${rest}`);
  if (early) return early;
  const headers: Record<string, string> = { authorization: `Bearer ${tenant.token}` };
  const body = method === "GET" || method === "DELETE" ? undefined : '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}';
  if (body) headers["content-type"] = "application/scim+json";
  const request = new Request(`http://gatehouse.test${base}/${rest}`, { method, headers, body });
  return scimEndpoints[method as keyof typeof scimEndpoints](request, { params: Promise.resolve({ tenantId: tenant.tenant.id, rest: decodeOnce(rest) }) });
}

async function authCase(method: string, prefix: string, parts: string[]) {
  const init = method === "POST" ? { method, body: "csrfToken=x", headers: { "content-type": "application/x-www-form-urlencoded" } } : { method };
  return handlers[method as "GET" | "POST"](new NextRequest(`http://localhost:3000/api/auth/${pathOf(prefix, parts)}`, init));
}

async function consoleCase(prefix: string, parts: string[], cookie: string | undefined) {
  return proxy(new NextRequest(`http://localhost:3000/${pathOf(prefix, parts)}`, cookie ? { headers: { cookie } } : {}));
}

const fuzzCase = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom("GET", "PATCH", "PUT", "DELETE", "POST"), fc.constantFrom(...SCIM_PREFIXES), segments).map(([m, p, s]) => ({ kind: "scim" as const, m, p, s })) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom("GET", "POST"), fc.constantFrom(...AUTH_PREFIXES), segments).map(([m, p, s]) => ({ kind: "auth" as const, m, p, s })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...CONSOLE_PREFIXES), segments, fc.constantFrom(undefined, "authjs.session-token=x")).map(([p, s, c]) => ({ kind: "console" as const, p, s, c })) },
);

describe(`fuzzing path segments on every route (${testDriver()})`, () => {
  it(`answers ${RUNS} generated paths without a 5xx`, async () => {
    const seen = { scim: 0, auth: 0, console: 0 };
    await fc.assert(
      fc.asyncProperty(fuzzCase, async (c) => {
        let response: Response;
        const prefix = c.kind === "auth" ? "api/auth/" : "";
        // What the server routes: the path after URL parsing has removed dot segments.
        const routed = new URL(`http://localhost:3000/${prefix}${pathOf(c.p, c.s)}`).pathname;
        let decodable = true;
        try {
          decodeOnce(routed);
        } catch {
          decodable = false;
        }
        // Next.js answers an undecodable segment with a 500 before any route runs: the proxy
        // (which sees every percent-encoded path) must answer it first.
        if (!decodable && c.kind !== "scim") {
          const answered = await proxy(new NextRequest(`http://localhost:3000/${prefix}${pathOf(c.p, c.s)}`));
          if (answered.headers.get("x-middleware-next")) throw new Error(`${c.kind} /${prefix}${pathOf(c.p, c.s)} reaches Next.js undecodable`);
          response = answered;
        } else if (c.kind === "scim") response = await scimCase(c.m, c.p, c.s);
        else if (c.kind === "auth") response = await authCase(c.m, c.p, c.s);
        else response = await consoleCase(c.p, c.s, c.c);
        seen[c.kind]++;
        await response.arrayBuffer().catch(() => {});
        if (response.status >= 500) throw new Error(`${c.kind} ${"m" in c ? c.m : "GET"} /${pathOf(c.p, c.s)} → ${response.status}`);
        if (c.kind === "scim" && response.status >= 400) expect(response.headers.get("content-type")).toContain("application/scim+json");
      }),
      { numRuns: RUNS },
    );
    expect(seen.scim).toBeGreaterThan(0);
    expect(seen.auth).toBeGreaterThan(0);
    expect(seen.console).toBeGreaterThan(0);
  }, 900_000);
});
