import { describe, expect, it } from "vitest";
import { scimErrorOf } from "@/test/support/scim-error-of";
import {
  filterDepth,
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  parseAttributePath,
  parseFilter,
  parsePath,
  printFilter,
  printPath,
  type FilterNode,
} from "./filter";
import { matchesFilter, validateFilter } from "./filter-match";
import { URN } from "./schemas";

const ENTERPRISE = URN.EnterpriseUser;

const eq = (attribute: string, value: string | number | boolean | null): FilterNode => ({
  kind: "compare",
  path: { attribute },
  op: "eq",
  value,
});

describe("RFC 7644 §3.4.2.2 attribute operators", () => {
  it.each(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"])("parses %s with a string value", (op) => {
    expect(parseFilter(`title ${op} "x"`)).toEqual({ kind: "compare", path: { attribute: "title" }, op, value: "x" });
  });

  it("parses pr without a value", () => {
    expect(parseFilter("title pr")).toEqual({ kind: "present", path: { attribute: "title" } });
  });

  it("reads operators, keywords and attribute names in any case, naming attributes canonically", () => {
    expect(parseFilter('USERNAME EQ "bjensen" AND Active Eq TRUE')).toEqual({
      kind: "and",
      filters: [eq("userName", "bjensen"), eq("active", true)],
    });
  });

  it("reads JSON literals: escaped strings, numbers, true, false, null", () => {
    expect(parseFilter('displayName eq "a \\"quoted\\" \\u00e9\\n"')).toEqual(eq("displayName", 'a "quoted" é\n'));
    expect(parseFilter("x eq -12.5e2")).toEqual(eq("x", -1250));
    expect(parseFilter("x eq false")).toEqual(eq("x", false));
    expect(parseFilter("title eq null")).toEqual(eq("title", null));
  });

  it("keeps SQL metacharacters as plain string values", () => {
    const value = `'; DROP TABLE users; -- " OR 1=1 %_\\`;
    expect(parseFilter(`userName eq ${JSON.stringify(value)}`)).toEqual(eq("userName", value));
    expect(parseFilter(`userName eq "x' OR '1'='1"`)).toEqual(eq("userName", "x' OR '1'='1"));
  });

  it("parses a compact Test Connection filter with a GUID", () => {
    expect(parseFilter('userName eq "8a3f1b52-6c1d-4f0e-9d6b-2f0c7d9e1a44"')).toEqual(
      eq("userName", "8a3f1b52-6c1d-4f0e-9d6b-2f0c7d9e1a44"),
    );
  });
});

describe("RFC 7644 §3.4.2.2 filter precedence", () => {
  it("binds and tighter than or", () => {
    expect(parseFilter('a eq 1 or b eq 2 and c eq 3')).toEqual({
      kind: "or",
      filters: [eq("a", 1), { kind: "and", filters: [eq("b", 2), eq("c", 3)] }],
    });
  });

  it("binds not tighter than and", () => {
    expect(parseFilter("not (a eq 1) and b eq 2")).toEqual({
      kind: "and",
      filters: [{ kind: "not", filter: eq("a", 1) }, eq("b", 2)],
    });
  });

  it("lets parentheses override precedence", () => {
    expect(parseFilter("(a eq 1 or b eq 2) and c eq 3")).toEqual({
      kind: "and",
      filters: [{ kind: "or", filters: [eq("a", 1), eq("b", 2)] }, eq("c", 3)],
    });
  });

  it("flattens chains of the same operator", () => {
    expect(parseFilter("a eq 1 and (b eq 2 and c eq 3) and d eq 4")).toEqual({
      kind: "and",
      filters: [eq("a", 1), eq("b", 2), eq("c", 3), eq("d", 4)],
    });
  });

  it("accepts not( without a space and redundant parentheses", () => {
    expect(parseFilter("((not(a pr)))")).toEqual({ kind: "not", filter: { kind: "present", path: { attribute: "a" } } });
  });

  it("prints canonically so that print then parse returns the same tree", () => {
    const ast = parseFilter('(userName sw "A" or NOT (title pr)) and emails[type eq "work" and primary eq true]');
    expect(printFilter(ast)).toBe('(userName sw "A" or not (title pr)) and emails[type eq "work" and primary eq true]');
    expect(parseFilter(printFilter(ast))).toEqual(ast);
  });
});

