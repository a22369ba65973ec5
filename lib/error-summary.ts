// What a server log may say about an unexpected error. A drizzle DrizzleQueryError's message
// is "Failed query: …\nparams: …" and its driver cause carries the failing row's `detail`:
// bound parameters, password and token hashes, ciphertexts, PII. Only names, SQLSTATE codes
// and constraint names are kept.

type ErrorLike = { name?: unknown; type?: unknown; code?: unknown; constraint?: unknown; cause?: unknown };

const SAFE_TOKEN = /^[A-Za-z0-9_.:-]{1,80}$/;

function safe(value: unknown) {
  return typeof value === "string" && SAFE_TOKEN.test(value) ? value : undefined;
}

export function errorSummary(error: unknown): string {
  const parts: string[] = [];
  let e = error as ErrorLike | undefined;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++, e = e.cause as ErrorLike | undefined) {
    // Auth.js errors name their kind in `type` (UnknownAction, InvalidCheck…).
    const fields = [safe(e.name) ?? "Error", safe(e.type) && `type=${e.type}`, safe(e.code) && `code=${e.code}`, safe(e.constraint) && `constraint=${e.constraint}`];
    parts.push(fields.filter(Boolean).join(" "));
  }
  return parts.length ? parts.join(" <- ") : typeof error;
}
