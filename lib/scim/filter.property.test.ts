import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import {
  filterDepth,
  MAX_FILTER_DEPTH,
  parseFilter,
  parsePath,
  printFilter,
  type AttributePath,
  type CompareOperator,
  type FilterLiteral,
  type FilterNode,
} from "./filter";
import { matchesFilter } from "./filter-match";
import { URN } from "./schemas";

/** Generated cases per property; with the other properties, well over 10,000 per run. */
const RUNS = 3000;
/** Property runs are CPU-bound; allow for a loaded CI machine. */
const TIMEOUT = 60_000;
const CUSTOM_URNS = ["urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName", "urn:ietf:params:scim:schemas:extension:Acme:2.0:User"];

/** Names no known schema defines, so parsing keeps them exactly as generated. */
const unknownName = fc.stringMatching(/^zz[A-Za-z0-9_-]{0,6}$/);

const attributePath: fc.Arbitrary<AttributePath> = fc.oneof(
  fc.constantFrom("userName", "displayName", "title", "active", "externalId", "id", "nickName", "emails").map((attribute) => ({ attribute })),
  fc
    .constantFrom(["name", "givenName"], ["name", "familyName"], ["emails", "value"], ["emails", "type"], ["meta", "lastModified"], ["members", "value"], ["manager", "$ref"])
    .map(([attribute, subAttribute]) => ({ attribute: attribute!, subAttribute: subAttribute! })),
  fc.constantFrom("department", "employeeNumber").map((attribute) => ({ schema: URN.EnterpriseUser, attribute })),
  fc.constant({ schema: URN.EnterpriseUser, attribute: "manager", subAttribute: "value" }),
  fc.constant({ schema: URN.User, attribute: "userName" }),
  fc.record({ schema: fc.constantFrom(...CUSTOM_URNS), attribute: unknownName }),
  fc.record({ attribute: unknownName, subAttribute: unknownName }, { requiredKeys: ["attribute"] }),
);

const literalAndOperator: fc.Arbitrary<{ op: CompareOperator; value: FilterLiteral }> = fc.oneof(
  fc.record({ op: fc.constantFrom<CompareOperator>("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"), value: fc.string({ unit: "binary", maxLength: 12 }) }),
  fc.record({
    op: fc.constantFrom<CompareOperator>("eq", "ne", "gt", "ge", "lt", "le"),
    value: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n))),
  }),
  fc.record({ op: fc.constantFrom<CompareOperator>("eq", "ne"), value: fc.constantFrom(true, false, null) }),
);

const leaf = (path: fc.Arbitrary<AttributePath>): fc.Arbitrary<FilterNode> =>
  fc.oneof(
    fc.tuple(path, literalAndOperator).map(([p, { op, value }]): FilterNode => ({ kind: "compare", path: p, op, value })),
    path.map((p): FilterNode => ({ kind: "present", path: p })),
  );

/** Canonical trees (what the parser produces): and/or flattened, value filters not nested. */
function filterTree(path: fc.Arbitrary<AttributePath>, withValuePaths: boolean, maxDepth: number) {
  return fc.letrec<{ node: FilterNode; and: FilterNode; or: FilterNode; not: FilterNode; valuePath: FilterNode }>((tie) => {
    const depth = { depthSize: "small" as const, maxDepth, depthIdentifier: "filter" };
    const others = (...kinds: ("and" | "or" | "not" | "valuePath")[]) =>
      fc.oneof(depth, leaf(path), ...kinds.filter((k) => withValuePaths || k !== "valuePath").map((k) => tie(k)));
    return {
      node: others("and", "or", "not", "valuePath"),
      and: fc.array(others("or", "not", "valuePath"), { minLength: 2, maxLength: 4 }).map((filters) => ({ kind: "and", filters })),
      or: fc.array(others("and", "not", "valuePath"), { minLength: 2, maxLength: 4 }).map((filters) => ({ kind: "or", filters })),
      not: tie("node").map((filter) => ({ kind: "not", filter })),
      valuePath: fc.constant(null).chain(() => elementFilter), // lazy: elementFilter is built from filterTree
    };
  }).node;
}

const PARENTS: [string, string[]][] = [
  ["emails", ["value", "type", "primary", "display"]],
  ["addresses", ["postalCode", "type", "primary"]],
  ["members", ["value", "display", "type", "$ref"]],
];
const elementFilter: fc.Arbitrary<FilterNode> = fc.oneof(
  ...PARENTS.map(([parent, subs]) =>
    filterTree(fc.constantFrom(...subs).map((attribute) => ({ attribute })), false, 3).map(
      (filter): FilterNode => ({ kind: "valuePath", path: { attribute: parent }, filter }),
    ),
  ),
  fc.tuple(unknownName, filterTree(unknownName.map((attribute) => ({ attribute })), false, 3)).map(
    ([attribute, filter]): FilterNode => ({ kind: "valuePath", path: { attribute }, filter }),
  ),
);

