import { preconditionFailed } from "../scim/errors";
import { weakEtag } from "../scim/resources/document";

/** RFC 7644 §3.14: If-Match must name the current version (weak or strong form), or `*`. */
export function checkIfMatch(request: Request, version: number) {
  const header = request.headers.get("if-match");
  if (!header) return;
  const current = String(version);
  const candidates = header.split(",").map((v) => v.trim());
  const ok = candidates.some((c) => c === "*" || c.replace(/^W\//, "").replace(/"/g, "") === current);
  if (!ok) throw preconditionFailed(`If-Match ${header} does not match the current version ${weakEtag(version)}`);
}

export function etagHeader(version: number): Record<string, string> {
  return { etag: weakEtag(version) };
}
