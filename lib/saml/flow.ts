import "server-only";
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { findIdentityProviderForSignIn, linkSsoAccount, recordIdpTestResult, recordSuccessfulSsoSignIn } from "../db/queries/sso";
import { findTenantById } from "../db/queries/tenants";
import type { IdentityProvider } from "../db/schema";
import { publicOriginOf } from "../origin";
import { BodyTooLargeError, readBodyLimited } from "../http/request-body";
import { auditSignIn } from "../auth/route-handlers";
import type { AuthRequestContext } from "../auth/request-context";
import { decideFromClaims, recordIdpTestDecision } from "../auth/sso-sign-in";
import { claimAsString, providerIdFor } from "../auth/idp-provider";
import { SSO_FAILURE_MESSAGES, type SsoFailureReason } from "../auth/sso-errors";
import { idpTestResultPath } from "../auth/idp-test";
import { safeCallbackPath } from "../auth/callback-url";
import { checkSsoStartLimit } from "../auth/sign-in-limits";
import { clientAddress } from "../net/client-address";
import { endCurrentSession, startDatabaseSession } from "../auth/session";
import {
  newBrowserToken,
  SAML_BROWSER_COOKIE,
  SAML_POST_LIMIT_BYTES,
  SAML_REQUEST_TTL_MS,
  samlAuthorizeUrl,
  serviceProviderMetadata,
  validateSamlResponse,
} from "./service-provider";

// The browser side of SAML sign-in: start (SP-initiated, and Test sign-in), the Assertion
// Consumer Service, SP metadata and the logout landing. Refusals end on the same error page,
// with the same reasons and audit events, as OIDC's (lib/auth/route-handlers.ts).

async function samlIdp(idpId: string): Promise<IdentityProvider | undefined> {
  const idp = await findIdentityProviderForSignIn(idpId);
  return idp?.type === "saml" ? idp : undefined;
}

function errorRedirect(origin: string, reason: SsoFailureReason, extra: { code?: string; tenant?: string } = {}) {
  const target = new URL("/login/error", origin);
  target.searchParams.set("reason", reason);
  if (extra.code) target.searchParams.set("code", extra.code);
  if (extra.tenant) target.searchParams.set("tenant", extra.tenant);
  return NextResponse.redirect(target, 303);
}

/**
 * The cookie binding the AuthnRequest to this browser. Entra posts the response cross-site,
 * where only a SameSite=None cookie is sent, and that needs Secure (https); on http (local
 * development, the tests' loopback IdP) the post is same-site and Lax is enough.
 */
async function setBrowserCookie(origin: string, token: string) {
  const secure = origin.startsWith("https:");
  (await cookies()).set(SAML_BROWSER_COOKIE, token, {
    httpOnly: true,
    secure,
    sameSite: secure ? "none" : "lax",
    path: "/api/auth/saml",
    maxAge: Math.floor(SAML_REQUEST_TTL_MS / 1000),
  });
}

/** GET /api/auth/saml/<id>/login: sends the browser to the IdP with a fresh AuthnRequest. */
export async function startSamlSignIn(request: Request, idpId: string): Promise<Response> {
  const origin = publicOriginOf(request.headers, request.url);
  // Each start stores a request row: the same per-address limit as the login pages' SSO buttons.
  if (!(await checkSsoStartLimit(clientAddress(request.headers))).ok) return errorRedirect(origin, "too_many_attempts");
  const idp = await samlIdp(idpId);
  if (!idp || idp.status !== "active" || !idp.samlSsoUrl) return errorRedirect(origin, "provider_unavailable");
  const params = new URL(request.url).searchParams;
  const loginHint = params.get("login_hint")?.slice(0, 320) || undefined;
  return redirectToIdp(idp, origin, { callbackUrl: safeCallbackPath(params.get("callbackUrl"), "/"), loginHint });
}

/** Test sign-in of a (draft) SAML provider; the caller authorized the admin. */
export async function startSamlTest(idp: IdentityProvider, origin: string, adminUserId: string): Promise<Response> {
  return redirectToIdp(idp, origin, { callbackUrl: idpTestResultPath(idp.id), testAdminUserId: adminUserId });
}

async function redirectToIdp(idp: IdentityProvider, origin: string, pending: { callbackUrl: string; testAdminUserId?: string; loginHint?: string }) {
  const token = newBrowserToken();
  let url: string;
  try {
    url = await samlAuthorizeUrl(idp, origin, token, pending);
  } catch (error) {
    if (pending.testAdminUserId) {
      await recordIdpTestResult(idp.tenantId, idp.id, {
        ok: false,
        reason: "configuration",
        message: "The sign-in could not be started",
        detail: error instanceof Error ? error.message.slice(0, 300) : String(error),
        testedBy: pending.testAdminUserId,
      });
      return NextResponse.redirect(new URL(idpTestResultPath(idp.id), origin));
    }
    return errorRedirect(origin, "configuration");
  }
  await setBrowserCookie(origin, token);
  return NextResponse.redirect(url);
}

