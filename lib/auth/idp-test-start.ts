import "server-only";
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { findIdentityProviderForSignIn, recordIdpTestResult } from "../db/queries/sso";
import { recordAudit } from "../db/queries/audit";
import { actors } from "../audit";
import { isProduction } from "../env";
import { publicOrigin } from "./origin";
import { getViewer } from "./guards";
import { canAccessTenant } from "./roles";
import { signIn } from "./config";
import { runWithAuthContext } from "./request-context";
import { providerIdFor } from "./idp-provider";
import { startSamlTest } from "../saml/flow";
import { IDP_TEST_COOKIE, IDP_TEST_TTL_SECONDS, idpTestResultPath, sealIdpTestTicket } from "./idp-test";

/**
 * "Test sign-in": the admin's browser runs the real authorization-code flow against the saved
 * (possibly draft) configuration. The callback reports claims and the mapped user and
 * creates no session (lib/auth/route-handlers.ts, lib/auth/config.ts).
 */
export async function startIdpTest(idpId: string): Promise<Response> {
  const viewer = await getViewer();
  if (!viewer) return NextResponse.redirect(new URL(`/login?callbackUrl=${encodeURIComponent(`/api/idp-test/${idpId}/start`)}`, await publicOrigin()));
  const idp = await findIdentityProviderForSignIn(idpId);
  if (!idp || !canAccessTenant(viewer, idp.tenantId, "write")) return new NextResponse("Not found", { status: 404 });
  const resultUrl = new URL(idpTestResultPath(idp.id), await publicOrigin());
  if (idp.type !== "saml" && !idp.clientSecretEnc) {
    await recordIdpTestResult(idp.tenantId, idp.id, { ok: false, reason: "configuration", message: "No client secret is saved", testedBy: viewer.userId });
    return NextResponse.redirect(resultUrl);
  }
  await recordAudit({
    tenantId: idp.tenantId,
    ...actors.admin(viewer),
    action: "idp.test_sign_in.start",
    targetType: "identity_provider",
    targetId: idp.id,
    targetLabel: idp.name,
    outcome: "success",
  });
  // SAML: the AuthnRequest's database row marks it a test (the IdP's cross-site POST would not carry a Lax cookie).
  if (idp.type === "saml") return startSamlTest(idp, await publicOrigin(), viewer.userId);
  let authorizationUrl: string;
  try {
    authorizationUrl = await runWithAuthContext({ idpId: idp.id, test: { idpId: idp.id, adminUserId: viewer.userId } }, () =>
      signIn(providerIdFor(idp.id), { redirect: false, redirectTo: idpTestResultPath(idp.id) }),
    );
  } catch (error) {
    await recordIdpTestResult(idp.tenantId, idp.id, {
      ok: false,
      reason: "configuration",
      message: "The sign-in could not be started",
      detail: error instanceof Error ? error.message.slice(0, 300) : String(error),
      testedBy: viewer.userId,
    });
    return NextResponse.redirect(resultUrl);
  }
  const jar = await cookies();
  jar.set(IDP_TEST_COOKIE, sealIdpTestTicket(idp.id, viewer.userId), {
    httpOnly: true,
    sameSite: "lax",
    secure: isProduction() && authorizationUrl.startsWith("https:") && resultUrl.protocol === "https:",
    path: "/",
    maxAge: IDP_TEST_TTL_SECONDS,
  });
  return NextResponse.redirect(authorizationUrl);
}
