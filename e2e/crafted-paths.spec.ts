import { expect, test } from "@playwright/test";
import { scimFixture } from "./fixtures/scim-tenant";

// The crafted paths of the December security review (L-4), sent raw to the running
// production server: Next.js itself fails to decode some of them, so the in-process fuzzer
// (test/security/path-fuzz.int.test.ts) cannot prove what the built server answers.
// Every answer is a 4xx in the shape its route speaks, never Next's 500 page.
const { tenantId, token } = scimFixture();
const scimBase = `/scim/v2/${tenantId}`;

async function rawGet(baseURL: string, path: string, headers: Record<string, string> = {}) {
  // fetch keeps the path as written (no normalisation of %E0 or dot segments beyond WHATWG URL's).
  const response = await fetch(new URL(path, baseURL), { headers, redirect: "manual" });
  return { status: response.status, type: response.headers.get("content-type") ?? "", body: await response.text() };
}

for (const rest of ["Users/%E0", "Schemas/%25E0", "ResourceTypes/%E0", "Groups/%C0%AF", "Users/%00", `Users/${"a".repeat(5000)}`]) {
  test(`SCIM ${rest.slice(0, 40)} answers a SCIM 4xx, not a 5xx`, async ({ baseURL }) => {
    const answer = await rawGet(baseURL!, `${scimBase}/${rest}`, { authorization: `Bearer ${token}` });
    expect(answer.status, answer.body.slice(0, 200)).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.type).toContain("application/scim+json");
    expect(JSON.parse(answer.body).schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  });
}

for (const path of ["/api/auth/callback/idp-000000000000000000000000000000000000", "/api/auth/callback/idp-%E0", "/api/auth/signin/idp-00000000-0000-0000-0000-00000000000g"]) {
  test(`auth ${path} is refused without a 5xx`, async ({ baseURL }) => {
    const answer = await rawGet(baseURL!, path);
    expect(answer.status, answer.body.slice(0, 200)).toBeLessThan(500);
    expect(answer.status).not.toBe(200);
  });
}

for (const path of ["/tenants/%E0", "/users/%00", "/identity-providers/..%2f..%2fetc", "/t/%E0/login"]) {
  test(`console ${path} is refused without a 5xx`, async ({ baseURL }) => {
    const answer = await rawGet(baseURL!, path);
    expect(answer.status, answer.body.slice(0, 200)).toBeLessThan(500);
  });
}
