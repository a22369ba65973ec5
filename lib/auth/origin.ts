import "server-only";
import { headers } from "next/headers";
import { appUrl } from "../env";
import { originFromHeaders } from "../origin";

/** Our public origin: APP_URL when set (it is what the IdP has registered), else the request's. */
export async function publicOrigin() {
  const configured = appUrl();
  if (configured) return new URL(configured).origin;
  return originFromHeaders(await headers());
}

/** The OAuth callback of an identity provider: the console's Redirect URL, and Auth.js's. */
export function idpCallbackUrl(origin: string, idpId: string) {
  return `${origin}/api/auth/callback/idp-${idpId}`;
}
