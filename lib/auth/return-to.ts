// Where a session handoff may send the browser (GET /api/session/handoff?return_to=…). The
// rules, each closing a way to an open redirect:
// - an absolute http(s) URL: a relative one, `//host`, `javascript:` or `data:` is refused;
// - no whitespace, control character or backslash anywhere, which URL parsers repair in
//   ways a reader of the string would not expect;
// - no user name or password before the host;
// - its origin exactly one of the allowed origins (ours, and HOST_APP_ORIGINS).
// The redirect is to the parsed URL's own serialisation, so the browser follows the URL whose
// origin was checked, never the raw string.

export const RETURN_TO_MAX_LENGTH = 2048;

export type ReturnToCheck = { ok: true; url: URL } | { ok: false; reason: string };

const refused = (reason: string): ReturnToCheck => ({ ok: false, reason });

export function checkReturnTo(candidate: string | null | undefined, allowedOrigins: readonly string[]): ReturnToCheck {
  if (!candidate) return refused("Required: the absolute URL of the host application to return to");
  if (candidate.length > RETURN_TO_MAX_LENGTH) return refused(`Longer than ${RETURN_TO_MAX_LENGTH} characters`);
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(candidate)) return refused("Contains whitespace, a control character or a backslash");
  if (!URL.canParse(candidate)) return refused("Not an absolute URL");
  const url = new URL(candidate);
  if (url.protocol !== "https:" && url.protocol !== "http:") return refused("Not an http or https URL");
  if (url.username || url.password) return refused("Carries a user name or password");
  if (!allowedOrigins.includes(url.origin)) return refused("Not an origin this Gatehouse hands sessions to (see HOST_APP_ORIGINS)");
  return { ok: true, url };
}

/**
 * An entry of HOST_APP_ORIGINS as its origin, or undefined when it is not exactly one: a
 * scheme, a host name or address (no wildcard) and an optional port, with nothing after them
 * but an optional `/`. https, or http on a loopback host (a host application in development).
 */
export function exactOrigin(entry: string): string | undefined {
  if (!URL.canParse(entry)) return undefined;
  const url = new URL(entry);
  const loopback = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) return undefined;
  // WHATWG URL hosts may hold `*` and the like; an origin list holds names and addresses only.
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(url.hostname)) return undefined;
  if (url.origin !== entry.replace(/\/$/, "").toLowerCase()) return undefined;
  return url.origin;
}
