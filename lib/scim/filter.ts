// RFC 7644 §3.4.2.2 filter grammar (precedence not > and > or, bounded nesting) and §3.5.2 PATCH path grammar.
import { invalidFilter, invalidPath, type ScimError } from "./errors";
import {
  canonicalAttributeName,
  canonicalSubAttributeName,
  parentDefinition,
  splitUrn,
  type AttributeDefinition,
} from "./schemas";

/** Deepest nesting of parentheses, `not (…)` and `attr[…]` a filter may use. */
export const MAX_FILTER_DEPTH = 32;
/** Longest filter (or PATCH path) accepted, in UTF-16 code units. */
export const MAX_FILTER_LENGTH = 4096;

export type CompareOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
export type FilterLiteral = string | number | boolean | null;

/** `[schema:]attribute[.subAttribute]`; names canonically cased when a known schema defines them. */
export interface AttributePath {
  /** URN prefix as written (canonical spelling for known URNs), including the core schema URN. */
  schema?: string;
  attribute: string;
  subAttribute?: string;
}

export interface CompareNode {
  kind: "compare";
  path: AttributePath;
  op: CompareOperator;
  value: FilterLiteral;
}
export interface PresentNode {
  kind: "present";
  path: AttributePath;
}
/** Two or more operands, flattened: an operand is never itself an `and`. */
export interface AndNode {
  kind: "and";
  filters: FilterNode[];
}
/** Two or more operands, flattened: an operand is never itself an `or`. */
export interface OrNode {
  kind: "or";
  filters: FilterNode[];
}
export interface NotNode {
  kind: "not";
  filter: FilterNode;
}
/**
 * `attr[valFilter]`: true when some element of `attr` satisfies `filter`. Inside `filter`, paths
 * are relative to the element: `attribute` is a sub-attribute name, with no schema or
 * subAttribute, and no valuePath nests inside.
 */
export interface ValuePathNode {
  kind: "valuePath";
  path: AttributePath;
  filter: FilterNode;
}
export type FilterNode = CompareNode | PresentNode | AndNode | OrNode | NotNode | ValuePathNode;

/** PATCH target (RFC 7644 §3.5.2): `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, URN-qualified. */
export interface PatchPath {
  schema?: string;
  /** Undefined when the path names a whole extension schema (`urn:…:enterprise:2.0:User`). */
  attribute?: string;
  subAttribute?: string;
  filter?: FilterNode;
}

const COMPARE_OPERATORS = new Set<string>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
const ORDERING_OPERATORS = new Set<string>(["gt", "ge", "lt", "le"]);
const NAME = /^(?:\$ref|[A-Za-z][\w-]*)$/;
const PATH_CHARS = /[\w.:$-]/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

type ErrorFactory = (detail: string) => ScimError;

