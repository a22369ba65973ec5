import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JsonObject, JsonValue } from "./json";
import { applyPatch, type PatchOperation } from "./patch";
import { parseGroupInput } from "./resources/group";
import { parseUserInput } from "./resources/user";
import { URN } from "./schemas";

const RUNS = 2500;
/** Property runs are CPU-bound; allow for a loaded CI machine. */
const TIMEOUT = 60_000;
const ENTERPRISE = URN.EnterpriseUser;
const CUSTOM = "urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName";
const METADATA = "urn:ietf:params:scim:schemas:extension:2.0:Metadata";

const text = fc.string({ minLength: 1, maxLength: 10 });
const nonBlank = text.filter((s) => s.trim() !== "");
const emailType = fc.constantFrom("work", "home", "other");

const userBody = fc.record(
  {
    userName: nonBlank,
    displayName: text,
    title: text,
    nickName: text,
    active: fc.boolean(),
    name: fc.record({ givenName: text, familyName: text, formatted: text }, { requiredKeys: [] }),
    emails: fc.uniqueArray(fc.record({ value: text, type: emailType }), { maxLength: 3, selector: (e) => e.type }),
    phoneNumbers: fc.array(fc.record({ value: text, type: fc.constantFrom("work", "mobile") }), { maxLength: 2 }),
    [ENTERPRISE]: fc.record({ department: text, employeeNumber: text, manager: fc.record({ value: text }) }, { requiredKeys: [] }),
    [CUSTOM]: fc.record({ folders: fc.array(text, { maxLength: 3 }) }),
    [METADATA]: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), text, { maxKeys: 3 }),
  },
  { requiredKeys: ["userName"] },
);

/** A target attribute, where it lives, and values valid for it. */
interface Target {
  path: string;
  /** Top-level key of the document, or the extension URN plus the attribute inside it. */
  location: [string] | [string, string];
  value: fc.Arbitrary<JsonValue>;
}

const TARGETS: Target[] = [
  { path: "displayName", location: ["displayName"], value: text },
  { path: "title", location: ["title"], value: text },
  { path: "active", location: ["active"], value: fc.oneof(fc.boolean(), fc.constantFrom("True", "False", "TRUE", "false")) },
  { path: "name.givenName", location: ["name"], value: text },
  { path: "name", location: ["name"], value: fc.record({ familyName: text, middleName: text }, { requiredKeys: [] }) },
  { path: "emails", location: ["emails"], value: fc.array(fc.record({ value: text, type: emailType }), { maxLength: 2 }) },
  { path: 'emails[type eq "work"].value', location: ["emails"], value: text },
  { path: 'emails[type eq "home"]', location: ["emails"], value: fc.record({ value: text, primary: fc.boolean() }) },
  { path: 'phoneNumbers[type eq "mobile"].value', location: ["phoneNumbers"], value: text },
  { path: 'addresses[type eq "work"].postalCode', location: ["addresses"], value: text },
  { path: `${ENTERPRISE}:department`, location: [ENTERPRISE, "department"], value: text },
  { path: `${ENTERPRISE}:manager`, location: [ENTERPRISE, "manager"], value: fc.oneof(text, fc.record({ value: text })) },
  { path: `${CUSTOM}:folders`, location: [CUSTOM, "folders"], value: fc.array(text, { maxLength: 3 }) },
  { path: `${METADATA}:zone`, location: [METADATA, "zone"], value: text },
];

const randomCase = (word: string) =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) =>
    [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""),
  );

const operation = fc.constantFrom(...TARGETS).chain((target) =>
  fc.record({
    target: fc.constant(target),
    op: fc.constantFrom("add", "replace", "remove").chain(randomCase),
    value: target.value,
    pathless: fc.boolean(),
  }),
);

function toOperation({ target, op, value, pathless }: { target: Target; op: string; value: JsonValue; pathless: boolean }): PatchOperation {
  if (op.toLowerCase() === "remove") return { op, path: target.path };
  return pathless ? { op, value: { [target.path]: value } } : { op, path: target.path, value };
}

