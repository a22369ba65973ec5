import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "./client";
import { parseFilter } from "@/lib/scim/filter";
import { userLookupOf } from "@/lib/db/scim-filter-sql";
import { users } from "@/lib/db/schema";

// Entra's three matching filters run as prepared statements (lib/db/queries/scim-users.ts);
// every other filter is compiled by compileFilter. `F and F` selects what F selects but is
// not one of the three shapes, so it takes the general path: both must answer alike.

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

type Email = { type?: unknown; value?: unknown; primary?: boolean };
const user = (userName: string, externalId: string | undefined, emails: Email[]) => ({ schemas: [USER], userName, externalId, active: true, emails });

async function seed() {
  const t = await createScimTenant();
  const ada = await t.scim.post("/Users", user("Ada.Lovelace@Example.com", "ext-1", [{ type: "work", value: "Ada.Lovelace@Example.com", primary: true }]));
  await t.scim.post("/Users", user("EXT-upper@example.com", "EXT-1", [{ type: "work", value: "ext-upper@example.com" }]));
  // externalId is not unique (RFC 7643 §3.1): two users share one, in creation order.
  await t.scim.post("/Users", user("bob@example.com", "ext-shared", [{ type: "home", value: "shared@example.com" }, { type: "Work", value: "Bob.Work@Example.com" }]));
  await t.scim.post("/Users", user("carol@example.com", "ext-shared", [{ type: "work", value: "shared@example.com" }]));
  // A work email whose type or value is not a string: never matched.
  await t.scim.post("/Users", user("dave@example.com", undefined, [{ type: "work", value: "dave@example.com" }, { type: ["work"], value: "odd@example.com" }]));
  const group = await t.scim.post("/Groups", { schemas: [GROUP], displayName: "Engineers", members: [{ value: ada.body.id }] });
  expect(group.status).toBe(201);
  // A console-created (Local) user is invisible to SCIM on either path.
  await database.db
    .insert(users)
    .values({ tenantId: t.tenant.id, userName: "local@example.com", userNameNormalized: "local@example.com", externalId: "ext-local", workEmails: ["local@example.com"], source: "local", loginMethod: "password" });
  return { ...t, adaId: ada.body.id as string };
}

const FILTERS = [
  'userName eq "ada.lovelace@example.com"',
  'USERNAME eq "  ADA.LOVELACE@EXAMPLE.COM "',
  `${USER}:userName eq "bob@example.com"`,
  'userName eq "local@example.com"',
  'userName eq "nobody@example.com"',
  'externalId eq "ext-1"',
  'externalId eq "EXT-1"',
  'externalId eq "Ext-1"',
  'externalId eq "ext-shared"',
  'externalId eq "ext-local"',
  'emails[type eq "work"].value eq "bob.work@example.com"',
  'emails[type eq "WORK"].value eq "SHARED@example.com"',
  'emails[type eq "work"].value eq "odd@example.com"',
  'emails[type eq "work"].value eq "local@example.com"',
  'emails[type eq "work"].value eq "nobody@example.com"',
];

const QUERIES = [
  "",
  "&excludedAttributes=groups",
  "&excludedAttributes=emails,groups,meta",
  "&attributes=userName,groups",
  "&attributes=externalId",
  "&count=1",
  "&count=0",
  "&startIndex=2",
  "&startIndex=2&count=1",
  "&startIndex=-4&count=5",
  "&startIndex=9007199254740991",
];

describe("Entra's matching lookups (prepared) answer as the general filter path does", () => {
  it("recognises exactly userName eq, externalId eq and the work-email filter", () => {
    for (const f of FILTERS) expect(userLookupOf(parseFilter(f)), f).toBeDefined();
    for (const f of [
      'userName ne "a"',
      'userName co "a"',
      "userName eq 5",
      'displayName eq "a"',
      'emails[type eq "home"].value eq "a"',
      'emails[type eq "work"].display eq "a"',
      'emails[type eq "work" or value eq "a"]',
      'emails.value eq "a"',
      'userName eq "a" and userName eq "a"',
      `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "a"`,
    ]) {
      expect(userLookupOf(parseFilter(f)), f).toBeUndefined();
    }
  });

  it("returns identical responses for each shape, with projections, paging and no match", async () => {
    const { scim, adaId } = await seed();
    for (const f of FILTERS) {
      for (const q of QUERIES) {
        const fast = await scim.get(`/Users?filter=${encodeURIComponent(f)}${q}`);
        const general = await scim.get(`/Users?filter=${encodeURIComponent(`${f} and ${f}`)}${q}`);
        expect(fast.status, `${f} ${q}`).toBe(200);
        expect(fast.body, `${f} ${q}`).toEqual(general.body);
      }
    }
    // The comparison is not between two empty answers.
    const get = async (f: string, q = "") => (await scim.get(`/Users?filter=${encodeURIComponent(f)}${q}`)).body;
    const ada = await get('userName eq "ADA.LOVELACE@example.com"');
    expect(ada.totalResults).toBe(1);
    expect(ada.Resources[0].id).toBe(adaId);
    expect(ada.Resources[0].groups).toEqual([expect.objectContaining({ value: expect.any(String), display: "Engineers" })]);
    expect((await get('userName eq "ADA.LOVELACE@example.com"', "&excludedAttributes=groups")).Resources[0].groups).toBeUndefined();
    // externalId is caseExact (RFC 7643 §3.1): "EXT-1" is another user's.
    expect((await get('externalId eq "ext-1"')).Resources.map((r: { userName: string }) => r.userName)).toEqual(["Ada.Lovelace@Example.com"]);
    expect((await get('externalId eq "Ext-1"')).totalResults).toBe(0);
    const shared = await get('externalId eq "ext-shared"', "&count=1");
    expect(shared.totalResults).toBe(2);
    expect(shared.Resources.map((r: { userName: string }) => r.userName)).toEqual(["bob@example.com"]);
    expect((await get('externalId eq "ext-shared"', "&startIndex=2")).Resources.map((r: { userName: string }) => r.userName)).toEqual(["carol@example.com"]);
    expect((await get('emails[type eq "WORK"].value eq "SHARED@example.com"')).Resources.map((r: { userName: string }) => r.userName)).toEqual(["carol@example.com"]);
    expect((await get('emails[type eq "work"].value eq "bob.work@example.com"')).totalResults).toBe(1);
    expect((await get('emails[type eq "work"].value eq "odd@example.com"')).totalResults).toBe(0);
    expect((await get('userName eq "local@example.com"')).totalResults).toBe(0);
    expect((await get('externalId eq "ext-shared"', "&count=0")).totalResults).toBe(2);
  });

  it("serves each shape in at most 2 statements, through GET and POST /.search alike", async () => {
    const { scim } = await seed();
    for (const f of ['userName eq "bob@example.com"', 'externalId eq "ext-1"', 'emails[type eq "work"].value eq "bob.work@example.com"']) {
      const res = await scim.get(`/Users?filter=${encodeURIComponent(f)}`);
      expect(res.body.totalResults, f).toBe(1);
      expect(res.queries, f).toBeLessThanOrEqual(2);
      const searched = await scim.post("/Users/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: f });
      expect(searched.body, f).toEqual(res.body);
    }
  });
});
