import { describe, expect, it } from "vitest";
import type { JsonObject } from "./json";
import { applyAttributeProjection, parseAttributeList } from "./projection";
import { URN } from "./schemas";

const ENTERPRISE = URN.EnterpriseUser;
const user: JsonObject = {
  schemas: [URN.User, ENTERPRISE],
  id: "u1",
  externalId: "e1",
  userName: "ada",
  name: { givenName: "Ada", familyName: "Lovelace" },
  emails: [
    { value: "a@x", type: "work", primary: true },
    { value: "b@x", type: "home" },
  ],
  password: "should never appear",
  [ENTERPRISE]: { department: "R&D", employeeNumber: "7" },
  meta: { resourceType: "User", version: 'W/"1"' },
};

describe("RFC 7644 §3.4.2.5 attributes", () => {
  it("returns only the requested attributes plus id and schemas, case-insensitively", () => {
    expect(applyAttributeProjection(user, { attributes: "USERNAME, name.givenName" }, "User")).toEqual({
      schemas: [URN.User],
      id: "u1",
      userName: "ada",
      name: { givenName: "Ada" },
    });
  });

  it("selects sub-attributes of multi-valued attributes and URN-qualified extension attributes", () => {
    expect(applyAttributeProjection(user, { attributes: ["emails.value", `${ENTERPRISE}:department`] }, "User")).toEqual({
      schemas: [URN.User, ENTERPRISE],
      id: "u1",
      emails: [{ value: "a@x" }, { value: "b@x" }],
      [ENTERPRISE]: { department: "R&D" },
    });
    expect(applyAttributeProjection(user, { attributes: ENTERPRISE }, "User")).toMatchObject({ [ENTERPRISE]: user[ENTERPRISE] });
    expect(applyAttributeProjection(user, { attributes: `${URN.User}:userName,meta` }, "User")).toEqual({
      schemas: [URN.User],
      id: "u1",
      userName: "ada",
      meta: user.meta,
    });
  });

  it("never returns password, even when asked", () => {
    expect(applyAttributeProjection(user, { attributes: "password" }, "User")).toEqual({ schemas: [URN.User], id: "u1" });
    expect(applyAttributeProjection(user, {}, "User").password).toBeUndefined();
  });
});

describe("RFC 7644 §3.4.2.5 excludedAttributes", () => {
  it("drops the named attributes but never id or schemas", () => {
    const group: JsonObject = { schemas: [URN.Group], id: "g1", displayName: "Sales", members: [{ value: "u1" }], meta: {} };
    expect(applyAttributeProjection(group, { excludedAttributes: "members" }, "Group")).toEqual({
      schemas: [URN.Group],
      id: "g1",
      displayName: "Sales",
      meta: {},
    });
    expect(applyAttributeProjection(group, { excludedAttributes: "id,schemas,Members,meta" }, "Group")).toEqual({
      schemas: [URN.Group],
      id: "g1",
      displayName: "Sales",
    });
  });

  it("drops sub-attributes and whole extensions, updating schemas", () => {
    const result = applyAttributeProjection(user, { excludedAttributes: `emails.type,name.familyName,${ENTERPRISE}` }, "User");
    expect(result.emails).toEqual([{ value: "a@x", primary: true }, { value: "b@x" }]);
    expect(result.name).toEqual({ givenName: "Ada" });
    expect(result[ENTERPRISE]).toBeUndefined();
    expect(result.schemas).toEqual([URN.User]);
    expect((user.emails as JsonObject[])[0]).toHaveProperty("type");
  });

  it("ignores unknown names and splits lists leniently", () => {
    expect(parseAttributeList(" a, ,b ,")).toEqual(["a", "b"]);
    expect(applyAttributeProjection(user, { excludedAttributes: "nothing,zz.top" }, "User")).toEqual(
      Object.fromEntries(Object.entries(user).filter(([k]) => k !== "password")),
    );
  });
});