describe("RFC 7644 §3.4.2.2 value paths and sub-attributes", () => {
  it("parses a complex value filter", () => {
    expect(parseFilter('emails[type eq "work" and primary eq true]')).toEqual({
      kind: "valuePath",
      path: { attribute: "emails" },
      filter: { kind: "and", filters: [eq("type", "work"), eq("primary", true)] },
    });
  });

  it("reads Entra's emails[type eq \"work\"].value eq as a value filter on the element", () => {
    expect(parseFilter('emails[type eq "work"].value eq "a@example.com"')).toEqual({
      kind: "valuePath",
      path: { attribute: "emails" },
      filter: { kind: "and", filters: [eq("type", "work"), eq("value", "a@example.com")] },
    });
  });

  it("canonicalises sub-attribute names inside value filters", () => {
    expect(parseFilter('EMAILS[TYPE eq "work"]')).toEqual({ kind: "valuePath", path: { attribute: "emails" }, filter: eq("type", "work") });
  });

  it("parses sub-attribute paths", () => {
    expect(parseFilter('name.FAMILYNAME co "ens"')).toEqual({
      kind: "compare",
      path: { attribute: "name", subAttribute: "familyName" },
      op: "co",
      value: "ens",
    });
    expect(parseFilter('meta.lastModified gt "2011-05-13T04:42:34Z"')).toMatchObject({
      path: { attribute: "meta", subAttribute: "lastModified" },
    });
  });

  it("parses URN-qualified attribute paths, canonicalising known URNs", () => {
    expect(parseFilter(`${ENTERPRISE.toUpperCase()}:employeeNumber eq "701984"`)).toEqual({
      kind: "compare",
      path: { schema: ENTERPRISE, attribute: "employeeNumber" },
      op: "eq",
      value: "701984",
    });
    expect(parseFilter(`${URN.User}:userName eq "x"`)).toMatchObject({ path: { schema: URN.User, attribute: "userName" } });
    expect(parseFilter(`${ENTERPRISE}:manager.value eq "m1"`)).toMatchObject({
      path: { schema: ENTERPRISE, attribute: "manager", subAttribute: "value" },
    });
    expect(parseFilter('urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName:folders eq "a"')).toMatchObject({
      path: { schema: "urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName", attribute: "folders" },
    });
  });
});

describe("RFC 7644 §3.4.2.2 malformed filters → 400 invalidFilter", () => {
  const malformed = [
    "",
    "   ",
    "userName",
    "userName eq",
    'userName eq "unterminated',
    'userName equals "x"',
    'userName eq "x" and',
    'userName eq "x" or or title pr',
    "(userName pr",
    "userName pr)",
    'emails[type eq "work"',
    'emails[type eq "work"]]',
    'emails[type eq "work"][value pr]',
    'emails[addresses[type eq "x"]]',
    'emails.value[type eq "work"]',
    "not userName pr",
    'userName eq \'single\'',
    "userName eq bjensen",
    "title gt true",
    "title lt null",
    "title co 5",
    'userName eq "x"title pr',
    "x eq 01",
    "x eq 1e999",
    'userName eq "bad \\x escape"',
    '1userName eq "x"',
    'user name eq "x"',
    "userName eq \"a\" and\u0000",
    '@@@',
    '"a" eq userName',
    "a.b.c eq 1",
  ];

  it.each(malformed)("rejects %j", (text) => {
    const error = scimErrorOf(() => parseFilter(text));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("invalidFilter");
  });

  it("rejects non-string input as invalidFilter, not TypeError", () => {
    for (const input of [undefined, null, 42, {}, ["a"]]) {
      expect(scimErrorOf(() => parseFilter(input as unknown as string)).scimType).toBe("invalidFilter");
    }
  });

  it(`rejects filters longer than ${MAX_FILTER_LENGTH} characters`, () => {
    const long = `userName eq "${"a".repeat(MAX_FILTER_LENGTH)}"`;
    expect(scimErrorOf(() => parseFilter(long)).scimType).toBe("invalidFilter");
  });
});

