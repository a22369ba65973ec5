import { describe, expect, it } from "vitest";
import { actors, redactAuditDetails } from "./audit";

describe("audit details: one redaction rule by exact key name", () => {
  it("keeps the flags and endpoints an identity-provider change records", () => {
    const details = { secretReplaced: true, tokenUrl: "https://login.example/token", tokenEndpointAuthMethod: "client_secret_post", passwordLogin: false };
    expect(redactAuditDetails(details)).toEqual(details);
  });

  it("keeps a sign-in refusal's reason code", () => {
    const details = { reason: "not_provisioned", code: "external_id_mismatch", detail: "externalId differs" };
    expect(redactAuditDetails(details)).toEqual(details);
  });

  it("drops secrets and credentials, case-insensitively and at any depth", () => {
    const details = {
      clientSecret: "s3cret", ClientSecret: "s3cret", token: "scim_abc", refresh_token: "r", password: "hunter2",
      Authorization: "Bearer x", nested: { accessToken: "a", idToken: "i", kept: 1 }, list: [1, 2],
    };
    expect(redactAuditDetails(details)).toEqual({ nested: { kept: 1 }, list: [1, 2] });
  });

  it("stores no details for none, and leaves out undefined values", () => {
    expect(redactAuditDetails(null)).toBeNull();
    expect(redactAuditDetails({ a: undefined, b: null })).toEqual({ b: null });
  });
});

describe("audit actors: one shape per door", () => {
  it("labels an admin by email, falling back to the user name", () => {
    expect(actors.admin({ userId: "u1", email: "ada@example.com", userName: "ada" })).toEqual({ actorType: "admin", actorId: "u1", actorLabel: "ada@example.com" });
    expect(actors.admin({ userId: "u1", email: null, userName: "ada" })).toEqual({ actorType: "admin", actorId: "u1", actorLabel: "ada" });
    expect(actors.admin({ userId: "u1" })).toEqual({ actorType: "admin", actorId: "u1", actorLabel: null });
  });

  it("labels a person by their user name, when the door knows it", () => {
    expect(actors.user({ id: "u2", userName: "ada@example.com" })).toEqual({ actorType: "user", actorId: "u2", actorLabel: "ada@example.com" });
    expect(actors.user({ id: null })).toEqual({ actorType: "user", actorId: null, actorLabel: null });
  });

  it("names SCIM writes by the token and CLI writes as the system actor", () => {
    expect(actors.scimToken("t1")).toEqual({ actorType: "token", actorId: "t1", actorLabel: "SCIM provisioning" });
    expect(actors.cli()).toEqual({ actorType: "system", actorId: null, actorLabel: "cli" });
  });

  it("names API writes by the key's id and hint", () => {
    expect(actors.apiKey({ keyId: "k1", hint: "gh_api_…AbCd" })).toEqual({ actorType: "api_key", actorId: "k1", actorLabel: "gh_api_…AbCd" });
    expect(actors.apiKey({ keyId: "k1" })).toEqual({ actorType: "api_key", actorId: "k1", actorLabel: "API key" });
  });
});
