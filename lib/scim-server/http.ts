import { publicOriginOf, scimTenantUrl } from "../origin";
import { BodyTooLargeError, readBodyLimited } from "../http/request-body";
import { MAX_PAYLOAD_BYTES } from "../scim/discovery";
import { type ScimError, invalidSyntax, invalidValue, payloadTooLarge, scimErrorBody, unsupportedMediaType } from "../scim/errors";

// RFC 7644 §3.1/§8.1: SCIM speaks application/scim+json; Entra also sends application/json.
export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";
/** No SCIM resource, extension or PatchOp nests anywhere near this deep. */
export const MAX_JSON_DEPTH = 32;

export function scimJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}) {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { "content-type": SCIM_CONTENT_TYPE, "cache-control": "no-store", ...init.headers },
  });
}

export function scimErrorResponse(error: ScimError, headers: Record<string, string> = {}) {
  const extra: Record<string, string> = { ...headers };
  if (error.status === 401) extra["www-authenticate"] = 'Bearer realm="gatehouse-scim"';
  return scimJson(scimErrorBody(error), { status: error.status, headers: extra });
}

export function noContent(headers: Record<string, string> = {}) {
  return new Response(null, { status: 204, headers: { "cache-control": "no-store", ...headers } });
}

const ACCEPTED_TYPES = new Set(["application/scim+json", "application/json"]);

/** Reads a JSON body within the declared size limit; never trusts Content-Length alone. */
export async function readScimBody(request: Request): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!ACCEPTED_TYPES.has(type)) throw unsupportedMediaType();
  const text = await readLimited(request, MAX_PAYLOAD_BYTES);
  if (!text.trim()) throw invalidSyntax("Request body is empty");
  if (nestingDepth(text) > MAX_JSON_DEPTH) throw invalidSyntax(`Request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidSyntax("Request body is not valid JSON");
  }
  if (containsNul(parsed)) throw invalidValue("Strings cannot contain NUL characters");
  return parsed;
}

/**
 * The deepest bracket nesting of a JSON text, counted before parsing so that no recursive
 * step (the NUL check, structuredClone, jsonb) ever meets a document deeper than the cap.
 */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      deepest = Math.max(deepest, ++depth);
      if (deepest > MAX_JSON_DEPTH) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** PostgreSQL text and jsonb cannot store U+0000; refuse it up front with a 400, at any depth (the nesting is capped). */
function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => k.includes("\u0000") || containsNul(v));
  return false;
}

async function readLimited(request: Request, limit: number): Promise<string> {
  try {
    return new TextDecoder("utf-8", { fatal: false }).decode(await readBodyLimited(request, limit));
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw payloadTooLarge(limit);
    throw error;
  }
}

/** The public base of this tenant's SCIM endpoint, for meta.location and $ref: the console's Tenant URL. */
export function scimBaseUrl(headers: Headers, url: URL, tenantId: string) {
  return scimTenantUrl(publicOriginOf(headers, url), tenantId);
}
