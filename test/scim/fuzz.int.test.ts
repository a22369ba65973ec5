import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { rowsOf, setupTestDatabase } from "../harness";
import { createScimTenant } from "./client";
import { startScimHttpServer } from "./http-server";
import { flushScimUsage } from "@/lib/scim-server/usage";
import { updateTenant } from "@/lib/db/queries/tenants";

// Generated bodies, filters and paths thrown at the SCIM endpoints over HTTP: no 5xx, no
// request slower than 5 s, and a consistent database afterwards. FUZZ_RUNS raises the count.
const database = setupTestDatabase();
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

let server: Awaited<ReturnType<typeof startScimHttpServer>>;
let tenant: Awaited<ReturnType<typeof createScimTenant>>;
const knownIds: string[] = [];

beforeAll(async () => {
  server = await startScimHttpServer();
  tenant = await createScimTenant();
  await updateTenant(tenant.tenant.id, { settings: { scimRateLimitPerMinute: 1_000_000 } });
  for (let i = 0; i < 5; i++) {
    const res = await send("POST", "/Users", JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `seed${i}@example.com` }));
    knownIds.push((await res.json()).id);
  }
  const group = await send("POST", "/Groups", JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Seed group" }));
  knownIds.push((await group.json()).id);
});

afterAll(async () => {
  await server?.close();
});

async function send(method: string, path: string, body?: string, contentType = "application/scim+json") {
  const headers: Record<string, string> = { authorization: `Bearer ${tenant.token}` };
  if (body !== undefined) headers["content-type"] = contentType;
  return fetch(`${server.origin}/scim/v2/${tenant.tenant.id}${path}`, { method, headers, body, signal: AbortSignal.timeout(5_000) });
}

const attributeNames = fc.constantFrom(
  "userName", "displayName", "active", "emails", "emails.value", "name.givenName", "name", "externalId", "title", "members",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "urn:ietf:params:scim:schemas:extension:2.0:Custom:folders",
  "phoneNumbers[type eq \"mobile\"].value", "emails[type eq \"work\"].value", "meta.created", "id", "groups", "password", "x'; drop table users; --",
);
const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom("True", "False", "' or 1=1 --", "\u0000", "ｆｕｌｌ"));
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(fc.oneof(attributeNames, fc.string({ maxLength: 8 })), tie("value"), { maxKeys: 4 })),
})).value;
const filterText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.tuple(attributeNames, fc.constantFrom("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "EQ", "xx"), scalar).map(([a, o, v]) => `${a} ${o} ${JSON.stringify(v)}`),
  fc.tuple(attributeNames, attributeNames, fc.string({ maxLength: 10 })).map(([a, b, v]) => `(${a} eq "${v}" or not (${b} pr)) and ${a} sw "${v}"`),
);
const opName = fc.constantFrom("add", "Add", "replace", "Replace", "remove", "REMOVE", "bogus");
const patchBody = fc.record({
  schemas: fc.constantFrom(["urn:ietf:params:scim:api:messages:2.0:PatchOp"], [], ["nope"]),
  Operations: fc.array(fc.record({ op: opName, path: fc.option(fc.oneof(attributeNames, fc.string({ maxLength: 30 })), { nil: undefined }), value: jsonValue }), { maxLength: 4 }),
});
const resourceBody = fc.record({
  schemas: fc.constantFrom(["urn:ietf:params:scim:schemas:core:2.0:User"], ["urn:ietf:params:scim:schemas:core:2.0:Group"], []),
  userName: fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.integer()), { nil: undefined }),
  displayName: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  members: fc.option(fc.array(fc.record({ value: fc.oneof(fc.uuid(), fc.string()) }), { maxLength: 3 }), { nil: undefined }),
  extra: jsonValue,
});

const request = fc.oneof(
  filterText.map((f) => ({ method: "GET", path: `/Users?filter=${encodeURIComponent(f)}` })),
  filterText.map((f) => ({ method: "GET", path: `/Groups?filter=${encodeURIComponent(f)}&excludedAttributes=members` })),
  fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })).map(([s, c]) => ({ method: "GET", path: `/Users?startIndex=${encodeURIComponent(s)}&count=${encodeURIComponent(c)}&sortBy=${encodeURIComponent(c)}` })),
  fc.tuple(fc.constantFrom("Users", "Groups"), resourceBody).map(([r, b]) => ({ method: "POST", path: `/${r}`, body: JSON.stringify(b) })),
  fc.tuple(fc.constantFrom("Users", "Groups"), fc.nat(5), patchBody).map(([r, i, b]) => ({ method: "PATCH", path: `/${r}/${i < 5 ? "KNOWN" : "missing"}`, body: JSON.stringify(b) })),
  fc.tuple(fc.constantFrom("Users", "Groups"), fc.string({ maxLength: 40 })).map(([r, s]) => ({ method: "PUT", path: `/${r}/KNOWN`, body: s })),
  // "." and ".." are dot segments: URL parsing removes them before any route sees the request
  // (e2e/crafted-paths.spec.ts sends crafted paths to the real server).
  fc
    .tuple(fc.constantFrom("Users", "Groups"), fc.string({ maxLength: 40 }).filter((id) => id !== "." && id !== ".."))
    .map(([r, id]) => ({ method: "GET", path: `/${r}/${encodeURIComponent(id)}` })),
  fc.string({ maxLength: 60 }).map((s) => ({ method: "POST", path: "/.search", body: s })),
);

describe("fuzzing the SCIM endpoints over HTTP", () => {
  it(`answers ${RUNS} generated requests without a 5xx or a hang`, async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(request, fc.nat(knownIds.length - 1), async (r, pick) => {
        const path = r.path.replace("KNOWN", knownIds[pick]);
        const started = Date.now();
        const res = await send(r.method, path, (r as { body?: string }).body);
        await res.arrayBuffer();
        sent++;
        expect(Date.now() - started).toBeLessThan(5_000);
        if (res.status >= 500) throw new Error(`${r.method} ${path} → ${res.status}`);
        if (res.status >= 400) {
          expect(res.headers.get("content-type")).toContain("application/scim+json");
        }
      }),
      { numRuns: RUNS },
    );
    expect(sent).toBe(RUNS);
  }, 600_000);

  it("leaves the database consistent: counters match and no member is orphaned", async () => {
    await flushScimUsage();
    const id = tenant.tenant.id;
    const [counts] = rowsOf<{ user_count: number; users: number; group_count: number; groups: number }>(
      await database.db.execute(sql`select (select coalesce(sum(users), 0)::int from tenant_counters where tenant_id = t.id) as user_count, (select count(*)::int from users where tenant_id = t.id) as users,
        (select coalesce(sum(groups), 0)::int from tenant_counters where tenant_id = t.id) as group_count, (select count(*)::int from groups where tenant_id = t.id) as groups from tenants t where t.id = ${id}`),
    );
    expect(counts.user_count).toBe(counts.users);
    expect(counts.group_count).toBe(counts.groups);
    const [orphans] = rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from group_members gm
        left join users u on u.id = gm.user_id and u.tenant_id = gm.tenant_id
        left join groups g on g.id = gm.group_id and g.tenant_id = gm.tenant_id
        where u.id is null or g.id is null`),
    );
    expect(orphans.n).toBe(0);
    const mismatched = rowsOf<{ id: string }>(
      await database.db.execute(sql`select g.id from groups g where g.member_count <> (select count(*) from group_members gm where gm.group_id = g.id)`),
    );
    expect(mismatched).toEqual([]);
  });
});
