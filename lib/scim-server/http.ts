import { originFromHeaders } from "../origin";
import { ScimError, invalidSyntax, invalidValue, payloadTooLarge, scimErrorBody, unsupportedMediaType } from "../scim/errors";

// RFC 7644 §3.1/§8.1: SCIM speaks application/scim+json; Entra also sends application/json.
export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";
export const MAX_BODY_BYTES = 1024 * 1024;

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
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  const text = await readLimited(request, MAX_BODY_BYTES);
  if (!text.trim()) throw invalidSyntax("Request body is empty");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidSyntax("Request body is not valid JSON");
  }
  if (containsNul(parsed)) throw invalidValue("Strings cannot contain NUL characters");
  return parsed;
}

/** PostgreSQL text and jsonb cannot store U+0000; refuse it up front with a 400. */
function containsNul(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
  if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => k.includes("\u0000") || containsNul(v, depth + 1));
  return false;
}

async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}

/** The public base of this tenant's SCIM endpoint, for meta.location and $ref. */
export function scimBaseUrl(request: Request, tenantId: string, configuredOrigin?: string) {
  const origin = configuredOrigin ?? originFromHeaders(request.headers, request.url);
  return `${origin}/scim/v2/${tenantId}`;
}