class Parser {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly fail: ErrorFactory,
  ) {}

  error(detail: string): ScimError {
    return this.fail(`${detail} at position ${this.pos}`);
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  parseFilter(depth: number, parent?: ParentContext): FilterNode {
    const first = this.parseConjunction(depth, parent);
    const operands = [first];
    while (this.acceptKeyword("or")) operands.push(this.parseConjunction(depth, parent));
    return operands.length === 1 ? first : { kind: "or", filters: operands.flatMap((n) => (n.kind === "or" ? n.filters : [n])) };
  }

  private parseConjunction(depth: number, parent?: ParentContext): FilterNode {
    const first = this.parseFactor(depth, parent);
    const operands = [first];
    while (this.acceptKeyword("and")) operands.push(this.parseFactor(depth, parent));
    return operands.length === 1 ? first : { kind: "and", filters: operands.flatMap((n) => (n.kind === "and" ? n.filters : [n])) };
  }

  private parseFactor(depth: number, parent?: ParentContext): FilterNode {
    this.skipSpace();
    if (this.accept("(")) {
      const inner = this.parseFilter(this.enter(depth), parent);
      this.expect(")");
      return inner;
    }
    if (this.peekNot()) {
      this.acceptKeyword("not");
      this.skipSpace();
      this.expect("(");
      const inner = this.parseFilter(this.enter(depth), parent);
      this.expect(")");
      return { kind: "not", filter: inner };
    }
    return this.parseAttributeExpression(depth, parent);
  }

  private enter(depth: number): number {
    if (depth + 1 > MAX_FILTER_DEPTH) throw this.error(`Filter nests deeper than ${MAX_FILTER_DEPTH} levels`);
    return depth + 1;
  }

  private parseAttributeExpression(depth: number, parent?: ParentContext): FilterNode {
    const path = this.readAttributePath(parent);
    if (this.text[this.pos] === "[") {
      if (parent) throw this.error("Value filters cannot nest");
      if (path.subAttribute !== undefined) throw this.error("A value filter applies to an attribute, not a sub-attribute");
      this.pos++;
      const context: ParentContext = { definition: parentDefinition(path.schema, path.attribute) };
      const inner = this.parseFilter(this.enter(depth), context);
      this.expect("]");
      if (this.text[this.pos] !== ".") return { kind: "valuePath", path, filter: inner };
      // Entra: `emails[type eq "work"].value eq "x"` ≡ `emails[type eq "work" and value eq "x"]`
      this.pos++;
      const sub = this.readName();
      const relative: AttributePath = { attribute: canonicalSubAttributeName(context.definition, sub) };
      const comparison = this.parseComparison(relative);
      const operands = [...(inner.kind === "and" ? inner.filters : [inner]), comparison];
      return { kind: "valuePath", path, filter: { kind: "and", filters: operands } };
    }
    return this.parseComparison(path);
  }

  private parseComparison(path: AttributePath): CompareNode | PresentNode {
    if (!this.skipSpace()) throw this.error("Expected a space and an operator after the attribute path");
    const operator = this.readWord().toLowerCase();
    if (operator === "pr") return { kind: "present", path };
    if (!COMPARE_OPERATORS.has(operator)) throw this.error(`Unknown operator ${JSON.stringify(operator)}`);
    const op = operator as CompareOperator;
    if (!this.skipSpace()) throw this.error(`Expected a space and a value after ${JSON.stringify(op)}`);
    const value = this.readLiteral();
    if (ORDERING_OPERATORS.has(op) && (typeof value === "boolean" || value === null)) {
      throw this.error(`${op} cannot compare with ${String(value)}`);
    }
    if ((op === "co" || op === "sw" || op === "ew") && typeof value !== "string") {
      throw this.error(`${op} needs a string value`);
    }
    return { kind: "compare", path, op, value };
  }

  readAttributePath(parent?: ParentContext): AttributePath {
    const start = this.pos;
    while (this.pos < this.text.length && PATH_CHARS.test(this.text[this.pos]!)) this.pos++;
    const token = this.text.slice(start, this.pos);
    if (!token) throw this.error("Expected an attribute path");
    const { schema, rest } = splitUrn(token);
    const [attribute = "", subAttribute, ...extra] = rest.split(".");
    if (!NAME.test(attribute) || extra.length > 0 || (subAttribute !== undefined && !NAME.test(subAttribute))) {
      throw this.error(`Invalid attribute path ${JSON.stringify(token)}`);
    }
    if (parent) {
      if (schema !== undefined || subAttribute !== undefined) throw this.error("Paths inside a value filter name a sub-attribute");
      return { attribute: canonicalSubAttributeName(parent.definition, attribute) };
    }
    const name = canonicalAttributeName(schema, attribute);
    const path: AttributePath = schema === undefined ? { attribute: name } : { schema, attribute: name };
    if (subAttribute !== undefined) path.subAttribute = canonicalSubAttributeName(parentDefinition(schema, name), subAttribute);
    return path;
  }

  private readLiteral(): FilterLiteral {
    const char = this.text[this.pos];
    if (char === '"') return this.readString();
    NUMBER.lastIndex = this.pos;
    const number = NUMBER.exec(this.text);
    if (number && !PATH_CHARS.test(this.text[this.pos + number[0].length] ?? " ")) {
      const value = Number(number[0]);
      if (!Number.isFinite(value)) throw this.error("Number out of range");
      this.pos += number[0].length;
      return value === 0 ? 0 : value;
    }
    const word = this.readWord().toLowerCase();
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    throw this.error("Expected a JSON string, number, true, false or null");
  }

  private readString(): string {
    const start = this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') {
      this.pos += this.text[this.pos] === "\\" ? 2 : 1;
    }
    if (this.pos >= this.text.length) throw this.error("Unterminated string");
    this.pos++;
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      throw this.error("Invalid string literal");
    }
  }

  private readWord(): string {
    const start = this.pos;
    while (this.pos < this.text.length && /[A-Za-z]/.test(this.text[this.pos]!)) this.pos++;
    if (this.pos < this.text.length && PATH_CHARS.test(this.text[this.pos]!)) {
      throw this.error("Unexpected character");
    }
    return this.text.slice(start, this.pos);
  }

  readName(): string {
    const start = this.pos;
    while (this.pos < this.text.length && /[\w$-]/.test(this.text[this.pos]!)) this.pos++;
    const name = this.text.slice(start, this.pos);
    if (!NAME.test(name)) throw this.error("Expected a sub-attribute name");
    return name;
  }

  /** Skips whitespace; reports whether there was any. */
  skipSpace(): boolean {
    const start = this.pos;
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
    return this.pos > start;
  }

  private accept(char: string): boolean {
    if (this.text[this.pos] !== char) return false;
    this.pos++;
    return true;
  }

  expect(char: string): void {
    this.skipSpace();
    if (!this.accept(char)) throw this.error(`Expected ${JSON.stringify(char)}`);
  }

  /** A keyword (any case) ending at a space or parenthesis; consumes it and the space before. */
  private acceptKeyword(keyword: string): boolean {
    const save = this.pos;
    this.skipSpace();
    const candidate = this.text.slice(this.pos, this.pos + keyword.length);
    const next = this.text[this.pos + keyword.length];
    const separated = this.pos > save || keyword === "not" || /[)\]]/.test(this.text[this.pos - 1] ?? "");
    if (candidate.toLowerCase() === keyword && (next === undefined || /[\s(]/.test(next)) && separated) {
      this.pos += keyword.length;
      return true;
    }
    this.pos = save;
    return false;
  }

  private peekNot(): boolean {
    const match = /^not\s*\(/i.exec(this.text.slice(this.pos, this.pos + 64));
    return match !== null;
  }
}

