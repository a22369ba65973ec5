// The measured scenarios (issues 6, 12, 13): Entra replay, creates into one tenant, lookups,
// list pages, groups, console pages.
import { randomUUID } from "node:crypto";
import type { Client } from "./load";
import { groupId, userExternalId, userId, userName, type SeededTenant } from "./seed";

export type BenchContext = {
  big: SeededTenant;
  replay: SeededTenant[];
  /** Group index per replay tenant that members are added to. */
  sessionToken: string;
  deepCursor: string;
  runId: string;
  /** Customer tenants seeded beside the big one (seedTenants), 0 when none. */
  extraTenants: number;
};

export type Scenario = {
  name: string;
  group: "floor" | "replay" | "create" | "lookup" | "list" | "groups" | "console";
  connections: number;
  /** Also measure service time with one connection (no queueing). */
  latencyPass?: boolean;
  /** The name of a row of all the scenario's requests together, beside a row per step. */
  combined?: string;
  /** Runs only when `--only` names it (A/B controls, not goals). */
  optIn?: boolean;
  worker: (client: Client, worker: number, iteration: number) => Promise<void>;
};

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const auth = (t: SeededTenant) => ({ authorization: `Bearer ${t.token}` });
const scim = (t: SeededTenant, path: string) => `/scim/v2/${t.id}${path}`;
const filter = (expression: string) => `filter=${encodeURIComponent(expression)}`;
const random = (n: number) => Math.floor(Math.random() * n);
const members = (ids: string[]) => ids.map((value) => ({ value }));
// Unique across passes (warm-up, measured, latency) that restart worker/iteration numbers.
let replaySequence = 0;

export const FLOOR_FIRST = "floor: GET /api/health/live";
export const FLOOR_AGAIN = "floor, again after the scenarios: GET /api/health/live";

function floorScenario(name: string): Scenario {
  return { name, group: "floor", connections: 32, latencyPass: true, worker: (c) => c.request(name, "GET", "/api/health/live").then(() => {}) };
}

/** Rows that read or write one resource: the p99 ≤ 100 ms goal applies to these (issue 12). */
export function isSingleResource(tag: string) {
  if (tag.startsWith("replay: match → create")) return false; // the replay as a whole
  return /^(replay: |create: |lookup: |member (add|remove), |groups: (displayName eq|GET large group))/.test(tag);
}

/** The userName of the created user, unique across passes and runs. */
const newUserName = (prefix: string, runId: string, w: number, i: number, domain: string) => `${prefix}.${runId}.${w}.${i}.${++replaySequence}@${domain}`;
const newUser = (name: string, w: number, i: number) => ({
  schemas: [USER, ENTERPRISE],
  externalId: randomUUID(),
  userName: name,
  active: true,
  displayName: `Entra ${w} ${i}`,
  name: { givenName: `Entra${w}`, familyName: `User${i}`, formatted: `Entra${w} User${i}` },
  emails: [{ primary: true, type: "work", value: name }],
  userType: "Member",
  [ENTERPRISE]: { department: "Sales", employeeNumber: `${w}-${i}` },
});

