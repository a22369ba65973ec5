import { describe, expect, it } from "vitest";
import { malformedScimPath } from "./malformed-path";

const base = "/scim/v2/00000000-0000-4000-8000-000000000000";

describe("SCIM paths Next.js cannot percent-decode (security review L-4)", () => {
  it.each(["/Users/%E0", "/ResourceTypes/%E0", "/Groups/%C3%28", "/%FF/Users"])("answers %s with an RFC 7644 §3.12 404 body", async (path) => {
    const response = malformedScimPath(`${base}${path}`);
    expect(response?.status).toBe(404);
    expect(response?.headers.get("content-type")).toContain("application/scim+json");
    expect(await response?.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
  });

  it.each(["/Users", "/Schemas/%25E0", "/Schemas/urn%3Aietf%3Aparams%3Ascim%3Aschemas%3Acore%3A2.0%3AUser", "/Users/%C3%A9"])("leaves %s to the SCIM route", (path) => {
    expect(malformedScimPath(`${base}${path}`)).toBeUndefined();
  });
});