/** The document with the target attribute (and `schemas`, which follows it) taken out. */
function withoutTarget(doc: JsonObject, location: Target["location"]): JsonObject {
  const copy = structuredClone(doc);
  delete copy.schemas;
  const [key, inner] = location;
  if (inner === undefined) {
    delete copy[key];
  } else if (copy[key] && typeof copy[key] === "object") {
    delete (copy[key] as JsonObject)[inner];
    if (Object.keys(copy[key] as JsonObject).length === 0) delete copy[key];
  }
  return copy;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe("RFC 7644 §3.5.2 PATCH touches only its target", () => {
  it("never changes other attributes, never mutates its input, keeps schemas consistent", () => {
    fc.assert(
      fc.property(userBody, operation, (body, generated) => {
        const doc = deepFreeze(parseUserInput(body));
        const { doc: patched, memberChanges } = applyPatch(doc, [toOperation(generated)], "User");
        expect(withoutTarget(patched, generated.target.location)).toEqual(withoutTarget(doc, generated.target.location));
        expect(memberChanges).toEqual([]);
        const extensions = Object.keys(patched).filter((key) => key.startsWith("urn:"));
        expect(patched.schemas).toEqual([URN.User, ...extensions]);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it("keeps primary true on at most one value", () => {
    const primaryOperation = fc.record({
      op: fc.constantFrom("add", "replace"),
      path: fc.constantFrom("emails", 'emails[type eq "work"]', 'emails[type eq "home"].primary', "phoneNumbers"),
      value: fc.oneof(fc.constant(true), fc.record({ value: text, primary: fc.boolean(), type: emailType })),
    });
    fc.assert(
      fc.property(userBody, fc.array(primaryOperation, { minLength: 1, maxLength: 4 }), (body, operations) => {
        const valid = operations.filter((o) => (o.path.endsWith(".primary") ? o.value === true : o.value !== true));
        fc.pre(valid.length > 0);
        const { doc } = applyPatch(parseUserInput(body), valid, "User");
        for (const attribute of ["emails", "phoneNumbers"]) {
          const values = (doc[attribute] ?? []) as JsonObject[];
          expect(values.filter((v) => v.primary === true).length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  }, TIMEOUT);

  it("applies replace idempotently", () => {
    fc.assert(
      fc.property(userBody, operation, (body, generated) => {
        fc.pre(generated.op.toLowerCase() === "replace");
        const operations = [toOperation(generated)];
        const once = applyPatch(parseUserInput(body), operations, "User").doc;
        expect(applyPatch(once, operations, "User").doc).toEqual(once);
      }),
      { numRuns: 500 },
    );
  }, TIMEOUT);
});

describe("Group PATCH never rewrites members in the document", () => {
  it("turns member operations into changes carrying exactly the ids sent", () => {
    const ids = fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 20 });
    const memberOperation = fc.oneof(
      ids.map((list) => ({ operation: { op: "Add", path: "members", value: list.map((value) => ({ value })) }, change: { op: "add", ids: list } })),
      ids.map((list) => ({ operation: { op: "Remove", path: "members", value: list.map((value) => ({ value })) }, change: { op: "remove", ids: list } })),
      fc.uuid().map((id) => ({ operation: { op: "remove", path: `members[value eq "${id}"]` }, change: { op: "remove", ids: [id] } })),
      ids.map((list) => ({ operation: { op: "replace", value: { members: list.map((value) => ({ value })) } }, change: { op: "replace", ids: list } })),
    );
    fc.assert(
      fc.property(nonBlank, fc.array(memberOperation, { minLength: 1, maxLength: 5 }), (displayName, generated) => {
        const { doc } = parseGroupInput({ displayName });
        const result = applyPatch(deepFreeze(doc), generated.map((g) => g.operation), "Group");
        expect(result.doc).toEqual(doc);
        expect(result.memberChanges).toEqual(generated.map((g) => g.change));
      }),
      { numRuns: 500 },
    );
  }, TIMEOUT);
});
