import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { createScimTenant } from "@/test/scim/client";
import { apiClient, newKey } from "@/test/api/client";
import { encodeCursor } from "@/lib/db/keyset";
import { resetEnvCache } from "@/lib/env";
import { hashSessionToken } from "@/lib/auth/session-store";
import { sessions } from "@/lib/db/schema";

// Generated ids, filters, cursors, limits and session tokens on every /api/v1 route, with a
// tenant key and a platform key: no answer is a 5xx, and every refusal is problem+json.
// FUZZ_API_RUNS sets the number of cases.
setupTestDatabase();
const RUNS = Number(process.env.FUZZ_API_RUNS ?? 400);

let tenantId = "";
let userId = "";
let groupId = "";
let session = "";
const keys: string[] = [];

beforeAll(async () => {
  process.env.API_RATE_LIMIT_PER_MINUTE = "100000";
  resetEnvCache();
  const { tenant, scim } = await createScimTenant();
  tenantId = tenant.id;
  userId = (await scim.post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "fuzz@example.com" })).body.id;
  groupId = (await scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Fuzz", members: [{ value: userId }] })).body.id;
  keys.push(await newKey({ tenantId }), await newKey({ tenantId: null, platform: true }));
  session = randomBytes(32).toString("base64url");
  const { getDb } = await import("@/lib/db/client");
  await (await getDb()).insert(sessions).values({ sessionToken: hashSessionToken(session), userId, expires: new Date(Date.now() + 3_600_000) });
});

const hostile = fc.constantFrom(
  "", "%", "%E0", "%zz", "%00", "\u0000", "..", "%2F", "null", "undefined", "-1", "0", "1e309", "NaN", "9".repeat(400), "a".repeat(5000),
  "00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "'; select 1; --", "\\", "🙂", "ｆｕｌｌ", "2026-02-30T00:00:00Z",
  "2026-01-01T00:00:00Z", "2026-01-01", "1970-01-01T00:00:00+25:00", "TENANT", "USER", "GROUP", "CURSOR", "BADCURSOR", "SESSION",
);
const value = fc.oneof(hostile, fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 16 }), fc.integer().map(String));
const QUERY_KEYS = ["limit", "after", "email", "externalId", "group", "updatedSince", "displayName", "sort", "limit[]", "__proto__", "constructor"];
const query = fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), value), { maxLength: 4 });

function resolve(v: string) {
  return v
    .replace("TENANT", tenantId)
    .replace("USER", userId)
    .replace("GROUP", groupId)
    .replace("BADCURSOR", encodeCursor(["2026-01-01 00:00:00+00", "not-a-uuid"]))
    .replace("CURSOR", encodeCursor(["2026-01-01 00:00:00+00", userId]))
    .replace("SESSION", session);
}

const ROUTES = [
  (t: string) => `/tenants/${t}/users`,
  (t: string, id: string) => `/tenants/${t}/users/${id}`,
  (t: string) => `/tenants/${t}/groups`,
  (t: string, id: string) => `/tenants/${t}/groups/${id}/members`,
  () => "/session",
];

describe(`fuzzing the API's parameters (${testDriver()})`, () => {
  it(`answers ${RUNS} generated requests without a 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(ROUTES.length - 1),
        fc.nat(1),
        fc.oneof(fc.constant("TENANT"), value),
        fc.oneof(fc.constant("USER"), fc.constant("GROUP"), value),
        query,
        fc.option(value, { nil: undefined }),
        async (route, keyIndex, tenant, id, params, sessionHeader) => {
          // Empty and dot segments never reach these routes (URL parsing removes them; Next.js answers 404).
          fc.pre(![resolve(tenant), resolve(id)].some((v) => v === "" || v === "." || v === ".."));
          const search = new URLSearchParams(params.map(([k, v]) => [k, resolve(v)])).toString();
          const path = ROUTES[route](encodeURIComponent(resolve(tenant)), encodeURIComponent(resolve(id))) + (search ? `?${search}` : "");
          const headers: Record<string, string> = {};
          if (sessionHeader !== undefined) {
            const v = resolve(sessionHeader);
            // Header values must be ByteStrings without line breaks (fetch refuses others before sending).
            if (/^[\x20-\x7e]*$/.test(v)) headers["x-gatehouse-session"] = v;
          }
          const res = await apiClient(keys[keyIndex]).get(path, headers);
          expect(res.status, `${path} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.headers.get("content-type"), path).toBe("application/problem+json");
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);
});