/** GET /api/auth/saml/<id>/metadata: the SP metadata, for the IdP's import. */
export async function samlMetadata(request: Request, idpId: string): Promise<Response> {
  const idp = await samlIdp(idpId);
  if (!idp) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain" } });
  const origin = publicOriginOf(request.headers, request.url);
  return new Response(serviceProviderMetadata(idp, origin), {
    headers: { "content-type": "application/samlmetadata+xml; charset=utf-8", "cache-control": "no-store" },
  });
}

/** GET /api/auth/saml/<id>/logout: where the IdP returns the browser after signing out. */
export async function samlLogoutLanding(request: Request): Promise<Response> {
  await endCurrentSession();
  return NextResponse.redirect(new URL("/login?signedOut=1", publicOriginOf(request.headers, request.url)), 303);
}

async function readForm(request: Request): Promise<{ form?: URLSearchParams; tooLarge?: boolean }> {
  try {
    const body = await readBodyLimited(request, SAML_POST_LIMIT_BYTES);
    return { form: new URLSearchParams(Buffer.from(body).toString("utf8")) };
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { tooLarge: true };
    throw error;
  }
}

/**
 * POST /api/auth/saml/<id>/acs: validates the response (lib/saml/service-provider.ts),
 * matches the user exactly as OIDC does, and creates the same database session; a Test
 * sign-in records its report instead.
 */
export async function samlAssertionConsumer(request: Request, idpId: string): Promise<Response> {
  const origin = publicOriginOf(request.headers, request.url);
  const { form, tooLarge } = await readForm(request);
  if (tooLarge || !form) {
    return Response.json(
      { error: "payload_too_large", message: `Request body exceeds the ${SAML_POST_LIMIT_BYTES}-byte limit` },
      { status: 413, headers: { "cache-control": "no-store", connection: "close" } },
    );
  }
  const jar = await cookies();
  const browserToken = jar.get(SAML_BROWSER_COOKIE)?.value;
  const idp = await samlIdp(idpId);
  const context: AuthRequestContext = { idpId };
  if (!idp) {
    context.failure = { reason: "provider_unavailable" };
    await auditSignIn(undefined, context, "provider_unavailable", false);
    return errorRedirect(origin, "provider_unavailable");
  }
  const result = await validateSamlResponse(
    idp,
    origin,
    { SAMLResponse: form.get("SAMLResponse") ?? undefined, RelayState: form.get("RelayState") ?? undefined },
    browserToken,
  );
  const testAdmin = result.request?.testAdminUserId ?? undefined;
  if (testAdmin) context.test = { idpId: idp.id, adminUserId: testAdmin };
  const tenant = await findTenantById(idp.tenantId);
  const fail = async (reason: SsoFailureReason, detail?: string, code?: string) => {
    context.failure = code ? { reason, code, detail } : { reason, detail };
    await auditSignIn(idp, context, reason, false);
    return errorRedirect(origin, reason, { code, tenant: tenant?.slug });
  };
  if (!context.test && idp.status !== "active") return fail("provider_unavailable");
  if (!result.ok) {
    if (context.test) return finishTest(idp, origin, context, { reason: result.reason, detail: result.detail });
    return fail(result.reason, result.detail);
  }
  const decision = await decideFromClaims(idp, result.claims, Boolean(context.test));
  if (context.test) return finishTest(idp, origin, context, undefined, decision);
  if (!decision.ok) return fail(decision.reason, decision.detail, decision.code);
  await linkSsoAccount(idp.tenantId, decision.user.id, {
    provider: providerIdFor(idp.id),
    providerAccountId: decision.providerAccountId,
    legacyAccountId: decision.legacyAccountId,
    type: "saml",
    tokens: {},
  });
  await recordSuccessfulSsoSignIn(idp.tenantId, idp.id, decision.user.id, claimAsString(decision.claims, idp.displayNameAttribute));
  // Signing in as someone else while a session exists switches user.
  await endCurrentSession();
  await startDatabaseSession(decision.user.id);
  context.signedIn = { userId: decision.user.id, tenantId: idp.tenantId, matchedBy: decision.matchedBy };
  await auditSignIn(idp, context, undefined, false);
  jar.delete({ name: SAML_BROWSER_COOKIE, path: "/api/auth/saml" });
  const target = result.request ? result.request.callbackUrl : safeCallbackPath(result.relayState, "/");
  return NextResponse.redirect(new URL(safeCallbackPath(target, "/"), origin), 303);
}

async function finishTest(
  idp: IdentityProvider,
  origin: string,
  context: AuthRequestContext,
  refusal?: { reason: SsoFailureReason; detail?: string },
  decision?: Awaited<ReturnType<typeof decideFromClaims>>,
) {
  const test = context.test!;
  if (decision) {
    const passed = await recordIdpTestDecision(idp, decision, test.adminUserId);
    test.recorded = true;
    if (!decision.ok && !passed) context.failure = { reason: decision.reason, code: decision.code, detail: decision.detail };
  } else if (refusal) {
    context.failure = refusal;
    await recordIdpTestResult(idp.tenantId, idp.id, {
      ok: false,
      reason: refusal.reason,
      message: SSO_FAILURE_MESSAGES[refusal.reason].title,
      detail: refusal.detail,
      testedBy: test.adminUserId,
    });
  }
  await auditSignIn(idp, context, context.failure?.reason, true);
  return NextResponse.redirect(new URL(idpTestResultPath(idp.id), origin), 303);
}

