import { describe, expect, it } from "vitest";
import { scimErrorOf } from "@/test/support/scim-error-of";
import { checkIfMatch, etagHeader } from "./etag";

const withIfMatch = (value?: string) => new Request("https://gatehouse.test/scim/v2/t/Users/u", { headers: value === undefined ? {} : { "if-match": value } });

describe("RFC 7644 §3.14 versioning: If-Match", () => {
  it("lets a request without If-Match through", () => {
    expect(() => checkIfMatch(withIfMatch(), 3)).not.toThrow();
  });

  it("accepts the current version in weak or strong form, among several, or *", () => {
    for (const header of ['W/"3"', '"3"', '"1", W/"3"', "*", ' W/"2" ,W/"3" ']) {
      expect(() => checkIfMatch(withIfMatch(header), 3), header).not.toThrow();
    }
  });

  it("refuses any other version with 412 Precondition Failed naming the current one", () => {
    for (const header of ['W/"2"', '"4"', '"30"', "3x"]) {
      const error = scimErrorOf(() => checkIfMatch(withIfMatch(header), 3));
      expect(error.status).toBe(412);
      expect(error.detail).toContain('W/"3"');
    }
  });

  it("announces the version as a weak ETag (§3.14: the ETag header and meta.version agree)", () => {
    expect(etagHeader(7)).toEqual({ etag: 'W/"7"' });
  });
});