interface ParentContext {
  definition?: AttributeDefinition;
}

function checkInput(text: unknown, what: string, fail: ErrorFactory): asserts text is string {
  if (typeof text !== "string") throw fail(`${what} must be a string`);
  if (text.length > MAX_FILTER_LENGTH) throw fail(`${what} is longer than ${MAX_FILTER_LENGTH} characters`);
}

/** Parses a filter; any malformed input raises ScimError 400 invalidFilter. */
export function parseFilter(text: string): FilterNode {
  checkInput(text, "filter", invalidFilter);
  const parser = new Parser(text, invalidFilter);
  if (parser.atEnd()) throw invalidFilter("filter is empty");
  const node = parser.parseFilter(0);
  if (!parser.atEnd()) throw parser.error("Unexpected trailing input");
  return node;
}

/** Parses a bare attribute path (`sortBy`, `attributes`); raises ScimError 400 invalidPath. */
export function parseAttributePath(text: string): AttributePath {
  checkInput(text, "attribute path", invalidPath);
  const parser = new Parser(text.trim(), invalidPath);
  const path = parser.readAttributePath();
  if (!parser.atEnd()) throw parser.error("Unexpected trailing input");
  return path;
}

/** Parses a PATCH `path`; any malformed input raises ScimError 400 invalidPath. */
export function parsePath(text: string): PatchPath {
  checkInput(text, "path", invalidPath);
  const trimmed = text.trim();
  const whole = splitUrn(trimmed);
  if (whole.schema !== undefined && whole.rest === "") return { schema: whole.schema };
  const parser = new Parser(trimmed, invalidPath);
  const { schema, attribute, subAttribute } = parser.readAttributePath();
  const path: PatchPath = schema === undefined ? { attribute } : { schema, attribute };
  if (subAttribute !== undefined) path.subAttribute = subAttribute;
  if (trimmed[parser.pos] === "[") {
    if (subAttribute !== undefined) throw invalidPath("A value filter applies to an attribute, not a sub-attribute");
    const filterEnd = matchingBracket(trimmed, parser.pos);
    const filterText = trimmed.slice(parser.pos + 1, filterEnd);
    path.filter = parseValueFilter(filterText, parentDefinition(schema, attribute));
    const after = trimmed.slice(filterEnd + 1);
    if (after !== "") {
      const sub = /^\.((?:\$ref|[A-Za-z][\w-]*))$/.exec(after);
      if (!sub) throw invalidPath(`Unexpected ${JSON.stringify(after)} after the value filter`);
      path.subAttribute = canonicalSubAttributeName(parentDefinition(schema, attribute), sub[1]!);
    }
    return path;
  }
  if (!parser.atEnd()) throw parser.error("Unexpected trailing input");
  return path;
}

