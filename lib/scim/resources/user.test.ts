import { describe, expect, it } from "vitest";
import { scimErrorOf } from "@/test/support/scim-error-of";
import { URN } from "../schemas";
import { managerIdOf, parseUserInput, toScimUser, userColumns } from "./user";

const ENTERPRISE = URN.EnterpriseUser;
const CUSTOM = "urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName";

const create = (body: unknown) => parseUserInput(body);

describe("RFC 7644 §3.3 creating a User from Entra's body", () => {
  const body = {
    schemas: [URN.User, ENTERPRISE, "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User"],
    id: "client-chosen",
    externalId: "0a21f0f2",
    userName: "Ada@Contoso.com",
    active: "True",
    displayName: "Ada Lovelace",
    emails: [
      { primary: "true", type: "work", value: "Ada@Contoso.com" },
      { type: "home", value: "ada@home.example" },
    ],
    meta: { resourceType: "User" },
    groups: [{ value: "g1" }],
    password: "never-stored",
    name: { formatted: "Ada Lovelace", familyName: "Lovelace", givenName: "Ada" },
    roles: [],
    userType: "Premium",
    [ENTERPRISE]: { department: "R&D", manager: { value: "m1", displayName: "ignored (readOnly)" } },
    [`${CUSTOM}:folders`]: ["Inbox", "Sent"],
    "urn:ietf:params:scim:schemas:extension:2.0:Metadata": { region: "EMEA" },
  };

  it("stores every attribute except id, meta, groups and password, coercing string booleans", () => {
    expect(create(body)).toEqual({
      schemas: [URN.User, ENTERPRISE, CUSTOM, "urn:ietf:params:scim:schemas:extension:2.0:Metadata"],
      externalId: "0a21f0f2",
      userName: "Ada@Contoso.com",
      active: true,
      displayName: "Ada Lovelace",
      emails: [
        { primary: true, type: "work", value: "Ada@Contoso.com" },
        { type: "home", value: "ada@home.example" },
      ],
      name: { formatted: "Ada Lovelace", familyName: "Lovelace", givenName: "Ada" },
      userType: "Premium",
      [ENTERPRISE]: { department: "R&D", manager: { value: "m1" } },
      [CUSTOM]: { folders: ["Inbox", "Sent"] },
      "urn:ietf:params:scim:schemas:extension:2.0:Metadata": { region: "EMEA" },
    });
  });

  it("canonicalises attribute names given in another case", () => {
    expect(create({ USERNAME: "a", Name: { GIVENNAME: "A" } })).toEqual({ schemas: [URN.User], userName: "a", name: { givenName: "A" } });
  });

  it("derives the database columns", () => {
    expect(userColumns(create(body))).toEqual({
      userName: "Ada@Contoso.com",
      userNameNormalized: "ada@contoso.com",
      externalId: "0a21f0f2",
      displayName: "Ada Lovelace",
      givenName: "Ada",
      familyName: "Lovelace",
      email: "Ada@Contoso.com",
      workEmails: ["ada@contoso.com"],
      active: true,
      userType: "Premium",
    });
    expect(userColumns(create({ userName: "b", name: { givenName: "Bo", familyName: "Li" } }))).toMatchObject({
      displayName: "Bo Li",
      active: true,
      email: null,
      externalId: null,
    });
  });

  it("renders the SCIM resource with meta, weak version and groups", () => {
    const resource = toScimUser(create(body), {
      id: "u1",
      created: new Date("2024-01-01T00:00:00Z"),
      lastModified: "2024-01-02T00:00:00.000Z",
      version: 3,
      location: "https://gh/scim/v2/t/Users/u1",
      groups: [{ value: "g1", display: "Sales", $ref: "https://gh/scim/v2/t/Groups/g1" }],
    });
    expect(resource).toMatchObject({
      schemas: [URN.User, ENTERPRISE, CUSTOM, "urn:ietf:params:scim:schemas:extension:2.0:Metadata"],
      id: "u1",
      userName: "Ada@Contoso.com",
      groups: [{ value: "g1", display: "Sales" }],
      meta: {
        resourceType: "User",
        created: "2024-01-01T00:00:00.000Z",
        lastModified: "2024-01-02T00:00:00.000Z",
        location: "https://gh/scim/v2/t/Users/u1",
        version: 'W/"3"',
      },
    });
    expect(Object.keys(resource).slice(0, 2)).toEqual(["schemas", "id"]);
    expect(resource.password).toBeUndefined();
  });

  it("reports active true when the client never set it", () => {
    const resource = toScimUser(create({ userName: "x" }), { id: "1", created: "c", lastModified: "m", version: 1, location: "l" });
    expect(resource.active).toBe(true);
  });
});

describe("RFC 7643 §4.1 User validation", () => {
  it.each([
    [{}, "invalidValue"],
    [{ userName: "" }, "invalidValue"],
    [{ userName: "  " }, "invalidValue"],
    [{ userName: 7 }, "invalidValue"],
    [{ userName: "a", active: "yes" }, "invalidValue"],
    [{ userName: "a", emails: "a@b" }, "invalidValue"],
    [{ userName: "a", emails: [{ value: "a@b", kind: "x" }] }, "invalidValue"],
    [{ userName: "a", emails: [{ value: "a@b", primary: true }, { value: "c@d", primary: true }] }, "invalidValue"],
    [{ userName: "a", name: "Ada" }, "invalidValue"],
    [{ userName: "a", favouriteColour: "blue" }, "invalidSyntax"],
    [{ userName: "a", [ENTERPRISE]: { shoeSize: 9 } }, "invalidSyntax"],
    [{ userName: "a", [ENTERPRISE]: "R&D" }, "invalidSyntax"],
    [{ userName: "a", schemas: URN.User }, "invalidSyntax"],
    ["not an object", "invalidSyntax"],
    [null, "invalidSyntax"],
    [[], "invalidSyntax"],
  ])("rejects %j", (body, scimType) => {
    const error = scimErrorOf(() => create(body));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
  });

  it("ignores unknown and foreign schema URIs", () => {
    expect(create({ schemas: [URN.User, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/User"], userName: "a", [URN.Group]: { displayName: "x" } })).toEqual({
      schemas: [URN.User],
      userName: "a",
    });
  });
});


describe("RFC 7643 §4.3 manager reference (managerIdOf): one rule for the self-manager check and the console", () => {
  const id = "5f1d1a0c-8a1e-4b5f-9c3e-2d7b6a4f0e19";
  it("reads manager.value, or the bare id string Entra may store", () => {
    expect(managerIdOf({ [ENTERPRISE]: { manager: { value: id, displayName: "Boss" } } })).toBe(id);
    expect(managerIdOf({ [ENTERPRISE]: { manager: id } })).toBe(id);
  });

  it("names no manager when the reference cannot be a user id", () => {
    expect(managerIdOf({})).toBeNull();
    expect(managerIdOf({ [ENTERPRISE]: { manager: { value: "" } } })).toBeNull();
    expect(managerIdOf({ [ENTERPRISE]: { manager: { value: "boss@example.com" } } })).toBeNull();
    expect(managerIdOf({ [ENTERPRISE]: { manager: { value: "----5f1d1a0c8a1e4b5f9c3e2d7b6a4f" } } })).toBeNull();
    expect(managerIdOf({ [ENTERPRISE]: "not an object" })).toBeNull();
  });
});
