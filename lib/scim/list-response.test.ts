import { describe, expect, it } from "vitest";
import { scimErrorOf } from "@/test/support/scim-error-of";
import { DEFAULT_PAGE_SIZE, listResponse, MAX_PAGE_SIZE, parseListParams, parseSearchRequest } from "./list-response";
import { URN } from "./schemas";

const query = (text: string) => parseListParams(new URLSearchParams(text));

describe("RFC 7644 §3.4.2 ListResponse", () => {
  it("wraps resources with totals, including an empty page for Test Connection", () => {
    expect(listResponse([], { totalResults: 0, startIndex: 1 })).toEqual({
      schemas: [URN.ListResponse],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
    expect(listResponse([{ id: "a" }], { totalResults: 5, startIndex: 3 }).itemsPerPage).toBe(1);
  });
});

describe("RFC 7644 §3.4.2.4 pagination parameters", () => {
  it("defaults to startIndex 1 and the default page size", () => {
    expect(query("")).toEqual({ startIndex: 1, count: DEFAULT_PAGE_SIZE, sortOrder: "ascending" });
  });

  it.each([
    ["startIndex=0", 1],
    ["startIndex=-5", 1],
    ["startIndex=abc", 1],
    ["startIndex=1.5", 1],
    ["startIndex=7", 7],
    ["startIndex=99999999999999999999999", Number.MAX_SAFE_INTEGER],
  ])("%s → startIndex %d", (text, startIndex) => {
    expect(query(text).startIndex).toBe(startIndex);
  });

  it.each([
    ["count=-1", 0],
    ["count=0", 0],
    ["count=10", 10],
    [`count=${MAX_PAGE_SIZE + 1}`, MAX_PAGE_SIZE],
    ["count=99999999999999999999999", MAX_PAGE_SIZE],
  ])("%s → count %d", (text, count) => {
    expect(query(text).count).toBe(count);
  });

  it.each(["count=abc", "count=1.5", "count=1e3"])("rejects %s with invalidValue", (text) => {
    const error = scimErrorOf(() => query(text));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("invalidValue");
  });
});

describe("RFC 7644 §3.4.2.3 sorting, filter and attributes parameters", () => {
  it("parses Entra's group lookup", () => {
    expect(query('excludedAttributes=members&filter=displayName eq "Sales"')).toEqual({
      startIndex: 1,
      count: DEFAULT_PAGE_SIZE,
      sortOrder: "ascending",
      filter: { kind: "compare", path: { attribute: "displayName" }, op: "eq", value: "Sales" },
      excludedAttributes: ["members"],
    });
  });

  it("reads sortBy as a path and sortOrder in any case", () => {
    expect(query("sortBy=name.familyName&sortOrder=DESCENDING")).toMatchObject({
      sortBy: { attribute: "name", subAttribute: "familyName" },
      sortOrder: "descending",
    });
  });

  it("rejects bad sortOrder, sortBy and filter", () => {
    expect(scimErrorOf(() => query("sortOrder=sideways")).scimType).toBe("invalidValue");
    expect(scimErrorOf(() => query("sortBy=a[b eq 1]")).scimType).toBe("invalidValue");
    expect(scimErrorOf(() => query("filter=userName eq")).scimType).toBe("invalidFilter");
  });
});

describe("RFC 7644 §3.4.3 SearchRequest", () => {
  it("reads a POST .search body", () => {
    expect(
      parseSearchRequest({
        schemas: [URN.SearchRequest],
        attributes: ["displayName", "userName"],
        filter: 'displayName sw "smith"',
        startIndex: 1,
        count: 10,
      }),
    ).toMatchObject({ attributes: ["displayName", "userName"], startIndex: 1, count: 10, filter: { op: "sw" } });
  });

  it.each([[{}], [{ schemas: [URN.ListResponse] }], [null], [{ schemas: [URN.SearchRequest], attributes: 5 }], [{ schemas: [URN.SearchRequest], filter: 5 }]])(
    "rejects %j",
    (body) => {
      expect(scimErrorOf(() => parseListParams(body)).status).toBe(400);
    },
  );
});
