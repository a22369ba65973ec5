import "server-only";
import { SESSION_COOKIE_NAMES } from "./session-cookies";
import { Auth, type AuthConfig } from "@auth/core";
import type { NextRequest } from "next/server";
import type { NextAuthConfig } from "next-auth";
import { findIdentityProviderForSignIn, recordIdpTestResult } from "../db/queries/sso";
import { findTenantById } from "../db/queries/tenants";
import { recordAudit } from "../db/queries/audit";
import { countSignIn } from "../scim-server/usage";
import { actors } from "../audit";
import type { IdentityProvider } from "../db/schema";
import { runWithAuthContext, type AuthRequestContext } from "./request-context";
import { idpIdFromProviderId } from "./idp-provider";
import { IDP_TEST_COOKIE, idpTestResultPath, openIdpTestTicket } from "./idp-test";
import { SSO_FAILURE_MESSAGES, type SsoFailureReason } from "./sso-errors";
import { publicOriginOf } from "../origin";
import { BodyTooLargeError, readBodyLimited } from "../http/request-body";
import { UUID_SOURCE } from "../uuid";

const IDP_ROUTE = new RegExp(`/callback/(idp-${UUID_SOURCE})/?$`, "i");
/** Only form_post callbacks and sign-out post bodies here, each well under a kilobyte or two. */
export const AUTH_BODY_LIMIT_BYTES = 64 * 1024;
const BASE_PATH = "/api/auth";

/**
 * The /api/auth/* route handlers. Auth.js runs with a request on our public origin (next-auth's
 * own handler rebuilds it as a NextRequest, whose URL turns 127.0.0.1 into localhost, so the
 * callback's redirect_uri would differ from the one sent to the IdP). Around it: the request
 * context the lazy config and callbacks share, a refused sign-in ending on our error page
 * with a reason an end user understands, a test sign-in ending on its report, and an audit
 * record either way.
 */
export function createAuthRouteHandlers(buildConfig: () => Promise<NextAuthConfig>) {
  const handler = (request: NextRequest) => handle(request, buildConfig);
  return { GET: handler, POST: handler };
}

async function handle(incoming: NextRequest, buildConfig: () => Promise<NextAuthConfig>) {
  // The console shows `<public origin>/api/auth/callback/idp-<id>`; the flow must use exactly that.
  const origin = publicOriginOf(incoming.headers, incoming.url);
  const { pathname, search } = new URL(incoming.url);
  let body: Uint8Array<ArrayBuffer> | undefined;
  try {
    body = incoming.method === "POST" ? ((await readBodyLimited(incoming, AUTH_BODY_LIMIT_BYTES)) as Uint8Array<ArrayBuffer>) : undefined;
  } catch (error) {
    if (error instanceof BodyTooLargeError) return bodyTooLarge();
    throw error;
  }
  const request = new Request(`${origin}${pathname}${search}`, { method: incoming.method, headers: incoming.headers, body });
  const idpId = idpIdFromProviderId(IDP_ROUTE.exec(pathname)?.[1]);
  const context: AuthRequestContext = {
    idpId,
    sessionToken: SESSION_COOKIE_NAMES.map((name) => incoming.cookies.get(name)?.value).find(Boolean),
  };
  if (idpId) {
    const ticket = openIdpTestTicket(incoming.cookies.get(IDP_TEST_COOKIE)?.value, idpId);
    if (ticket) context.test = { idpId, adminUserId: ticket.adminUserId };
  }
  const response = await runWithAuthContext(context, async () => {
    const config = await buildConfig();
    return Auth(request, { ...config, basePath: BASE_PATH } as AuthConfig);
  });
  if (!idpId) return response;
  return finishCallback(origin, response, context, idpId);
}

function bodyTooLarge() {
  return Response.json(
    { error: "payload_too_large", message: `Request body exceeds the ${AUTH_BODY_LIMIT_BYTES}-byte limit` },
    { status: 413, headers: { "cache-control": "no-store", connection: "close" } },
  );
}

async function finishCallback(origin: string, response: Response, context: AuthRequestContext, idpId: string) {
  const idp = await findIdentityProviderForSignIn(idpId);
  const location = response.headers.get("location") ?? "";
  const refusedByAuthJs = /\/login(\/error)?\?(.*&)?error=/.test(location);
  let reason: SsoFailureReason | undefined = context.failure?.reason ?? (refusedByAuthJs ? "configuration" : undefined);
  if (!idp || (idp.status !== "active" && !context.test)) reason = "provider_unavailable";
  if (context.test) {
    if (!context.test.recorded && idp) {
      const why = reason ?? "configuration";
      await recordIdpTestResult(idp.tenantId, idp.id, {
        ok: false,
        reason: why,
        message: SSO_FAILURE_MESSAGES[why].title,
        detail: context.failure?.detail,
        testedBy: context.test.adminUserId,
      });
    }
    await auditSignIn(idp, context, reason, true);
    const redirected = redirectTo(response, new URL(idpTestResultPath(idpId), origin));
    redirected.headers.append("set-cookie", `${IDP_TEST_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
    return redirected;
  }
  if (reason) {
    await auditSignIn(idp, context, reason, false);
    const target = new URL("/login/error", origin);
    target.searchParams.set("reason", reason);
    if (context.failure?.code) target.searchParams.set("code", context.failure.code);
    const tenant = idp ? await findTenantById(idp.tenantId) : undefined;
    if (tenant) target.searchParams.set("tenant", tenant.slug);
    return redirectTo(response, target);
  }
  if (context.signedIn) await auditSignIn(idp, context, undefined, false);
  return response;
}

function redirectTo(response: Response, location: URL) {
  const headers = new Headers(response.headers);
  headers.set("location", location.toString());
  return new Response(null, { status: 302, headers });
}

export async function auditSignIn(idp: IdentityProvider | undefined, context: AuthRequestContext, reason: SsoFailureReason | undefined, test: boolean) {
  const ok = !reason && (test ? Boolean(context.test?.recorded) : Boolean(context.signedIn));
  if (!test && idp) countSignIn(idp.tenantId, ok);
  await recordAudit({
    tenantId: idp?.tenantId ?? null,
    ...(context.test ? actors.admin({ userId: context.test.adminUserId }) : actors.user({ id: context.signedIn?.userId ?? null })),
    action: test ? "idp.test_sign_in" : "auth.sign_in.sso",
    targetType: "identity_provider",
    targetId: idp?.id ?? context.idpId ?? null,
    targetLabel: idp?.name ?? null,
    outcome: ok ? "success" : "failure",
    details: {
      ...(reason ? { reason, ...(context.failure?.code ? { code: context.failure.code } : {}), detail: context.failure?.detail } : {}),
      ...(context.signedIn ? { userId: context.signedIn.userId, matchedBy: context.signedIn.matchedBy } : {}),
    },
  }).catch(() => {});
}
