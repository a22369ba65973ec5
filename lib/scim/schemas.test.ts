import { describe, expect, it } from "vitest";
import { findAttribute, splitUrn, URN } from "./schemas";
import { MAX_PAYLOAD_BYTES, resourceTypes, schemaDocuments, serviceProviderConfig } from "./discovery";

const ENTERPRISE = URN.EnterpriseUser;

describe("RFC 7643 §2.1 case-insensitive, URN-qualified attribute lookup", () => {
  it("finds core, sub- and fully-qualified attributes in any case", () => {
    expect(findAttribute("User", "USERNAME")).toMatchObject({ name: "userName", definition: { caseExact: false, uniqueness: "server" } });
    expect(findAttribute("User", `${URN.User}:userName`)).toMatchObject({ name: "userName" });
    expect(findAttribute("User", "name.GivenName")).toMatchObject({ name: "name", subAttribute: { name: "givenName" } });
    expect(findAttribute("User", `${ENTERPRISE.toLowerCase()}:department`)).toMatchObject({ extension: ENTERPRISE, name: "department" });
    expect(findAttribute("User", `${ENTERPRISE}:manager.value`)).toMatchObject({ name: "manager", subAttribute: { name: "value" } });
    expect(findAttribute("User", "department")).toMatchObject({ extension: ENTERPRISE });
    expect(findAttribute("User", "id")).toMatchObject({ definition: { mutability: "readOnly", returned: "always" } });
  });

  it("treats unknown extension URNs as verbatim containers and rejects unknown core names", () => {
    expect(findAttribute("User", "urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName:folders")).toEqual({
      extension: "urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName",
      name: "folders",
    });
    expect(findAttribute("User", "shoeSize")).toBeUndefined();
    expect(findAttribute("Group", "userName")).toBeUndefined();
    expect(findAttribute("Group", `${ENTERPRISE}:department`)).toBeUndefined();
    expect(findAttribute("User", "name.nick")).toBeUndefined();
  });

  it("splits URNs at the segment after the version", () => {
    expect(splitUrn("urn:ietf:params:scim:schemas:extension:2.0:Metadata:key")).toEqual({
      schema: "urn:ietf:params:scim:schemas:extension:2.0:Metadata",
      rest: "key",
    });
    expect(splitUrn("urn:ietf:params:scim:schemas:extension:Acme:2.0:User:badge.number")).toEqual({
      schema: "urn:ietf:params:scim:schemas:extension:Acme:2.0:User",
      rest: "badge.number",
    });
    expect(splitUrn("urn:acme:attr")).toEqual({ schema: "urn:acme", rest: "attr" });
    expect(splitUrn("userName")).toEqual({ rest: "userName" });
  });
});

describe("RFC 7643 §5–§7 discovery documents", () => {
  const base = "https://gatehouse.example/scim/v2/t1/";

  it("tells the truth in ServiceProviderConfig", () => {
    expect(serviceProviderConfig(base)).toMatchObject({
      schemas: [URN.ServiceProviderConfig],
      patch: { supported: true },
      bulk: { supported: false, maxPayloadSize: MAX_PAYLOAD_BYTES },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [{ type: "oauthbearertoken", primary: true }],
      meta: { resourceType: "ServiceProviderConfig", location: "https://gatehouse.example/scim/v2/t1/ServiceProviderConfig" },
    });
    expect(MAX_PAYLOAD_BYTES).toBe(1024 * 1024);
  });

  it("lists User (with the enterprise extension) and Group resource types", () => {
    expect(resourceTypes(base).map((r) => [r.id, r.endpoint, r.schema])).toEqual([
      ["User", "/Users", URN.User],
      ["Group", "/Groups", URN.Group],
    ]);
  });

  it("publishes complete attribute characteristics", () => {
    const documents = schemaDocuments(base);
    expect(documents.map((d) => d.id)).toEqual([URN.User, ENTERPRISE, URN.Group]);
    const user = documents[0]!;
    const attributes = user.attributes as Record<string, unknown>[];
    for (const attribute of attributes) {
      for (const key of ["name", "type", "multiValued", "description", "required", "caseExact", "mutability", "returned", "uniqueness"]) {
        expect(attribute).toHaveProperty(key);
      }
    }
    expect(attributes.find((a) => a.name === "password")).toMatchObject({ mutability: "writeOnly", returned: "never" });
    expect(attributes.find((a) => a.name === "groups")).toMatchObject({ mutability: "readOnly", multiValued: true });
    expect(user.meta).toEqual({ resourceType: "Schema", location: `https://gatehouse.example/scim/v2/t1/Schemas/${URN.User}` });
    const manager = (documents[1]!.attributes as { name: string; subAttributes?: { name: string }[] }[]).find((a) => a.name === "manager");
    expect(manager?.subAttributes?.map((s) => s.name)).toEqual(["value", "$ref", "displayName"]);
  });
});

describe("SCIM interop profile (draft-zollner-scim-interop-profile-01): /Schemas declares canonicalValues", () => {
  type Doc = { name: string; subAttributes?: Doc[]; canonicalValues?: unknown };
  const typeAttributes = (attributes: Doc[], path = ""): [string, Doc][] =>
    attributes.flatMap((a) => [
      ...(a.name === "type" ? [[path, a] as [string, Doc]] : []),
      ...typeAttributes(a.subAttributes ?? [], a.name),
    ]);

  it("on every type sub-attribute, roles, entitlements and x509Certificates included", () => {
    const found = schemaDocuments("https://x/scim/v2/t").flatMap((s) => typeAttributes((s as unknown as { attributes: Doc[] }).attributes));
    const owners = found.map(([owner]) => owner);
    expect(owners).toEqual(expect.arrayContaining(["emails", "phoneNumbers", "addresses", "ims", "photos", "roles", "entitlements", "x509Certificates"]));
    for (const [owner, type] of found) expect(Array.isArray(type.canonicalValues), owner).toBe(true);
    const roles = found.find(([owner]) => owner === "roles")![1];
    expect(roles.canonicalValues).toContain("WindowsAzureActiveDirectoryRole");
  });
});
