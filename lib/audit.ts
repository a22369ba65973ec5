/**
 * The two rules every audit event follows, whichever door wrote it (console, CLI, SCIM, /me,
 * sign-in): who did it (`Actor`, built only here) and what may be stored in `details`.
 *
 * Details are redacted by exact key name, never by substring: `secretReplaced` (a boolean that
 * says the client secret changed) and `tokenUrl` (an endpoint) are kept, `clientSecret` and
 * `token` are not. Pure: no database, no framework.
 */

export type ActorType = "admin" | "token" | "api_key" | "user" | "system";
export type Actor = { actorType: ActorType; actorId: string | null; actorLabel: string | null };

export const actors = {
  /**
   * A console admin; labelled by email when there is one, as the activity log shows them.
   * Without email or userName (a test sign-in's callback knows only the id): no label.
   */
  admin: (viewer: { userId: string; email?: string | null; userName?: string | null }): Actor => ({
    actorType: "admin",
    actorId: viewer.userId,
    actorLabel: viewer.email ?? viewer.userName ?? null,
  }),
  /** Someone without a session (a refused console action). */
  anonymous: (): Actor => ({ actorType: "admin", actorId: null, actorLabel: "anonymous" }),
  /** Entra's provisioning service (or any SCIM client), identified by the bearer token it used. */
  scimToken: (tokenId: string): Actor => ({ actorType: "token", actorId: tokenId, actorLabel: "SCIM provisioning" }),
  /** The host application, identified by the API key it sent: its id and non-secret hint (`gh_api_…AbCd`), never the key. */
  apiKey: (key: { keyId: string; hint?: string | null }): Actor => ({ actorType: "api_key", actorId: key.keyId, actorLabel: key.hint ?? "API key" }),
  /** A person acting on their own account (sign-in, sign-out); an SSO callback may know no userName. */
  user: (user: { id: string | null; userName?: string | null }): Actor => ({ actorType: "user", actorId: user.id, actorLabel: user.userName ?? null }),
  /** The operator's command line. */
  cli: (): Actor => ({ actorType: "system", actorId: null, actorLabel: "cli" }),
  /** Gatehouse itself (expiry, deactivation sign-out). */
  system: (label: string | null = null): Actor => ({ actorType: "system", actorId: null, actorLabel: label }),
};

/** Keys whose values are secrets or credentials; compared case-insensitively, whole key only. */
const SECRET_KEYS = new Set(
  [
    "secret", "clientSecret", "client_secret", "password", "newPassword", "passwordHash", "token", "accessToken",
    "access_token", "refreshToken", "refresh_token", "idToken", "id_token", "tokenHash", "authorization",
    "credential", "credentials", "codeVerifier", "code_verifier", "apiKey", "cookie",
  ].map((key) => key.toLowerCase()),
);

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

/** Drops secret keys from audit details, at any depth; everything else is kept as it is. */
export function redactAuditDetails(details: Record<string, unknown> | undefined | null): Record<string, unknown> | null {
  if (!details) return null;
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === undefined || isSecretKey(key)) continue;
    clean[key] = value && typeof value === "object" && !Array.isArray(value) ? redactAuditDetails(value as Record<string, unknown>) : value;
  }
  return clean;
}
