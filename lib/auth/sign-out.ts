import "server-only";
import { findIdentityProviderForSignIn, findLogoutHint } from "../db/queries/sso";
import { publicOrigin } from "./origin";
import { recordAudit } from "../db/queries/audit";
import { actors } from "../audit";
import { getViewer } from "./guards";
import { endCurrentSession } from "./session";
import { idpIdFromProviderId } from "./idp-provider";
import { isAcceptableIdpUrl } from "../idp-urls";

/**
 * Local sign-out (the session row goes, so the cookie is worthless everywhere), then
 * RP-initiated logout at the IdP's Logout URL when the admin set one (OpenID Connect
 * RP-Initiated Logout 1.0 §2: id_token_hint, client_id, post_logout_redirect_uri).
 * Returns where the browser goes next.
 */
export async function signOutCurrentUser(): Promise<string> {
  const viewer = await getViewer();
  const hint = viewer?.tenantId ? await findLogoutHint(viewer.tenantId, viewer.userId) : undefined;
  await endCurrentSession();
  if (viewer) {
    await recordAudit({
      tenantId: viewer.tenantId,
      ...actors.user({ id: viewer.userId, userName: viewer.userName }),
      action: "auth.sign_out",
      targetType: "user",
      targetId: viewer.userId,
      targetLabel: viewer.userName,
      outcome: "success",
      details: hint?.logoutUrl ? { idpLogout: true } : null,
    }).catch(() => {});
  }
  const afterLogout = `${await publicOrigin()}/login?signedOut=1`;
  // The IdP's logout is a browser redirect, never a server request; a Logout URL saved before
  // today's rules (or loopback with the flag since turned off) is not followed.
  if (!hint?.logoutUrl || !URL.canParse(hint.logoutUrl) || !isAcceptableIdpUrl(new URL(hint.logoutUrl))) return "/login?signedOut=1";
  const idp = await findIdentityProviderForSignIn(idpIdFromProviderId(hint.provider) ?? "");
  // SAML single logout needs a LogoutRequest, not these OIDC parameters: local sign-out only.
  if (idp?.type === "saml") return "/login?signedOut=1";
  const url = new URL(hint.logoutUrl);
  if (hint.idToken) url.searchParams.set("id_token_hint", hint.idToken);
  if (idp) url.searchParams.set("client_id", idp.clientId);
  url.searchParams.set("post_logout_redirect_uri", afterLogout);
  return url.toString();
}
