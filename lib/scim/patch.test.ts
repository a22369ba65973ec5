import { describe, expect, it } from "vitest";
import { scimErrorOf } from "@/test/support/scim-error-of";
import { applyPatch, memberChangesOf, parsePatchRequest, type PatchOperation } from "./patch";
import { parseGroupInput } from "./resources/group";
import { parseUserInput } from "./resources/user";
import { URN } from "./schemas";

const ENTERPRISE = URN.EnterpriseUser;
const CUSTOM = "urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName";
const METADATA = "urn:ietf:params:scim:schemas:extension:2.0:Metadata";

/** The user body Entra POSTs (Microsoft's SCIM tutorial), plus the enterprise extension. */
const entraUser = () =>
  parseUserInput(
    {
      schemas: [URN.User, ENTERPRISE],
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
      active: true,
      emails: [{ primary: true, type: "work", value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com" }],
      meta: { resourceType: "User" },
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      roles: [],
      [ENTERPRISE]: { department: "Sales", employeeNumber: "1" },
    },
  );

const patch = (doc: ReturnType<typeof entraUser>, ...operations: PatchOperation[]) => applyPatch(doc, operations, "User").doc;

describe("RFC 7644 §3.5.2 PatchOp message", () => {
  it("reads Operations and keeps op names as sent", () => {
    const operations = parsePatchRequest({
      schemas: [URN.PatchOp],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(operations).toEqual([{ op: "Replace", path: "active", value: "False" }]);
  });

  it.each([
    [[], "invalidSyntax"],
    [{ Operations: [{ op: "add", value: {} }] }, "invalidSyntax"],
    [{ schemas: [URN.PatchOp] }, "invalidSyntax"],
    [{ schemas: [URN.PatchOp], Operations: [] }, "invalidSyntax"],
    [{ schemas: [URN.PatchOp], Operations: ["add"] }, "invalidSyntax"],
    [{ schemas: [URN.PatchOp], Operations: [{ op: "add", path: 5, value: 1 }] }, "invalidPath"],
  ])("rejects malformed message %j", (body, scimType) => {
    expect(scimErrorOf(() => parsePatchRequest(body)).scimType).toBe(scimType);
  });
});

describe("Entra user PATCH shapes (without aadOptscim062020)", () => {
  it("deactivates and reactivates with string booleans in any case", () => {
    const inactive = patch(entraUser(), { op: "Replace", path: "active", value: "False" });
    expect(inactive.active).toBe(false);
    expect(patch(inactive, { op: "REPLACE", path: "active", value: "true" }).active).toBe(true);
  });

  it("updates name parts with Add and Replace", () => {
    const doc = patch(
      entraUser(),
      { op: "Add", path: "name.givenName", value: "Bar" },
      { op: "Replace", path: "name.familyName", value: "Foo2" },
    );
    expect(doc.name).toEqual({ formatted: "givenName familyName", familyName: "Foo2", givenName: "Bar" });
  });

  it("replaces the work email through emails[type eq \"work\"].value", () => {
    const doc = patch(entraUser(), { op: "Replace", path: 'emails[type eq "work"].value', value: "new@contoso.com" });
    expect(doc.emails).toEqual([{ primary: true, type: "work", value: "new@contoso.com" }]);
  });

  it("creates the element a value filter describes when none matches", () => {
    const doc = patch(
      entraUser(),
      { op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0100" },
      { op: "Add", path: 'addresses[type eq "work"].postalCode', value: "98052" },
      { op: "Add", path: 'addresses[type eq "work"].locality', value: "Redmond" },
    );
    expect(doc.phoneNumbers).toEqual([{ type: "mobile", value: "+1 555 0100" }]);
    expect(doc.addresses).toEqual([{ type: "work", postalCode: "98052", locality: "Redmond" }]);
  });

  it("sets enterprise attributes by URN-qualified path", () => {
    const doc = patch(
      entraUser(),
      { op: "Replace", path: `${ENTERPRISE}:department`, value: "Marketing" },
      { op: "Add", path: `${ENTERPRISE}:employeeNumber`, value: "42" },
    );
    expect(doc[ENTERPRISE]).toEqual({ department: "Marketing", employeeNumber: "42" });
  });

  it("sets the manager from a bare id and removes it", () => {
    const withManager = patch(entraUser(), { op: "Add", path: `${ENTERPRISE}:manager`, value: "2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2" });
    expect(withManager[ENTERPRISE]).toMatchObject({ manager: { value: "2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2" } });
    const replaced = patch(withManager, { op: "Replace", path: `${ENTERPRISE}:manager`, value: { value: "other-id" } });
    expect(replaced[ENTERPRISE]).toMatchObject({ manager: { value: "other-id" } });
    const removed = patch(replaced, { op: "Remove", path: `${ENTERPRISE}:manager`, value: [{ value: "other-id" }] });
    expect(removed[ENTERPRISE]).toEqual({ department: "Sales", employeeNumber: "1" });
  });

  it("drops the stale $ref when the manager changes", () => {
    const doc = patch(entraUser(), { op: "add", path: `${ENTERPRISE}:manager`, value: { value: "m1", $ref: "https://x/Users/m1" } });
    expect(patch(doc, { op: "replace", path: `${ENTERPRISE}:manager.value`, value: "m2" })[ENTERPRISE]).toMatchObject({
      manager: { value: "m2" },
    });
    expect(patch(doc, { op: "replace", path: `${ENTERPRISE}:manager`, value: "m2" })[ENTERPRISE]).toEqual({
      department: "Sales",
      employeeNumber: "1",
      manager: { value: "m2" },
    });
  });

  it("removes the enterprise extension from schemas when its last attribute goes", () => {
    const doc = patch(
      entraUser(),
      { op: "remove", path: `${ENTERPRISE}:department` },
      { op: "remove", path: `${ENTERPRISE}:employeeNumber` },
    );
    expect(doc[ENTERPRISE]).toBeUndefined();
    expect(doc.schemas).toEqual([URN.User]);
  });
});

describe("Entra user PATCH shapes (aadOptscim062020)", () => {
  it("applies a path-less replace whose value keys are paths, with real booleans", () => {
    const doc = patch(entraUser(), {
      op: "replace",
      value: {
        active: false,
        "name.givenName": "Ada",
        "name.familyName": "Lovelace",
        'emails[type eq "work"].value': "ada@contoso.com",
        [`${ENTERPRISE}:employeeNumber`]: "1815",
        [`${ENTERPRISE}:manager`]: "m-9",
        displayName: "Ada Lovelace",
      },
    });
    expect(doc).toMatchObject({
      active: false,
      displayName: "Ada Lovelace",
      name: { givenName: "Ada", familyName: "Lovelace" },
      emails: [{ primary: true, type: "work", value: "ada@contoso.com" }],
      [ENTERPRISE]: { department: "Sales", employeeNumber: "1815", manager: { value: "m-9" } },
    });
  });

  it("applies a path-less add with an extension container and a core URN container", () => {
    const doc = patch(entraUser(), {
      op: "add",
      value: { [ENTERPRISE]: { costCenter: "4130", manager: { value: "m1" } }, [URN.User]: { title: "Engineer" } },
    });
    expect(doc.title).toBe("Engineer");
    expect(doc[ENTERPRISE]).toEqual({ department: "Sales", employeeNumber: "1", costCenter: "4130", manager: { value: "m1" } });
  });

  it("coerces string booleans inside path-less values too", () => {
    expect(patch(entraUser(), { op: "Replace", value: { active: "False" } }).active).toBe(false);
  });
});

describe("custom extension attributes are stored verbatim under their URN", () => {
  it("sets a multi-valued custom attribute by path and via a path-less value key", () => {
    const byPath = patch(entraUser(), { op: "add", path: `${CUSTOM}:folders`, value: ["Inbox", "Sent"] });
    expect(byPath[CUSTOM]).toEqual({ folders: ["Inbox", "Sent"] });
    expect(byPath.schemas).toEqual([URN.User, ENTERPRISE, CUSTOM]);
    const appended = patch(byPath, { op: "add", path: `${CUSTOM}:folders`, value: ["Sent", "Archive"] });
    expect(appended[CUSTOM]).toEqual({ folders: ["Inbox", "Sent", "Archive"] });
    const pathless = patch(entraUser(), { op: "replace", value: { [`${CUSTOM}:folders`]: ["A", "B"] } });
    expect(pathless[CUSTOM]).toEqual({ folders: ["A", "B"] });
  });

  it("sets and removes Metadata keys", () => {
    const doc = patch(
      entraUser(),
      { op: "add", path: `${METADATA}:costCode`, value: "CC-7" },
      { op: "replace", value: { [`${METADATA}:region`]: "EMEA" } },
    );
    expect(doc[METADATA]).toEqual({ costCode: "CC-7", region: "EMEA" });
    expect(patch(doc, { op: "remove", path: `${METADATA}:costCode` })[METADATA]).toEqual({ region: "EMEA" });
  });

  it("accepts a whole custom container as a path-less value", () => {
    const doc = patch(entraUser(), { op: "add", value: { [CUSTOM]: { folders: ["X"], note: { nested: true } } } });
    expect(doc[CUSTOM]).toEqual({ folders: ["X"], note: { nested: true } });
  });
});

describe("RFC 7644 §3.5.2.1–3 operation semantics", () => {
  it("appends to multi-valued attributes on add, skipping values already present", () => {
    const doc = patch(entraUser(), {
      op: "add",
      path: "emails",
      value: [
        { type: "work", value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com", primary: true },
        { type: "home", value: "home@example.com" },
      ],
    });
    expect(doc.emails).toHaveLength(2);
  });

  it("keeps primary true on one value only: the one just set", () => {
    const doc = patch(entraUser(), { op: "add", path: "emails", value: [{ type: "home", value: "h@example.com", primary: "True" }] });
    expect(doc.emails).toEqual([
      { primary: false, type: "work", value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com" },
      { type: "home", value: "h@example.com", primary: true },
    ]);
    const back = patch(doc, { op: "replace", path: 'emails[type eq "work"].primary', value: true });
    expect((back.emails as { primary?: boolean }[]).map((e) => e.primary)).toEqual([true, false]);
  });

  it("rejects two primaries in one value", () => {
    const error = scimErrorOf(() =>
      patch(entraUser(), { op: "replace", path: "emails", value: [{ value: "a@x", primary: true }, { value: "b@x", primary: true }] }),
    );
    expect(error.scimType).toBe("invalidValue");
  });

  it("replaces a multi-valued attribute wholesale and merges complex ones", () => {
    const doc = patch(
      entraUser(),
      { op: "replace", path: "emails", value: [{ value: "only@example.com" }] },
      { op: "replace", path: "name", value: { middleName: "J" } },
    );
    expect(doc.emails).toEqual([{ value: "only@example.com" }]);
    expect(doc.name).toEqual({ formatted: "givenName familyName", familyName: "familyName", givenName: "givenName", middleName: "J" });
  });

  it("removes values selected by a filter, and a whole attribute", () => {
    const two = patch(entraUser(), { op: "add", path: "emails", value: { type: "home", value: "h@example.com" } });
    expect(patch(two, { op: "remove", path: 'emails[type eq "home"]' }).emails).toHaveLength(1);
    expect(patch(two, { op: "remove", path: "emails" }).emails).toBeUndefined();
    expect(patch(two, { op: "remove", path: 'emails[type eq "work"].value' }).emails).toEqual([{ type: "home", value: "h@example.com" }]);
  });

  it("removes multi-valued elements given as a value (legacy shape)", () => {
    const doc = patch(entraUser(), { op: "add", path: "roles", value: [{ value: "Admin" }, { value: "User" }] });
    expect(patch(doc, { op: "Remove", path: "roles", value: [{ value: "admin" }] }).roles).toEqual([{ value: "User" }]);
  });

  it("treats removing a missing attribute as a no-op", () => {
    const doc = entraUser();
    expect(patch(doc, { op: "remove", path: "title" })).toEqual(doc);
    expect(patch(doc, { op: "remove", path: 'phoneNumbers[type eq "fax"]' })).toEqual(doc);
    expect(patch(doc, { op: "remove", path: `${METADATA}:nothing` })).toEqual(doc);
  });

  it("treats replace with null as removal (RFC 7643 §2.5)", () => {
    const doc = patch(entraUser(), { op: "replace", path: "displayName", value: "X" });
    expect(patch(doc, { op: "replace", path: "displayName", value: null }).displayName).toBeUndefined();
  });

  it("never mutates its input", () => {
    const doc = entraUser();
    const snapshot = structuredClone(doc);
    patch(doc, { op: "replace", path: 'emails[type eq "work"].value', value: "x@y" }, { op: "replace", path: "name.givenName", value: "Z" });
    expect(doc).toEqual(snapshot);
  });
});

describe("RFC 7644 §3.5.2 PATCH errors", () => {
  const cases: [string, PatchOperation, string][] = [
    ["remove without path", { op: "remove" }, "noTarget"],
    ["unknown core attribute", { op: "add", path: "favouriteColour", value: "blue" }, "invalidPath"],
    ["unknown sub-attribute (interop profile)", { op: "add", path: "name.nickname", value: "x" }, "invalidSyntax"],
    ["unknown key in a path-less value", { op: "replace", value: { favouriteColour: "blue" } }, "invalidPath"],
    ["sub-attribute of a simple attribute", { op: "add", path: "userName.first", value: "x" }, "invalidPath"],
    ["value filter on a singular attribute", { op: "add", path: 'name[givenName eq "x"].familyName', value: "x" }, "invalidPath"],
    ["value filter with an unknown sub-attribute (interop profile)", { op: "add", path: 'emails[kind eq "x"].value', value: "x" }, "invalidSyntax"],
    ["id", { op: "replace", path: "id", value: "new" }, "mutability"],
    ["meta", { op: "replace", path: "meta.lastModified", value: "2020-01-01T00:00:00Z" }, "mutability"],
    ["groups", { op: "add", path: "groups", value: [{ value: "g" }] }, "mutability"],
    ["groups in a path-less value", { op: "add", value: { groups: [{ value: "g" }] } }, "mutability"],
    ["manager.displayName", { op: "replace", path: `${ENTERPRISE}:manager.displayName`, value: "x" }, "mutability"],
    ["wrong type", { op: "replace", path: "active", value: "maybe" }, "invalidValue"],
    ["number for a string", { op: "replace", path: "userName", value: 42 }, "invalidValue"],
    ["array for a single value", { op: "replace", path: "title", value: ["a"] }, "invalidValue"],
    ["non-object path-less value", { op: "replace", value: "x" }, "invalidValue"],
    ["removing userName", { op: "remove", path: "userName" }, "invalidValue"],
    ["unknown op", { op: "merge", path: "title", value: "x" }, "invalidSyntax"],
    ["add without value", { op: "add", path: "title" }, "invalidSyntax"],
    ["malformed path", { op: "add", path: 'emails[type eq "work"', value: "x" }, "invalidPath"],
    ["Group schema on a User", { op: "add", path: `${URN.Group}:displayName`, value: "x" }, "invalidPath"],
    ["no element and a filter that describes none", { op: "replace", path: 'emails[type ne "work"].value', value: "x" }, "noTarget"],
  ];

  it.each(cases)("%s → 400", (_name, operation, scimType) => {
    const error = scimErrorOf(() => patch(entraUser(), operation));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
  });

  it("applies all operations or none, naming the failing one", () => {
    const doc = entraUser();
    const error = scimErrorOf(() =>
      patch(doc, { op: "replace", path: "displayName", value: "Changed" }, { op: "replace", path: "active", value: "nope" }),
    );
    expect(error.detail).toMatch(/^Operations\[1\]/);
    expect(doc.displayName).toBeUndefined();
  });

  it("ignores id, meta and schemas echoed in a path-less value (Okta's group rename)", () => {
    const doc = patch(entraUser(), { op: "replace", value: { id: "abf4dd94", meta: { resourceType: "User" }, schemas: [URN.User], title: "CTO" } });
    expect(doc).toEqual({ ...entraUser(), title: "CTO" });
  });

  it("ignores password writes (never stored; changePassword is unsupported)", () => {
    expect(patch(entraUser(), { op: "replace", path: "password", value: "hunter2" }).password).toBeUndefined();
  });
});

describe("Group PATCH: members become single-row changes", () => {
  const group = () => parseGroupInput({ schemas: [URN.Group], displayName: "Sales", externalId: "g-ext" }).doc;
  const patchGroup = (...operations: PatchOperation[]) => applyPatch(group(), operations, "Group");

  it("adds several members in one operation", () => {
    const result = patchGroup({ op: "Add", path: "members", value: [{ value: "u1" }, { value: "u2" }, { value: "u3" }] });
    expect(result.memberChanges).toEqual([{ op: "add", ids: ["u1", "u2", "u3"] }]);
    expect(result.doc).toEqual(group());
  });

  it("removes a member in the legacy shape (value array) and the aadOptscim062020 shape (filter)", () => {
    expect(patchGroup({ op: "Remove", path: "members", value: [{ $ref: null, value: "u2" }] }).memberChanges).toEqual([
      { op: "remove", ids: ["u2"] },
    ]);
    expect(patchGroup({ op: "remove", path: 'members[value eq "u2"]' }).memberChanges).toEqual([{ op: "remove", ids: ["u2"] }]);
    expect(patchGroup({ op: "remove", path: 'members[value eq "u2" or value eq "u3"]' }).memberChanges).toEqual([
      { op: "remove", ids: ["u2", "u3"] },
    ]);
  });

  it("removes all members, replaces them, and adds through a path-less value", () => {
    expect(patchGroup({ op: "remove", path: "members" }).memberChanges).toEqual([{ op: "removeAll" }]);
    expect(patchGroup({ op: "replace", path: "members", value: [{ value: "u9" }] }).memberChanges).toEqual([{ op: "replace", ids: ["u9"] }]);
    expect(patchGroup({ op: "add", value: { members: [{ value: "u1" }] } }).memberChanges).toEqual([{ op: "add", ids: ["u1"] }]);
  });

  it("renames the group normally and keeps operations in order", () => {
    const result = patchGroup(
      { op: "Replace", path: "displayName", value: "Sales EMEA" },
      { op: "Add", path: "members", value: [{ value: "u1" }] },
      { op: "Remove", path: "members", value: [{ value: "u1" }] },
    );
    expect(result.doc.displayName).toBe("Sales EMEA");
    expect(result.memberChanges).toEqual([
      { op: "add", ids: ["u1"] },
      { op: "remove", ids: ["u1"] },
    ]);
    expect(patchGroup({ op: "replace", value: { displayName: "X", externalId: "e2" } }).doc).toMatchObject({ displayName: "X", externalId: "e2" });
  });

  it.each([
    [{ op: "add", path: "members", value: [{ display: "no id" }] }, "invalidValue"],
    [{ op: "add", path: "members", value: [{ value: "g2", type: "Group" }] }, "invalidValue"],
    [{ op: "remove", path: 'members[display eq "x"]' }, "invalidPath"],
    [{ op: "add", path: 'members[value eq "x"]', value: { value: "y" } }, "invalidPath"],
    [{ op: "replace", path: "members.value", value: "x" }, "invalidPath"],
    [{ op: "remove", path: "displayName" }, "invalidValue"],
    [{ op: "add", path: "userName", value: "x" }, "invalidPath"],
    [{ op: "add", path: `${ENTERPRISE}:department`, value: "x" }, "invalidPath"],
  ] as [PatchOperation, string][])("rejects %j", (operation, scimType) => {
    expect(scimErrorOf(() => patchGroup(operation)).scimType).toBe(scimType);
  });
});

describe("Entra app-role assignment changes (string \"True\" in value paths)", () => {
  const withRole = (role: string) => patch(entraUser(), { op: "Add", path: "roles", value: [{ primary: "True", type: "WindowsAzureActiveDirectoryRole", value: role }] });

  it("replaces the primary role's value: a user moved from Admin to ReadOnly has only ReadOnly", () => {
    const moved = patch(withRole("Admin"), { op: "Replace", path: 'roles[primary eq "True"].value', value: "ReadOnly" });
    expect(moved.roles).toEqual([{ primary: true, type: "WindowsAzureActiveDirectoryRole", value: "ReadOnly" }]);
  });

  it("removes the primary role with roles[primary eq \"True\"]", () => {
    const removed = patch(withRole("Admin"), { op: "Remove", path: 'roles[primary eq "True"]' });
    expect(removed.roles ?? []).toEqual([]);
  });

  it("matches \"False\" in any case against a stored false", () => {
    const doc = patch(entraUser(), { op: "Add", path: "roles", value: [{ primary: false, value: "User" }] });
    const changed = patch(doc, { op: "replace", path: 'roles[primary eq "FALSE"].value', value: "ReadOnly" });
    expect(changed.roles).toEqual([{ primary: false, value: "ReadOnly" }]);
  });
});

describe("SCIM interop profile (draft-zollner-scim-interop-profile-01): undefined sub-attributes", () => {
  it.each([
    ["name.x", { op: "replace", path: "name.x", value: "1" }],
    ["emails[type eq \"work\"].x", { op: "replace", path: 'emails[type eq "work"].x', value: "1" }],
    ["a path-less key name.x", { op: "replace", value: { "name.x": "1" } }],
    ["the enterprise manager.x", { op: "add", path: `${ENTERPRISE}:manager.x`, value: "1" }],
  ] as [string, PatchOperation][])("refuses %s with 400 invalidSyntax", (_name, operation) => {
    const error = scimErrorOf(() => patch(entraUser(), operation));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("invalidSyntax");
  });

  it("still accepts attributes of extensions it does not define, as Entra sends them", () => {
    const doc = patch(entraUser(), { op: "add", path: `${CUSTOM}:folders.deep`, value: "x" }, { op: "add", path: `${CUSTOM}:newAttribute`, value: "y" });
    expect(doc[CUSTOM]).toEqual({ folders: { deep: "x" }, newAttribute: "y" });
  });
});

describe("RFC 7644 §3.5.2 Group PATCH that only edits members (memberChangesOf)", () => {
  const id1 = "5f1d1a0c-8a1e-4b5f-9c3e-2d7b6a4f0e19";
  const id2 = "6a2e2b1d-9b2f-4c60-8d4f-3e8c7b5a1f2a";

  it("returns the member changes, in order, when every operation has a members path", () => {
    expect(
      memberChangesOf([
        { op: "Add", path: "members", value: [{ value: id1 }] },
        { op: "Remove", path: `members[value eq "${id2}"]` },
        { op: "remove", path: "urn:ietf:params:scim:schemas:core:2.0:Group:members" },
      ]),
    ).toEqual([{ op: "add", ids: [id1] }, { op: "remove", ids: [id2] }, { op: "removeAll" }]);
  });

  it("returns undefined when any operation has no path or another attribute's", () => {
    expect(memberChangesOf([{ op: "add", path: "members", value: [{ value: id1 }] }, { op: "replace", path: "displayName", value: "X" }])).toBeUndefined();
    expect(memberChangesOf([{ op: "replace", value: { members: [{ value: id1 }] } }])).toBeUndefined();
    expect(memberChangesOf([{ op: "replace", path: "members.value", value: id1 }])).toBeUndefined();
    expect(memberChangesOf([{ op: "replace", path: "members[", value: id1 }])).toBeUndefined();
  });

  it("raises the errors a real group would", () => {
    expect(scimErrorOf(() => memberChangesOf([{ op: "add", path: `members[value eq "${id1}"]`, value: [{ value: id1 }] }])).scimType).toBe("invalidPath");
  });
});