describe("bounded filter nesting", () => {
  it("rejects a 500-deep nested filter with invalidFilter and no stack overflow", () => {
    const deep = `${"(".repeat(500)}userName eq "x"${")".repeat(500)}`;
    const error = scimErrorOf(() => parseFilter(deep));
    expect(error.scimType).toBe("invalidFilter");
    expect(error.detail).toMatch(/deeper than 32/);
  });

  it("rejects 500 nested not( and an unbalanced 100k-deep prefix the same way", () => {
    expect(scimErrorOf(() => parseFilter(`${"not (".repeat(500)}a pr${")".repeat(500)}`)).scimType).toBe("invalidFilter");
    expect(scimErrorOf(() => parseFilter("(".repeat(4000))).scimType).toBe("invalidFilter");
  });

  it(`accepts exactly ${MAX_FILTER_DEPTH} levels and rejects one more`, () => {
    const nested = (n: number) => `${"(".repeat(n)}a pr${")".repeat(n)}`;
    expect(parseFilter(nested(MAX_FILTER_DEPTH))).toEqual({ kind: "present", path: { attribute: "a" } });
    expect(scimErrorOf(() => parseFilter(nested(MAX_FILTER_DEPTH + 1))).scimType).toBe("invalidFilter");
  });

  it("measures the depth printFilter produces", () => {
    expect(filterDepth(parseFilter('a pr and (b pr or emails[type eq "x"])'))).toBe(2);
  });
});

describe("RFC 7644 §3.5.2 PATCH paths", () => {
  it.each([
    ["name.givenName", { attribute: "name", subAttribute: "givenName" }],
    ["userName", { attribute: "userName" }],
    [`${ENTERPRISE}:manager`, { schema: ENTERPRISE, attribute: "manager" }],
    [`${ENTERPRISE}:Department`, { schema: ENTERPRISE, attribute: "department" }],
    [ENTERPRISE, { schema: ENTERPRISE }],
    [
      "urn:ietf:params:scim:schemas:extension:2.0:Metadata:costCode",
      { schema: "urn:ietf:params:scim:schemas:extension:2.0:Metadata", attribute: "costCode" },
    ],
  ])("parses %s", (text, expected) => {
    expect(parsePath(text)).toEqual(expected);
  });

  it("parses value-filtered paths with and without a trailing sub-attribute", () => {
    expect(parsePath('emails[type eq "work"].value')).toEqual({ attribute: "emails", filter: eq("type", "work"), subAttribute: "value" });
    expect(parsePath('addresses[type eq "work"].POSTALCODE')).toEqual({
      attribute: "addresses",
      filter: eq("type", "work"),
      subAttribute: "postalCode",
    });
    expect(parsePath('members[value eq "2819c223-7f76-453a-919d-413861904646"]')).toEqual({
      attribute: "members",
      filter: eq("value", "2819c223-7f76-453a-919d-413861904646"),
    });
    expect(parsePath('emails[value eq "a]b"]')).toEqual({ attribute: "emails", filter: eq("value", "a]b") });
  });

  it("prints paths back to an equivalent text", () => {
    for (const text of ['emails[type eq "work"].value', "name.givenName", `${ENTERPRISE}:manager`, ENTERPRISE]) {
      expect(parsePath(printPath(parsePath(text)))).toEqual(parsePath(text));
    }
  });

  it.each(["", "name..givenName", "emails[", 'emails[type eq "work"', 'emails[type eq "work"]value', 'emails[type eq "work"].', "name.givenName[type eq 1]", "a b", 'emails[type eq "work"] .value', "emails[]", "emails[type eq]", 'emails[x[y eq 1]]'])(
    "rejects %j with invalidPath",
    (text) => {
      const error = scimErrorOf(() => parsePath(text));
      expect(error.status).toBe(400);
      expect(error.scimType).toBe("invalidPath");
    },
  );

  it("parses bare attribute paths for sortBy", () => {
    expect(parseAttributePath(" name.familyName ")).toEqual({ attribute: "name", subAttribute: "familyName" });
    expect(scimErrorOf(() => parseAttributePath('emails[type eq "work"]')).scimType).toBe("invalidPath");
  });
});

