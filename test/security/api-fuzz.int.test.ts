import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { createScimTenant } from "@/test/scim/client";
import { apiClient, newKey } from "@/test/api/client";
import { webhooksClient } from "@/test/api/webhooks-client";
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
let webhookId = "";
const keys: string[] = [];
const writeKeys: string[] = [];

beforeAll(async () => {
  process.env.API_RATE_LIMIT_PER_MINUTE = "100000";
  resetEnvCache();
  const { tenant, scim } = await createScimTenant();
  tenantId = tenant.id;
  userId = (await scim.post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "fuzz@example.com" })).body.id;
  groupId = (await scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Fuzz", members: [{ value: userId }] })).body.id;
  keys.push(await newKey({ tenantId }), await newKey({ tenantId: null, platform: true }));
  writeKeys.push(await newKey({ tenantId }, "read-write"), await newKey({ tenantId: null, platform: true }, "read-write"));
  const created = await webhooksClient(writeKeys[0]).post(`/tenants/${tenantId}/webhooks`, { url: "https://hooks.example.com/fuzz", eventTypes: [] });
  if (created.status !== 201) throw new Error(`webhook create: ${created.status} ${JSON.stringify(created.body)}`);
  webhookId = created.body.id;
  session = randomBytes(32).toString("base64url");
  const { getDb } = await import("@/lib/db/client");
  await (await getDb()).insert(sessions).values({ sessionToken: hashSessionToken(session), userId, expires: new Date(Date.now() + 3_600_000) });
});

const hostile = fc.constantFrom(
  "", "%", "%E0", "%zz", "%00", "\u0000", "..", "%2F", "null", "undefined", "-1", "0", "1e309", "NaN", "9".repeat(400), "a".repeat(5000),
  "00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "'; select 1; --", "\\", "🙂", "ｆｕｌｌ", "2026-02-30T00:00:00Z",
  "2026-01-01T00:00:00Z", "2026-01-01", "1970-01-01T00:00:00+25:00", "TENANT", "USER", "GROUP", "WEBHOOK", "CURSOR", "BADCURSOR", "SESSION", "gh_st_" + "A".repeat(43), "gh_st_",
);
const value = fc.oneof(hostile, fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 16 }), fc.integer().map(String));
const QUERY_KEYS = ["limit", "after", "email", "externalId", "group", "updatedSince", "displayName", "sort", "limit[]", "__proto__", "constructor"];
const query = fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), value), { maxLength: 4 });

function resolve(v: string) {
  return v
    .replace("TENANT", tenantId)
    .replace("USER", userId)
    .replace("GROUP", groupId)
    .replace("WEBHOOK", webhookId)
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
            // Either session header (the session token, or a handoff's one-time token), by the value's parity.
            if (/^[\x20-\x7e]*$/.test(v)) headers[v.length % 2 ? "x-gatehouse-token" : "x-gatehouse-session"] = v;
          }
          const res = await apiClient(keys[keyIndex]).get(path, headers);
          expect(res.status, `${path} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.headers.get("content-type"), path).toBe("application/problem+json");
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);

  // The write routes (webhooks): generated methods, ids and JSON bodies, with read-write keys.
  const WEBHOOK_ROUTES: { path: (t: string, id: string, d: string) => string; methods: ("GET" | "POST" | "PATCH" | "DELETE")[] }[] = [
    { path: (t) => `/tenants/${t}/webhooks`, methods: ["GET", "POST"] },
    { path: (t, id) => `/tenants/${t}/webhooks/${id}`, methods: ["GET", "PATCH", "DELETE"] },
    { path: (t, id) => `/tenants/${t}/webhooks/${id}/deliveries`, methods: ["GET"] },
    { path: (t, id, d) => `/tenants/${t}/webhooks/${id}/deliveries/${d}/retry`, methods: ["POST"] },
    { path: (t, id) => `/tenants/${t}/webhooks/${id}/test`, methods: ["POST"] },
  ];
  const field = fc.oneof(value, fc.integer(), fc.boolean(), fc.constant(null), fc.array(value, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }));
  const body = fc.oneof(
    fc.record({ url: fc.oneof(field, fc.constantFrom("https://hooks.example.com/x", "http://127.0.0.1/x", "https://[::1]/", "https://169.254.169.254/", "javascript:alert(1)")), eventTypes: field, description: field, enabled: field }, { requiredKeys: [] }),
    fc.jsonValue({ maxDepth: 3 }),
  );
  // Raw bodies: not JSON, truncated JSON, invalid UTF-8, JSON with a NUL.
  const raw = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('{"url":', "\u0000", '{"url":"https://a.example.com\u0000"}', "[]", "null", "0"), fc.uint8Array({ maxLength: 24 }));

  it(`answers ${Math.ceil(RUNS / 2)} generated writes on the webhook routes without a 5xx, never creating a webhook from a refused body`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(WEBHOOK_ROUTES.length - 1),
        fc.nat(3),
        fc.nat(1),
        fc.oneof(fc.constant("TENANT"), value),
        fc.oneof(fc.constant("WEBHOOK"), value),
        fc.oneof(fc.integer().map(String), value),
        fc.oneof(body.map((json) => ({ json })), raw.map((r) => ({ raw: typeof r === "string" ? r : new Uint8Array(r) }))),
        fc.constantFrom("application/json", "application/merge-patch+json", "text/plain", null, "application/json; charset=latin1"),
        async (route, methodIndex, keyIndex, tenant, id, delivery, sent, contentType) => {
          const ids = [resolve(tenant), resolve(id), resolve(delivery)];
          fc.pre(!ids.some((v) => v === "" || v === "." || v === ".."));
          const target = WEBHOOK_ROUTES[route];
          const method = target.methods[methodIndex % target.methods.length];
          const path = target.path(...(ids.map(encodeURIComponent) as [string, string, string]));
          // Never delete the fixture's own webhook: the other cases need it.
          fc.pre(!(method === "DELETE" && ids[1] === webhookId));
          const before = await countWebhooks();
          const res = await webhooksClient(writeKeys[keyIndex]).send(method, path, method === "GET" || method === "DELETE" ? {} : { ...sent, contentType });
          expect(res.status, `${method} ${path} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get("content-type"), path).toBe("application/problem+json");
            expect(await countWebhooks(), `${method} ${path} was refused but changed the webhooks`).toBe(before);
          }
        },
      ),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  }, 600_000);
});

async function countWebhooks() {
  const { getDb } = await import("@/lib/db/client");
  const { webhookEndpoints } = await import("@/lib/db/schema");
  return (await (await getDb()).select({ id: webhookEndpoints.id }).from(webhookEndpoints)).length;
}
