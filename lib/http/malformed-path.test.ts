import { describe, expect, it } from "vitest";
import { malformedPathResponse, undecodableSegment } from "./malformed-path";

describe("undecodable request paths", () => {
  it.each(["/t/%E0/login", "/api/auth/callback/idp-%E0", "/x/%zz", "/%", "/a/%C0%AF%"])("finds the bad segment of %s", (path) => {
    expect(undecodableSegment(path)).toBeDefined();
  });

  it.each(["/t/acme/login", "/api/auth/callback/idp-1", "/x/%20y", "/%F0%9F%99%82", "/"])("passes %s", (path) => {
    expect(undecodableSegment(path)).toBeUndefined();
    expect(malformedPathResponse(path)).toBeUndefined();
  });

  it("answers /api paths with a JSON 400 and pages with a plain 400", async () => {
    const api = malformedPathResponse("/api/auth/callback/idp-%E0")!;
    expect(api.status).toBe(400);
    expect(await api.json()).toMatchObject({ error: "bad_request" });
    const page = malformedPathResponse("/t/%E0/login")!;
    expect(page.status).toBe(400);
    expect(page.headers.get("content-type")).toContain("text/plain");
  });
});