export function scenarios(ctx: BenchContext): Scenario[] {
  const { big } = ctx;
  const n = big.users;
  const h = auth(big);
  const list: Scenario[] = [
    floorScenario(FLOOR_FIRST),
    {
      name: "replay",
      group: "replay",
      combined: "replay: match → create → patch → group add (all requests)",
      connections: 32,
      async worker(c, w, i) {
        const t = ctx.replay[w % ctx.replay.length];
        const th = auth(t);
        const name = newUserName("entra", ctx.runId, w, i, t.domain);
        await c.request("replay: match userName eq", "GET", scim(t, `/Users?${filter(`userName eq "${name}"`)}`), { headers: th });
        const created = await c.request("replay: POST /Users", "POST", scim(t, "/Users"), {
          headers: th,
          expect: [201],
          body: newUser(name, w, i),
        });
        if (created.status !== 201) return;
        const id = (JSON.parse(created.body) as { id: string }).id;
        await c.request("replay: PATCH /Users", "PATCH", scim(t, `/Users/${id}`), {
          headers: th,
          body: {
            schemas: [PATCH_OP],
            Operations: [
              { op: "Replace", path: "name.givenName", value: `Renamed${w}` },
              { op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0100" },
              { op: "Replace", path: `${ENTERPRISE}:department`, value: "Marketing" },
              { op: "Replace", path: "active", value: "True" },
            ],
          },
        });
        await c.request("replay: PATCH /Groups add member", "PATCH", scim(t, `/Groups/${groupId(t.id, 0)}`), {
          headers: th,
          expect: [204],
          body: { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: members([id]) }] },
        });
      },
    },
    {
      // 32 workers creating distinct users in ONE tenant (the big one): the counter and
      // index contention that the replay's 8 tenants spread out.
      name: "create: POST /Users, one tenant",
      group: "create",
      connections: 32,
      latencyPass: true,
      async worker(c, w, i) {
        await c.request("create: POST /Users, one tenant", "POST", scim(big, "/Users"), { headers: h, expect: [201], body: newUser(newUserName("create", ctx.runId, w, i, big.domain), w, i) });
      },
    },
    lookup("lookup: userName eq", (i) => `/Users?${filter(`userName eq "${userName(big.domain, i)}"`)}`),
    lookup("lookup: externalId eq", (i) => `/Users?${filter(`externalId eq "${userExternalId(big.id, i)}"`)}`),
    lookup('lookup: emails[type eq "work"].value eq', (i) => `/Users?${filter(`emails[type eq "work"].value eq "${userName(big.domain, i)}"`)}`),
    lookup("lookup: GET /Users/{id}", (i) => `/Users/${userId(big.id, i)}`),
    // A/B controls (`--only control`): `F and F` selects what F selects but is not one of the
    // three prepared lookup shapes, so it measures the general filter path in the same run.
    control("control: userName eq, general path", (i) => `userName eq "${userName(big.domain, i)}"`),
    control("control: externalId eq, general path", (i) => `externalId eq "${userExternalId(big.id, i)}"`),
    control('control: emails[type eq "work"].value eq, general path', (i) => `emails[type eq "work"].value eq "${userName(big.domain, i)}"`),
    {
      name: "list: /Users count=100 startIndex=1",
      group: "list",
      connections: 32,
      latencyPass: true,
      worker: (c) => c.request("list: /Users count=100 startIndex=1", "GET", scim(big, "/Users?startIndex=1&count=100"), { headers: h }).then(() => {}),
    },
    {
      name: `list: /Users count=100 startIndex=${Math.floor(n / 2)}`,
      group: "list",
      connections: 32,
      latencyPass: true,
      worker: (c) =>
        c.request(`list: /Users count=100 startIndex=${Math.floor(n / 2)}`, "GET", scim(big, `/Users?startIndex=${Math.floor(n / 2)}&count=100`), { headers: h }).then(() => {}),
    },
    {
      name: "groups: displayName eq, excludedAttributes=members",
      group: "groups",
      connections: 32,
      latencyPass: true,
      worker: (c) =>
        c
          .request("groups: displayName eq, excludedAttributes=members", "GET", scim(big, `/Groups?excludedAttributes=members&${filter(`displayName eq "Group ${random(big.groups)}"`)}`), { headers: h })
          .then(() => {}),
    },
    {
      name: "groups: GET large group, excludedAttributes=members",
      group: "groups",
      connections: 32,
      latencyPass: true,
      worker: (c) => c.request("groups: GET large group, excludedAttributes=members", "GET", scim(big, `/Groups/${groupId(big.id, 0)}?excludedAttributes=members`), { headers: h }).then(() => {}),
    },
    {
      // Remove then re-add a current member: the large group keeps its size.
      name: `groups: member remove+add, ${big.bigGroupMembers}-member group`,
      group: "groups",
      combined: `member add/remove, ${big.bigGroupMembers}-member group (all requests)`,
      connections: 32,
      latencyPass: true,
      async worker(c, w, i) {
        const slots = Math.floor(big.bigGroupMembers / 64);
        const u = userId(big.id, 2 + w + 64 * (i % slots));
        const path = scim(big, `/Groups/${groupId(big.id, 0)}`);
        await c.request(`member remove, ${big.bigGroupMembers}-member group`, "PATCH", path, { headers: h, expect: [204], body: { schemas: [PATCH_OP], Operations: [{ op: "Remove", path: "members", value: members([u]) }] } });
        await c.request(`member add, ${big.bigGroupMembers}-member group`, "PATCH", path, { headers: h, expect: [204], body: { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: members([u]) }] } });
      },
    },
    {
      // Add then remove a non-member: the small group keeps its 2 members.
      name: "groups: member add+remove, 2-member group",
      group: "groups",
      combined: "member add/remove, 2-member group (all requests)",
      connections: 32,
      latencyPass: true,
      async worker(c, w, i) {
        const u = userId(big.id, n - 1 - w - 64 * (i % 50));
        const path = scim(big, `/Groups/${groupId(big.id, 1)}`);
        await c.request("member add, 2-member group", "PATCH", path, { headers: h, expect: [204], body: { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: members([u]) }] } });
        await c.request("member remove, 2-member group", "PATCH", path, { headers: h, expect: [204], body: { schemas: [PATCH_OP], Operations: [{ op: "remove", path: `members[value eq "${u}"]` }] } });
      },
    },
    {
      name: "groups: 100 members in one PATCH",
      group: "groups",
      connections: 32,
      latencyPass: true,
      async worker(c, w, i) {
        const start = ((w * 7919 + i * 100) % Math.max(1, n - 100));
        const ids = Array.from({ length: 100 }, (_, j) => userId(big.id, start + j));
        const path = scim(big, `/Groups/${groupId(big.id, 2 + (w % Math.max(1, big.groups - 2)))}`);
        await c.request("add 100 members in one PATCH", "PATCH", path, { headers: h, expect: [204], body: { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: members(ids) }] } });
        await c.request("remove 100 members in one PATCH", "PATCH", path, { headers: h, expect: [204], body: { schemas: [PATCH_OP], Operations: [{ op: "Remove", path: "members", value: members(ids) }] } });
      },
    },
  ];
  const cookie = `authjs.session-token=${ctx.sessionToken}; __Secure-authjs.session-token=${ctx.sessionToken}`;
  const consolePage = (name: string, path: (i: number) => string): Scenario => ({
    name,
    group: "console",
    connections: 4,
    latencyPass: true,
    worker: (c) => c.request(name, "GET", path(random(n)), { headers: { cookie } }).then(() => {}),
  });
  const tenantQuery = () =>
    ctx.extraTenants > 0 ? `c${String(1 + random(ctx.extraTenants)).padStart(5, "0")}` : big.slug;
  list.push(
    consolePage("console: dashboard", () => "/dashboard"),
    consolePage("console: tenant list", () => "/tenants"),
    consolePage("console: tenant search (slug)", () => `/tenants?q=${encodeURIComponent(tenantQuery())}`),
    consolePage("console: Users first page", () => `/users?tenantId=${big.id}`),
    consolePage("console: Users deep page (keyset)", () => `/users?tenantId=${big.id}&after=${ctx.deepCursor}&page=${Math.floor(n / 100)}`),
    consolePage("console: Users search (1 match)", (i) => `/users?tenantId=${big.id}&q=${encodeURIComponent(`user${i}@`)}`),
  );
  // The floor again after every other scenario: the ratios are to the mean of both windows,
  // so a floor that drifts while the scenarios run (this host's does) moves every ratio alike.
  list.push(floorScenario(FLOOR_AGAIN));
  return list;

  function control(name: string, expression: (i: number) => string): Scenario {
    return { ...lookup(name, (i) => `/Users?${filter(`${expression(i)} and ${expression(i)}`)}`), optIn: true };
  }

  function lookup(name: string, path: (i: number) => string): Scenario {
    return {
      name,
      group: "lookup",
      connections: 32,
      latencyPass: true,
      worker: (c) => c.request(name, "GET", scim(big, path(random(n))), { headers: h }).then(() => {}),
    };
  }
}
