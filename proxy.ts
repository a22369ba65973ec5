import { NextResponse, type NextRequest } from "next/server";

// Only a convenience redirect for visitors without a session cookie. Every console page and
// action still authorizes next to the data (CVE-2025-29927 showed why proxy-only checks fail).
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export function proxy(request: NextRequest) {
  if (SESSION_COOKIES.some((name) => request.cookies.has(name))) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: [
    "/dashboard/:path*",
    "/tenants/:path*",
    "/identity-providers/:path*",
    "/users/:path*",
    "/groups/:path*",
    "/activity/:path*",
  ],
};
