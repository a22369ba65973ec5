import { describe, expect, it } from "vitest";
import { wants } from "./list";

const GROUPS_URN = "urn:ietf:params:scim:schemas:core:2.0:User:groups";

describe("RFC 7644 §3.4.2.5 attributes / excludedAttributes decide whether groups or members are loaded", () => {
  it("loads them by default (returned: default)", () => {
    expect(wants("groups", {})).toBe(true);
    expect(wants("members", { attributes: [], excludedAttributes: [] })).toBe(true);
  });

  it("with attributes, loads them only when listed, by name, sub-attribute or URN-qualified", () => {
    expect(wants("groups", { attributes: ["userName"] })).toBe(false);
    expect(wants("groups", { attributes: ["userName", "groups"] })).toBe(true);
    expect(wants("groups", { attributes: ["groups.display"] })).toBe(true);
    expect(wants("groups", { attributes: [GROUPS_URN] })).toBe(true);
    expect(wants("members", { attributes: ["Members"] })).toBe(true);
  });

  it("with excludedAttributes, skips them only when the whole attribute is excluded", () => {
    expect(wants("groups", { excludedAttributes: ["groups"] })).toBe(false);
    expect(wants("groups", { excludedAttributes: [GROUPS_URN] })).toBe(false);
    expect(wants("groups", { excludedAttributes: ["groups.display"] })).toBe(true);
    expect(wants("members", { excludedAttributes: ["displayName"] })).toBe(true);
  });

  it("lets attributes win over excludedAttributes (§3.4.2.5: excludedAttributes applies without attributes)", () => {
    expect(wants("groups", { attributes: ["groups"], excludedAttributes: ["groups"] })).toBe(true);
  });
});
