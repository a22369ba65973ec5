import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "./client";

setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

function entraUser(userName: string, externalId = randomUUID()) {
  return {
    schemas: [USER, ENTERPRISE],
    externalId,
    userName,
    active: true,
    displayName: "Ada Lovelace",
    emails: [{ primary: true, type: "work", value: userName }],
    name: { formatted: "Ada Lovelace", familyName: "Lovelace", givenName: "Ada" },
    [ENTERPRISE]: { department: "Engineering", employeeNumber: "42" },
  };
}

describe("RFC 7644 §3.3 creating users", () => {
  it("answers 201 with id, Location, ETag and meta, and the user is retrievable", async () => {
    const { scim } = await createScimTenant();
    const created = await scim.post("/Users", entraUser("ada@example.com"));
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.headers.get("location")).toBe(created.body.meta.location);
    expect(created.headers.get("etag")).toBe(created.body.meta.version);
    expect(created.headers.get("content-type")).toContain("application/scim+json");
    const fetched = await scim.get(`/Users/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.userName).toBe("ada@example.com");
    expect(fetched.body[ENTERPRISE].department).toBe("Engineering");
    expect(fetched.body.meta.resourceType).toBe("User");
  });

  it("rejects a userName differing only by case or NFKC form with 409 uniqueness", async () => {
    const { scim } = await createScimTenant();
    expect((await scim.post("/Users", entraUser("Ｂob@example.com"))).status).toBe(201);
    for (const twin of ["bob@example.com", "BOB@EXAMPLE.COM"]) {
      const res = await scim.post("/Users", entraUser(twin));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ status: "409", scimType: "uniqueness" });
    }
    const list = await scim.get("/Users");
    expect(list.body.totalResults).toBe(1);
  });

  it("lets exactly one of 20 parallel creates of one userName succeed", async () => {
    const { scim } = await createScimTenant();
    const results = await Promise.all(Array.from({ length: 20 }, () => scim.post("/Users", entraUser("race@example.com"))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    expect((await scim.get('/Users?filter=userName eq "race@example.com"')).body.totalResults).toBe(1);
  });
});

describe("Entra Test Connection and matching filters", () => {
  it("answers a random-GUID userName filter with 200 and an empty ListResponse", async () => {
    const { scim } = await createScimTenant();
    const res = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${randomUUID()}"`)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it("matches by userName, externalId and work email, inactive users included", async () => {
    const { scim } = await createScimTenant();
    const externalId = randomUUID();
    const created = await scim.post("/Users", { ...entraUser("match@example.com", externalId), active: false });
    for (const filter of [`userName eq "MATCH@example.com"`, `externalId eq "${externalId}"`, `emails[type eq "work"].value eq "match@example.com"`]) {
      const res = await scim.get(`/Users?filter=${encodeURIComponent(filter)}`);
      expect(res.status, filter).toBe(200);
      expect(res.body.totalResults, filter).toBe(1);
      expect(res.body.Resources[0].id).toBe(created.body.id);
      expect(res.body.Resources[0].active).toBe(false);
    }
  });
});

describe("RFC 7644 §3.5.2 PATCH in Entra's shapes", () => {
  it("deactivates with the string \"False\" and reactivates with a real boolean", async () => {
    const { scim } = await createScimTenant();
    const { body } = await scim.post("/Users", entraUser("toggle@example.com"));
    const off = await scim.patch(`/Users/${body.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: "False" }] });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const on = await scim.patch(`/Users/${body.id}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { active: true } }] });
    expect(on.body.active).toBe(true);
  });

  it("applies a path-less replace whose keys are paths (aadOptscim062020)", async () => {
    const { scim } = await createScimTenant();
    const { body } = await scim.post("/Users", entraUser("keys@example.com"));
    const res = await scim.patch(`/Users/${body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", value: { "name.givenName": "Augusta", [`${ENTERPRISE}:employeeNumber`]: "7", 'emails[type eq "work"].value': "new@example.com" } }],
    });
    expect(res.status).toBe(200);
    expect(res.body.name.givenName).toBe("Augusta");
    expect(res.body.name.familyName).toBe("Lovelace");
    expect(res.body[ENTERPRISE].employeeNumber).toBe("7");
    expect(res.body.emails).toEqual([{ primary: true, type: "work", value: "new@example.com" }]);
    const found = await scim.get(`/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "new@example.com"')}`);
    expect(found.body.totalResults).toBe(1);
  });

  it("sets and removes a manager; an id of another tenant is only stored (see manager.int.test.ts)", async () => {
    const { scim } = await createScimTenant();
    const other = await createScimTenant();
    const boss = await scim.post("/Users", entraUser("boss@example.com"));
    const worker = await scim.post("/Users", entraUser("worker@example.com"));
    const foreign = await other.scim.post("/Users", entraUser("foreign@example.com"));
    const set = await scim.patch(`/Users/${worker.body.id}`, { schemas: [PATCH], Operations: [{ op: "Add", path: `${ENTERPRISE}:manager`, value: boss.body.id }] });
    expect(set.status).toBe(200);
    expect(set.body[ENTERPRISE].manager.value).toBe(boss.body.id);
    const cross = await scim.patch(`/Users/${worker.body.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: `${ENTERPRISE}:manager`, value: foreign.body.id }] });
    expect(cross.status).toBe(200);
    expect(cross.body[ENTERPRISE].manager.value).toBe(foreign.body.id);
    const removed = await scim.patch(`/Users/${worker.body.id}`, { schemas: [PATCH], Operations: [{ op: "Remove", path: `${ENTERPRISE}:manager` }] });
    expect(removed.status).toBe(200);
    expect(removed.body[ENTERPRISE]?.manager).toBeUndefined();
  });

  it("is atomic: a failing second operation leaves the first unapplied", async () => {
    const { scim } = await createScimTenant();
    const { body } = await scim.post("/Users", entraUser("atomic@example.com"));
    const res = await scim.patch(`/Users/${body.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: "replace", path: "displayName", value: "Changed" },
        { op: "replace", path: "noSuchAttribute", value: "x" },
      ],
    });
    expect(res.status).toBe(400);
    expect((await scim.get(`/Users/${body.id}`)).body.displayName).toBe("Ada Lovelace");
  });

  it("answers 412 when If-Match names an old version", async () => {
    const { scim } = await createScimTenant();
    const { body, headers } = await scim.post("/Users", entraUser("etag@example.com"));
    await scim.patch(`/Users/${body.id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: "Dr" }] });
    const stale = await scim.patch(`/Users/${body.id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: "Prof" }] }, { "if-match": headers.get("etag")! });
    expect(stale.status).toBe(412);
    expect((await scim.get(`/Users/${body.id}`)).body.title).toBe("Dr");
  });
});