const anyFilter = filterTree(attributePath, true, 5);

function expectScimError(run: () => unknown, scimType: string): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
  }
}

describe("RFC 7644 §3.4.2.2 parse ∘ print is the identity on filter trees", () => {
  it("round-trips generated trees", () => {
    fc.assert(
      fc.property(anyFilter, (tree) => {
        fc.pre(filterDepth(tree) <= MAX_FILTER_DEPTH);
        expect(parseFilter(printFilter(tree))).toEqual(tree);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it("evaluates not as the negation of its operand", () => {
    const resource = {
      schemas: [URN.User],
      userName: "ada",
      emails: [{ value: "a@x", type: "work", primary: true }],
      name: { givenName: "Ada" },
      active: true,
    };
    fc.assert(
      fc.property(anyFilter, (tree) => {
        expect(matchesFilter(resource, { kind: "not", filter: tree })).toBe(!matchesFilter(resource, tree));
      }),
      { numRuns: 1000 },
    );
  }, TIMEOUT);
});

describe("RFC 7644 §3.4.2.2 any input parses or fails with 400 invalidFilter", () => {
  const tokens = fc.constantFrom(
    "userName", "emails", "name.givenName", URN.EnterpriseUser, ":", "employeeNumber", " ", "  ", "eq", "EQ", "co", "pr", "gt",
    "and", "or", "not", "(", ")", "[", "]", ".", "value", '"x"', '"', "\\", '"\\u00e9"', "1", "-2.5e3", "true", "null", "Null",
    "type", "'", ";", "--", "%", "\u0000", "\u{1F600}",
  );
  const tokenSoup = fc.array(tokens, { maxLength: 25 }).map((parts) => parts.join(""));

  it("for arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 120 }), (text) => expectScimError(() => parseFilter(text), "invalidFilter")),
      { numRuns: 2000 },
    );
  }, TIMEOUT);

  it("for strings assembled from filter tokens", () => {
    fc.assert(
      fc.property(tokenSoup, (text) => {
        expectScimError(() => parseFilter(text), "invalidFilter");
        expectScimError(() => parsePath(text), "invalidPath");
      }),
      { numRuns: 2000 },
    );
  }, TIMEOUT);

  it("for generated filters with one character removed or inserted", () => {
    fc.assert(
      fc.property(anyFilter, fc.nat(), fc.constantFrom("(", ")", "[", "]", '"', " ", "\\"), (tree, at, char) => {
        const text = printFilter(tree);
        const index = at % (text.length + 1);
        expectScimError(() => parseFilter(text.slice(0, index) + text.slice(index + 1)), "invalidFilter");
        expectScimError(() => parseFilter(text.slice(0, index) + char + text.slice(index)), "invalidFilter");
      }),
      { numRuns: 1000 },
    );
  }, TIMEOUT);
});

describe(`filter nesting is bounded at ${MAX_FILTER_DEPTH}`, () => {
  const wrappers = fc.array(fc.constantFrom("paren", "not"), { minLength: 0, maxLength: 120 });

  it("accepts nesting up to the bound and rejects deeper nesting with invalidFilter", () => {
    fc.assert(
      fc.property(wrappers, fc.boolean(), (layers, valuePathInside) => {
        let text = valuePathInside ? 'emails[type eq "work"]' : "userName pr";
        for (const layer of layers) text = layer === "paren" ? `(${text})` : `not (${text})`;
        const depth = layers.length + (valuePathInside ? 1 : 0);
        if (depth <= MAX_FILTER_DEPTH) {
          expect(() => parseFilter(text)).not.toThrow();
        } else {
          expect(() => parseFilter(text)).toThrowError(expect.objectContaining({ scimType: "invalidFilter" }));
        }
      }),
      { numRuns: 1000 },
    );
  }, TIMEOUT);

  it("rejects printed trees deeper than the bound", () => {
    const deepTree = fc
      .tuple(anyFilter, fc.integer({ min: MAX_FILTER_DEPTH + 1, max: 3 * MAX_FILTER_DEPTH }))
      .map(([tree, depth]) => Array.from({ length: depth }).reduce<FilterNode>((inner) => ({ kind: "not", filter: inner }), tree));
    fc.assert(
      fc.property(deepTree, (tree) => {
        expect(filterDepth(tree)).toBeGreaterThan(MAX_FILTER_DEPTH);
        expect(() => parseFilter(printFilter(tree))).toThrowError(expect.objectContaining({ scimType: "invalidFilter" }));
      }),
      { numRuns: 300 },
    );
  }, TIMEOUT);
});
