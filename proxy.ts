import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE_NAMES } from "./lib/auth/session-cookies";
import { env } from "./lib/env";
import { malformedPathResponse } from "./lib/http/malformed-path";
import { malformedScimPath } from "./lib/scim-server/malformed-path";
import { REQUEST_ID_HEADER, requestIdFrom } from "./lib/request-id";

// Three jobs, none of them authorization (every page and action checks that next to the
// data; CVE-2025-29927 showed why proxy-only checks fail):
// 1. a per-request CSP nonce, so no inline script runs unless we rendered it;
// 2. a convenience redirect to /login for console visitors without a live session (checked
//    in the database, so a made-up cookie never reaches a console page or server action);
// 3. an `x-request-id` on the request and its response, which pages, server actions and
//    their audit rows read through next/headers (lib/request-id.ts).
// SCIM, /api and prefetch requests pass through here only when their path is percent-encoded:
// a path Next.js cannot decode gets a 4xx (SCIM's error shape under /scim) instead of Next's
// 500 page.
const CONSOLE_PREFIXES = ["/dashboard", "/tenants", "/identity-providers", "/users", "/groups", "/activity", "/api-keys"];

export function contentSecurityPolicy(nonce: string, development: boolean) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Radix and toasts position elements with inline style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A session cookie by name alone is not enough: the hashed token must name a live session. */
async function hasLiveSession(request: NextRequest) {
  const tokens = SESSION_COOKIE_NAMES.map((name) => request.cookies.get(name)?.value).filter(Boolean);
  if (!tokens.length) return false;
  try {
    const [{ getDb }, { isLiveSessionToken }] = await Promise.all([import("./lib/db/client"), import("./lib/auth/session-store")]);
    const db = await getDb();
    for (const token of tokens) if (await isLiveSessionToken(db, token)) return true;
  } catch {
    // The database is unreachable: the sign-in page says so, rather than a 500 here.
  }
  return false;
}

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/scim/")) return malformedScimPath(pathname) ?? NextResponse.next();
  const malformed = malformedPathResponse(pathname);
  if (malformed) return malformed;
  if (pathname.startsWith("/api/") || pathname.startsWith("/_next/")) return NextResponse.next();
  const requestId = requestIdFrom(request.headers);
  const isConsole = CONSOLE_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (isConsole && !(await hasLiveSession(request))) {
    const login = new URL("/login", request.url);
    login.searchParams.set("callbackUrl", `${pathname}${search}`);
    const redirect = NextResponse.redirect(login);
    redirect.headers.set(REQUEST_ID_HEADER, requestId);
    return redirect;
  }
  const nonce = btoa(crypto.randomUUID());
  const policy = contentSecurityPolicy(nonce, env().NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set(REQUEST_ID_HEADER, requestId);
  // Next.js reads the nonce for its own scripts from the request's CSP header.
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|scim/|_next/static|_next/image|favicon.ico).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
    // Every percent-encoded path, prefetch or not, so an undecodable one never reaches Next.js.
    "/(.*%.*)",
  ],
};