describe("RFC 7644 §3.12 errors for bad input", () => {
  it("maps malformed JSON, wrong content type, oversize bodies and unknown ids to RFC error bodies", async () => {
    const { scim } = await createScimTenant();
    const malformed = await scim.call("POST", "/Users", "{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType: "invalidSyntax" });
    const wrongType = await scim.call("POST", "/Users", JSON.stringify(entraUser("t@example.com")), { "content-type": "text/plain" });
    expect(wrongType.status).toBe(415);
    const huge = await scim.post("/Users", { ...entraUser("big@example.com"), title: "x".repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.status).toBe("413");
    const missing = await scim.get(`/Users/${randomUUID()}`);
    expect(missing.status).toBe(404);
    const notUuid = await scim.patch("/Users/not-a-uuid", { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value: false }] });
    expect(notUuid.status).toBe(404);
    expect((await scim.get("/Users")).body.totalResults).toBe(0);
  });

  it("rejects deep filters and treats SQL metacharacters as data", async () => {
    const { scim } = await createScimTenant();
    await scim.post("/Users", entraUser("o'brien@example.com"));
    const deep = await scim.get(`/Users?filter=${encodeURIComponent("(".repeat(500) + 'userName eq "a"' + ")".repeat(500))}`);
    expect(deep.status).toBe(400);
    expect(deep.body.scimType).toBe("invalidFilter");
    const injection = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "x' or '1'='1"`)}`);
    expect(injection.status).toBe(200);
    expect(injection.body.totalResults).toBe(0);
    const quote = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "o'brien@example.com"`)}`);
    expect(quote.body.totalResults).toBe(1);
  });

  it("handles negative, huge and non-numeric paging parameters without a 5xx", async () => {
    const { scim } = await createScimTenant();
    for (let i = 0; i < 3; i++) await scim.post("/Users", entraUser(`page${i}@example.com`));
    const negative = await scim.get("/Users?startIndex=-5&count=-1");
    expect(negative.status).toBe(200);
    expect(negative.body.startIndex).toBe(1);
    expect(negative.body.Resources).toHaveLength(0);
    expect(negative.body.totalResults).toBe(3);
    const huge = await scim.get("/Users?startIndex=1&count=999999999");
    expect(huge.status).toBe(200);
    expect(huge.body.Resources).toHaveLength(3);
    const text = await scim.get("/Users?startIndex=abc");
    expect(text.status).toBeLessThan(500);
  });
});

describe("tenant isolation", () => {
  it("never shows one tenant's users through another tenant's token", async () => {
    const a = await createScimTenant();
    const b = await createScimTenant();
    const user = await a.scim.post("/Users", entraUser("private@example.com"));
    expect((await b.scim.get(`/Users/${user.body.id}`)).status).toBe(404);
    expect((await b.scim.get("/Users")).body.totalResults).toBe(0);
  });
});

describe("query budget", () => {
  it("serves GET by id and filter lookups in at most 2 statements (token and tenant settings in one), list pages in 3", async () => {
    const { scim } = await createScimTenant();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await scim.post("/Users", entraUser(`budget${i}@example.com`))).body.id);
    const byId = await scim.get(`/Users/${ids[3]}`);
    expect(byId.queries).toBeLessThanOrEqual(2);
    const lookup = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "budget7@example.com"')}`);
    expect(lookup.body.totalResults).toBe(1);
    expect(lookup.queries).toBeLessThanOrEqual(2);
    const page = await scim.get("/Users?startIndex=1&count=20");
    expect(page.body.Resources).toHaveLength(20);
    expect(page.queries).toBeLessThanOrEqual(3);
  });
});
