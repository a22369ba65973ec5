// The cookie Auth.js keeps the database session token in: `__Secure-` prefixed on https,
// plain on http (lib/auth/session.ts picks which one it sets). Pure, so proxy.ts can use it.

export const SESSION_COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

/** The session cookie values a raw Cookie header carries (either name), each at most `maxLength` long. */
export function sessionCookieValues(cookieHeader: string | null, maxLength: number): string[] {
  const found: string[] = [];
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || !(SESSION_COOKIE_NAMES as readonly string[]).includes(part.slice(0, eq).trim())) continue;
    const value = part.slice(eq + 1).trim();
    if (value && value.length <= maxLength) found.push(value);
  }
  return found;
}
