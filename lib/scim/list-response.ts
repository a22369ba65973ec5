// RFC 7644 §3.4.2 list parameters (pagination §3.4.2.4, sorting §3.4.2.3), §3.4.3 SearchRequest, ListResponse.
import { invalidSyntax, invalidValue, ScimError } from "./errors";
import { parseAttributePath, parseFilter, type AttributePath, type FilterNode } from "./filter";
import { getIgnoringCase, isJsonObject } from "./json";
import { parseAttributeList } from "./projection";
import { MAX_RESULTS } from "./discovery";
import { URN } from "./urns";

/** Page size when the client gives no `count`. */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest page served; equals ServiceProviderConfig `filter.maxResults`. */
export const MAX_PAGE_SIZE = MAX_RESULTS;

export type SortOrder = "ascending" | "descending";

export interface ListParams {
  filter?: FilterNode;
  /** 1-based index of the first result. */
  startIndex: number;
  /** Page size, 0…MAX_PAGE_SIZE; 0 asks for totalResults only. */
  count: number;
  sortBy?: AttributePath;
  sortOrder: SortOrder;
  attributes?: string[];
  excludedAttributes?: string[];
}

export interface ListResponse<T> {
  schemas: [typeof URN.ListResponse];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

export function listResponse<T>(resources: T[], page: { totalResults: number; startIndex: number; itemsPerPage?: number }): ListResponse<T> {
  return {
    schemas: [URN.ListResponse],
    totalResults: page.totalResults,
    startIndex: page.startIndex,
    itemsPerPage: page.itemsPerPage ?? resources.length,
    Resources: resources,
  };
}

type RawParam = unknown;

const INTEGER = /^[+-]?\d+$/;

const asText = (value: RawParam): string | undefined =>
  typeof value === "string" ? value.trim() : typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;

/** RFC 7644 §3.4.2.4: a startIndex below 1 — or not a number — is interpreted as 1. */
function parseStartIndex(value: RawParam): number {
  const text = asText(value);
  if (text === undefined || !INTEGER.test(text)) return 1;
  return Math.min(Math.max(Number(text), 1), Number.MAX_SAFE_INTEGER);
}

/** RFC 7644 §3.4.2.4: negative counts are 0; counts above the maximum are capped. */
function parseCount(value: RawParam): number {
  if (value === undefined || value === null || value === "") return DEFAULT_PAGE_SIZE;
  const text = asText(value);
  if (text === undefined || !INTEGER.test(text)) {
    throw invalidValue(`count must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return Math.min(Math.max(Number(text), 0), MAX_PAGE_SIZE);
}

function parseSortOrder(value: RawParam): SortOrder {
  if (value === undefined || value === null || value === "") return "ascending";
  const text = typeof value === "string" ? value.trim().toLowerCase() : "";
  if (text === "ascending" || text === "descending") return text;
  throw invalidValue(`sortOrder must be "ascending" or "descending", got ${JSON.stringify(value)}`);
}

function parseSortBy(value: RawParam): AttributePath | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw invalidValue("sortBy must be an attribute path");
  try {
    return parseAttributePath(value);
  } catch (error) {
    if (error instanceof ScimError) throw invalidValue(`sortBy: ${error.detail}`);
    throw error;
  }
}

function parseAttributes(value: RawParam, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"))
    ? parseAttributeList(value as string | string[])
    : undefined;
  if (list === undefined) throw invalidValue(`${name} must be a comma-separated string or an array of strings`);
  return list.length > 0 ? list : undefined;
}

function parseFilterParam(value: RawParam): FilterNode | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidValue("filter must be a string");
  return value.trim() === "" ? undefined : parseFilter(value);
}

function build(read: (name: string) => RawParam): ListParams {
  const params: ListParams = {
    startIndex: parseStartIndex(read("startIndex")),
    count: parseCount(read("count")),
    sortOrder: parseSortOrder(read("sortOrder")),
  };
  const filter = parseFilterParam(read("filter"));
  const sortBy = parseSortBy(read("sortBy"));
  const attributes = parseAttributes(read("attributes"), "attributes");
  const excludedAttributes = parseAttributes(read("excludedAttributes"), "excludedAttributes");
  if (filter) params.filter = filter;
  if (sortBy) params.sortBy = sortBy;
  if (attributes) params.attributes = attributes;
  if (excludedAttributes) params.excludedAttributes = excludedAttributes;
  return params;
}

/** Query-string parameters of `GET /Users`, `GET /Groups` (names matched case-insensitively). */
export function parseListQuery(searchParams: URLSearchParams): ListParams {
  const entries = [...searchParams.entries()];
  return build((name) => entries.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]);
}

/** A `POST …/.search` body (RFC 7644 §3.4.3). */
export function parseSearchRequest(body: unknown): ListParams {
  if (!isJsonObject(body)) throw invalidSyntax("SearchRequest body must be a JSON object");
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === "string" && s.toLowerCase() === URN.SearchRequest.toLowerCase())) {
    throw invalidSyntax(`SearchRequest body must list ${URN.SearchRequest} in schemas`);
  }
  return build((name) => getIgnoringCase(body, name));
}

export function parseListParams(input: URLSearchParams | unknown): ListParams {
  return input instanceof URLSearchParams ? parseListQuery(input) : parseSearchRequest(input);
}
