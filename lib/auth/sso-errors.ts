// Why an SSO sign-in was refused: a stable code for the audit log and the error page, and
// the words an end user sees. Details for admins go to the audit log only.
export const SSO_FAILURE_MESSAGES = {
  not_provisioned: {
    title: "Your account has not been provisioned",
    message: "Your organisation has not given you access to Gatehouse yet. Ask your administrator to assign you to the application.",
  },
  inactive: {
    title: "Your account is deactivated",
    message: "Your Gatehouse account has been deactivated. Contact your administrator if you think this is a mistake.",
  },
  wrong_login_method: {
    title: "Use your password to sign in",
    message: "Your account signs in with a password, not with single sign-on. Go back and sign in with your email and password.",
  },
  too_many_attempts: {
    title: "Too many sign-in attempts",
    message: "There have been too many sign-in attempts from your network. Wait a minute, then try again.",
  },
  provider_unavailable: {
    title: "Sign-in is not available",
    message: "This sign-in option is not active. Go back and choose another way to sign in, or contact your administrator.",
  },
  invalid_state: {
    title: "Your sign-in could not be completed",
    message: "The sign-in request expired or was changed on the way. Start again from the sign-in page.",
  },
  pkce_failed: {
    title: "Your sign-in could not be completed",
    message: "The sign-in request could not be verified. Start again from the sign-in page.",
  },
  invalid_issuer: {
    title: "Sign-in response not trusted",
    message: "The response did not come from your organisation's identity provider, so it was refused.",
  },
  invalid_audience: {
    title: "Sign-in response not trusted",
    message: "The response was issued for a different application, so it was refused.",
  },
  invalid_nonce: {
    title: "Sign-in response not trusted",
    message: "The response did not match this sign-in attempt, so it was refused. Start again from the sign-in page.",
  },
  invalid_signature: {
    title: "Sign-in response not trusted",
    message: "The response was not signed by your organisation's identity provider, so it was refused.",
  },
  token_expired: {
    title: "Sign-in response expired",
    message: "The response from your identity provider had expired. Start again from the sign-in page.",
  },
  tenant_mismatch: {
    title: "Sign-in response not trusted",
    message: "The response came from a different organisation's directory, so it was refused.",
  },
  missing_claim: {
    title: "Your identity provider did not say who you are",
    message: "The sign-in response lacked the attribute used to identify you. Your administrator needs to check the identity provider settings.",
  },
  idp_error: {
    title: "Your identity provider refused the sign-in",
    message: "Your organisation's identity provider did not complete the sign-in. Try again, or contact your administrator.",
  },
  invalid_client: {
    title: "Sign-in is misconfigured",
    message: "Your identity provider did not accept Gatehouse's credentials. Your administrator needs to check the client id and secret.",
  },
  configuration: {
    title: "Sign-in failed",
    message: "Something went wrong while signing you in. Try again, or contact your administrator; the details are in the audit log.",
  },
} as const;

export type SsoFailureReason = keyof typeof SSO_FAILURE_MESSAGES;

/**
 * Why matching found nobody (lib/db/queries/sso.ts matchSsoUser): shown after the reason on
 * the error page's reference, so an admin can find the audit event's explanation.
 */
export const SSO_MATCH_REFUSAL_CODES = ["no_match", "external_id_mismatch", "external_id_ambiguous", "bound_to_other_account"] as const;

export type SsoMatchRefusalCode = (typeof SSO_MATCH_REFUSAL_CODES)[number];

export function isSsoMatchRefusalCode(value: unknown): value is SsoMatchRefusalCode {
  return typeof value === "string" && (SSO_MATCH_REFUSAL_CODES as readonly string[]).includes(value);
}

export function isSsoFailureReason(value: unknown): value is SsoFailureReason {
  return typeof value === "string" && Object.hasOwn(SSO_FAILURE_MESSAGES, value);
}

type ErrorLike = { name?: string; message?: string; code?: string; error?: string; cause?: unknown; type?: string };

function causes(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === "object" && depth < 6; depth++) {
    const e = current as ErrorLike & { cause?: { err?: unknown } };
    chain.push(e);
    const cause = e.cause as { err?: unknown } | undefined;
    current = cause && typeof cause === "object" && "err" in cause ? cause.err : cause instanceof Error ? cause : undefined;
  }
  return chain;
}

/**
 * Maps what Auth.js / oauth4webapi threw during a callback to a reason code. oauth4webapi
 * reports claim comparison failures with the claim's name (OIDC Core §3.1.3.7 checks).
 */
export function classifyAuthError(error: unknown): { reason: SsoFailureReason; detail: string } {
  const chain = causes(error);
  const detail = chain
    .map((e) => [e.message, e.error, (e as { error_description?: string }).error_description].filter(Boolean).join(": "))
    .filter(Boolean)
    .join(" ← ").replace(/\. Read more at https:\/\/errors\.authjs\.dev#\w+/g, "").slice(0, 500);
  for (const e of chain) {
    const message = e.message ?? "";
    const claim = (e.cause as { claim?: string } | undefined)?.claim;
    if (e.code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED" || e.code === "OAUTH_JWT_TIMESTAMP_CHECK_FAILED") {
      if (claim === "iss") return { reason: "invalid_issuer", detail };
      if (claim === "aud" || claim === "azp" || /audience|authorized party/.test(message)) return { reason: "invalid_audience", detail };
      if (claim === "nonce" || /nonce/.test(message)) return { reason: "invalid_nonce", detail };
      if (claim === "exp" || claim === "iat" || claim === "nbf") return { reason: "token_expired", detail };
    }
    if (/"state"/.test(message) || /^state /.test(message) || /State could not be decoded/.test(message)) return { reason: "invalid_state", detail };
    if (/pkceCodeVerifier/.test(message)) return { reason: "pkce_failed", detail };
    if (/^nonce /.test(message)) return { reason: "invalid_nonce", detail };
    if (e.name === "ResponseBodyError" || e.code === "OAUTH_RESPONSE_BODY_ERROR") {
      if (e.error === "invalid_client" || e.error === "unauthorized_client") return { reason: "invalid_client", detail };
      if (e.error === "invalid_grant" && /code_verifier|PKCE/i.test(message + JSON.stringify(e.cause ?? ""))) return { reason: "pkce_failed", detail };
      return { reason: "idp_error", detail };
    }
    if (e.name === "AuthorizationResponseError" || e.name === "OAuthCallbackError") return { reason: "idp_error", detail };
  }
  return { reason: "configuration", detail };
}