describe("RFC 7644 §3.4.2.2 evaluation (in memory)", () => {
  const user = {
    schemas: [URN.User, ENTERPRISE],
    id: "2819c223",
    userName: "BJensen",
    externalId: "Ext-1",
    name: { givenName: "Barbara", familyName: "Jensen" },
    active: true,
    emails: [
      { value: "bjensen@example.com", type: "work", primary: true },
      { value: "babs@jensen.org", type: "home" },
    ],
    meta: { lastModified: "2011-05-13T04:42:34Z" },
    [ENTERPRISE]: { employeeNumber: "701984", manager: { value: "m-1" } },
    "urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName": { folders: ["Inbox", "Archive"] },
  };
  const matches = (filter: string) => matchesFilter(user, parseFilter(filter));

  it("compares caseExact=false attributes case-insensitively and caseExact ones exactly", () => {
    expect(matches('userName eq "bjensen"')).toBe(true);
    expect(matches('externalId eq "ext-1"')).toBe(false);
    expect(matches('externalId eq "Ext-1"')).toBe(true);
    expect(matches('id eq "2819C223"')).toBe(false);
  });

  it("matches multi-valued attributes when any value matches, and value filters per element", () => {
    expect(matches('emails co "jensen.org"')).toBe(true);
    expect(matches('emails[type eq "work"].value eq "BJENSEN@example.com"')).toBe(true);
    expect(matches('emails[type eq "home" and primary eq true]')).toBe(false);
    expect(matches('emails[type eq "work" and primary eq true]')).toBe(true);
    expect(matches('emails.type eq "home"')).toBe(true);
  });

  it("evaluates logical operators, pr, ne and null", () => {
    expect(matches('name.givenName sw "bar" and not (title pr)')).toBe(true);
    expect(matches('title pr or userName ew "sen"')).toBe(true);
    expect(matches('userName ne "bjensen"')).toBe(false);
    expect(matches("title eq null")).toBe(true);
    expect(matches("active eq true")).toBe(true);
  });

  it("orders dateTime values chronologically", () => {
    expect(matches('meta.lastModified gt "2011-05-13T04:42:33Z"')).toBe(true);
    expect(matches('meta.lastModified lt "2011-05-13T06:42:34+02:00"')).toBe(false);
  });

  it("resolves extension attributes, URN-qualified or not, and custom extension arrays", () => {
    expect(matches(`${ENTERPRISE}:employeeNumber eq "701984"`)).toBe(true);
    expect(matches(`${ENTERPRISE}:manager.value eq "m-1"`)).toBe(true);
    expect(matches('urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName:folders eq "archive"')).toBe(true);
  });
});

describe("RFC 7644 Table 9 unsupported filters → invalidFilter", () => {
  it("rejects attributes no known schema defines, but allows custom extension attributes", () => {
    expect(scimErrorOf(() => validateFilter(parseFilter('nickname2 eq "x"'), "User")).scimType).toBe("invalidFilter");
    expect(scimErrorOf(() => validateFilter(parseFilter('members pr'), "User")).scimType).toBe("invalidFilter");
    expect(() => validateFilter(parseFilter('urn:ietf:params:scim:schemas:extension:2.0:Metadata:key eq "x"'), "User")).not.toThrow();
    expect(() => validateFilter(parseFilter('displayName eq "Admins" and members[value eq "u1"]'), "Group")).not.toThrow();
  });

  it("rejects ordering on booleans and filtering on password", () => {
    expect(scimErrorOf(() => validateFilter(parseFilter('active gt "a"'), "User")).scimType).toBe("invalidFilter");
    expect(scimErrorOf(() => validateFilter(parseFilter('password eq "x"'), "User")).scimType).toBe("invalidFilter");
  });

  it("accepts everything Entra sends", () => {
    for (const filter of ['userName eq "a"', 'externalId eq "b"', 'emails[type eq "work"].value eq "c"', 'userName eq "a" and active eq true']) {
      expect(() => validateFilter(parseFilter(filter), "User")).not.toThrow();
    }
    expect(() => validateFilter(parseFilter('displayName eq "Sales"'), "Group")).not.toThrow();
  });
});

describe("Entra string booleans in filters (no aadOptscim062020)", () => {
  const user = { schemas: [URN.User], userName: "u", active: true, roles: [{ value: "Admin", primary: true }, { value: "User", primary: false }] };

  it.each(['active eq "True"', 'active eq "true"', 'active ne "FALSE"', 'roles[primary eq "True"]', 'roles[primary eq "false"]'])("matches %s", (text) => {
    expect(matchesFilter(user, parseFilter(text), "User")).toBe(true);
  });

  it.each(['active eq "False"', 'active ne "True"', 'roles[primary eq "True" and value eq "User"]'])("does not match %s", (text) => {
    expect(matchesFilter(user, parseFilter(text), "User")).toBe(false);
  });
});

describe("SCIM interop profile (draft-zollner-scim-interop-profile-01): undefined sub-attributes", () => {
  it.each(['name.x eq "1"', 'emails[kind eq "x"]', 'emails[type eq "work"].x eq "1"', 'emails.x pr', `${ENTERPRISE}:manager.x eq "1"`])("refuses %s with invalidSyntax", (text) => {
    const error = scimErrorOf(() => validateFilter(parseFilter(text), "User"));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("invalidSyntax");
  });

  it("still accepts attributes of extensions it does not define", () => {
    expect(() => validateFilter(parseFilter('urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName:folders.x eq "1"'), "User")).not.toThrow();
  });
});
