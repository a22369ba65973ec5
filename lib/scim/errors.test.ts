import { describe, expect, it } from "vitest";
import { notFound, scimErrorBody, ScimError, toScimError, uniqueness } from "./errors";

describe("RFC 7644 §3.12 error responses", () => {
  it("carries status as a string, scimType and detail in the Error schema", () => {
    expect(scimErrorBody(uniqueness("userName already exists"))).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "409",
      scimType: "uniqueness",
      detail: "userName already exists",
    });
  });

  it("omits scimType when there is none", () => {
    expect(scimErrorBody(notFound("User", "abc"))).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "404",
      detail: 'User "abc" not found',
    });
  });

  it("turns unexpected errors into an opaque 500", () => {
    const error = toScimError(new TypeError("secret internals"));
    expect(error).toBeInstanceOf(ScimError);
    expect(scimErrorBody(error)).toMatchObject({ status: "500", detail: "Internal server error" });
  });
});
