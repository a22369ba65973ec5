import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { createScimTenant, type ScimResponse } from "@/test/scim/client";
import { handlers } from "@/lib/auth/config";

// L-4: crafted input never produces a 5xx; each case below answered 500 before its fix.
setupTestDatabase();

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const CUSTOM = "urn:ietf:params:scim:schemas:extension:2.0:Custom";

function expectScim4xx(res: ScimResponse, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/scim+json");
}

function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe(`L-4: crafted SCIM input is a 4xx (${testDriver()})`, () => {
  it("(a) PATCH /Groups/<non-uuid> on the members-only path is a 404", async () => {
    const { scim } = await createScimTenant();
    const res = await scim.patch("/Groups/not-a-uuid", { schemas: [PATCH_OP], Operations: [{ op: "remove", path: "members" }] });
    expectScim4xx(res, 404);
    const add = await scim.patch("/Groups/not-a-uuid", { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: "x" }] }] });
    expect(add.status).toBeLessThan(500);
  });

  it("(b) /Schemas/%25E0 is decoded once: a 404, not a URIError", async () => {
    const { scim } = await createScimTenant();
    expectScim4xx(await scim.get("/Schemas/%25E0"), 404);
    expectScim4xx(await scim.get("/ResourceTypes/%25E0"), 404);
  });

  it.each(["0000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z", "+010000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])(
    "(d) filter meta.created gt %s answers without a 5xx",
    async (date) => {
      const { scim } = await createScimTenant();
      for (const resource of ["Users", "Groups"]) {
        const res = await scim.get(`/${resource}?filter=${encodeURIComponent(`meta.created gt "${date}"`)}`);
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      }
    },
  );

  it("(e) a NUL nested deeper than 64 levels is a 400", async () => {
    const { scim } = await createScimTenant();
    const res = await scim.post("/Users", { schemas: [USER, CUSTOM], userName: "deep@example.com", [CUSTOM]: nested(30, { b: nested(40, "x\u0000y") }) });
    expectScim4xx(res, 400);
  });

  it("(e) JSON deeper than 32 levels is a 400 invalidSyntax, however deep", async () => {
    const { scim } = await createScimTenant();
    for (const depth of [33, 100_000]) {
      const body = `{"schemas":["${USER}","${CUSTOM}"],"userName":"deep@example.com","${CUSTOM}":{"v":${"[".repeat(depth)}${"]".repeat(depth)}}}`;
      const res = await scim.post("/Users", body);
      expectScim4xx(res, 400);
      expect(res.body.scimType).toBe("invalidSyntax");
    }
    const shallow = await scim.post("/Users", { schemas: [USER, CUSTOM], userName: "ok@example.com", [CUSTOM]: nested(20, "fine") });
    expect(shallow.status).toBe(201);
  });
});

describe("L-4 (c): loose IdP ids in /api/auth are not a 500", () => {
  it.each(["idp-000000000000000000000000000000000000", "idp------------------------------------", "idp-00000000-0000-0000-0000-00000000000g"])(
    "GET /api/auth/callback/%s",
    async (provider) => {
      const response = await handlers.GET(new NextRequest(`http://localhost:3000/api/auth/callback/${provider}?code=x&state=y`));
      expect(response.status).toBeLessThan(500);
    },
  );

  it("an unknown well-formed IdP id ends on the error page", async () => {
    const response = await handlers.GET(new NextRequest("http://localhost:3000/api/auth/callback/idp-00000000-0000-4000-8000-000000000000?code=x&state=y"));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("/login/error?reason=provider_unavailable");
  });
});