function parseValueFilter(text: string, parent: AttributeDefinition | undefined): FilterNode {
  const parser = new Parser(text, invalidPath);
  if (parser.atEnd()) throw invalidPath("Empty value filter");
  const node = parser.parseFilter(1, { definition: parent });
  if (!parser.atEnd()) throw parser.error("Unexpected trailing input in value filter");
  return node;
}

/** Index of the `]` closing the `[` at `open`, skipping JSON strings. */
function matchingBracket(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (text[i] === "[") {
      throw invalidPath("Value filters cannot nest");
    } else if (text[i] === "]") {
      return i;
    }
  }
  throw invalidPath("Unterminated value filter");
}

export function printAttributePath(path: AttributePath): string {
  const qualified = path.schema === undefined ? path.attribute : `${path.schema}:${path.attribute}`;
  return path.subAttribute === undefined ? qualified : `${qualified}.${path.subAttribute}`;
}

/** Canonical text: lower-case operators, JSON literals, parentheses only where precedence needs them. */
export function printFilter(node: FilterNode): string {
  switch (node.kind) {
    case "compare":
      return `${printAttributePath(node.path)} ${node.op} ${JSON.stringify(node.value)}`;
    case "present":
      return `${printAttributePath(node.path)} pr`;
    case "and":
      return node.filters.map((f) => (f.kind === "or" ? `(${printFilter(f)})` : printFilter(f))).join(" and ");
    case "or":
      return node.filters.map(printFilter).join(" or ");
    case "not":
      return `not (${printFilter(node.filter)})`;
    case "valuePath":
      return `${printAttributePath(node.path)}[${printFilter(node.filter)}]`;
  }
}

export function printPath(path: PatchPath): string {
  if (path.attribute === undefined) return path.schema ?? "";
  const base = printAttributePath({ ...path, attribute: path.attribute, subAttribute: undefined });
  const filter = path.filter ? `[${printFilter(path.filter)}]` : "";
  return `${base}${filter}${path.subAttribute === undefined ? "" : `.${path.subAttribute}`}`;
}

/** Nesting depth of the canonical text of `node`, the measure MAX_FILTER_DEPTH bounds. */
export function filterDepth(node: FilterNode): number {
  switch (node.kind) {
    case "compare":
    case "present":
      return 0;
    case "and":
      return Math.max(...node.filters.map((f) => filterDepth(f) + (f.kind === "or" ? 1 : 0)));
    case "or":
      return Math.max(...node.filters.map(filterDepth));
    case "not":
    case "valuePath":
      return 1 + filterDepth(node.filter);
  }
}
