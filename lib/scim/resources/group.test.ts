import { describe, expect, it } from "vitest";
import { scimErrorOf } from "@/test/support/scim-error-of";
import { URN } from "../schemas";
import { groupColumns, memberIdsFromValue, parseGroupInput, toScimGroup } from "./group";

describe("RFC 7643 §4.2 creating a Group from Entra's body", () => {
  const body = {
    externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
    displayName: "Group1DisplayName",
    members: [{ value: "u1" }, { value: "u2", display: "Bo" }, { value: "u1" }],
    schemas: [URN.Group, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
    meta: { resourceType: "Group" },
  };

  it("stores displayName and externalId; members become distinct ids", () => {
    expect(parseGroupInput(body)).toEqual({
      doc: { schemas: [URN.Group], externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", displayName: "Group1DisplayName" },
      memberIds: ["u1", "u2"],
    });
  });

  it("derives columns with a case-folded displayName", () => {
    expect(groupColumns(parseGroupInput({ ...body, displayName: "ＳＡＬＥＳ Team" }).doc)).toEqual({
      displayName: "ＳＡＬＥＳ Team",
      displayNameNormalized: "sales team",
      externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
    });
  });

  it("renders members with type User and meta", () => {
    const resource = toScimGroup(parseGroupInput(body).doc, {
      id: "g1",
      created: "2024-01-01T00:00:00Z",
      lastModified: "2024-01-01T00:00:00Z",
      version: 7,
      location: "https://gh/scim/v2/t/Groups/g1",
      members: [{ value: "u1", display: "Ada", $ref: "https://gh/scim/v2/t/Users/u1" }],
    });
    expect(resource).toEqual({
      schemas: [URN.Group],
      id: "g1",
      externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
      displayName: "Group1DisplayName",
      members: [{ type: "User", value: "u1", display: "Ada", $ref: "https://gh/scim/v2/t/Users/u1" }],
      meta: {
        resourceType: "Group",
        created: "2024-01-01T00:00:00Z",
        lastModified: "2024-01-01T00:00:00Z",
        location: "https://gh/scim/v2/t/Groups/g1",
        version: 'W/"7"',
      },
    });
  });
});

describe("RFC 7643 §4.2 Group validation", () => {
  it.each([
    [{}, "invalidValue"],
    [{ displayName: "" }, "invalidValue"],
    [{ displayName: "A", members: [{ display: "no value" }] }, "invalidValue"],
    [{ displayName: "A", members: [{ value: "g", type: "Group" }] }, "invalidValue"],
    [{ displayName: "A", userName: "x" }, "invalidSyntax"],
  ])("rejects %j", (body, scimType) => {
    expect(scimErrorOf(() => parseGroupInput(body)).scimType).toBe(scimType);
  });

  it("reads member ids from objects, a single object or bare strings", () => {
    expect(memberIdsFromValue([{ value: "a" }, "b"])).toEqual(["a", "b"]);
    expect(memberIdsFromValue({ value: "a" })).toEqual(["a"]);
    expect(memberIdsFromValue(null)).toEqual([]);
  });
});
