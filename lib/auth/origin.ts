import "server-only";
import { headers } from "next/headers";
import { publicOriginOf } from "../origin";

/** Our public origin (lib/origin.ts), for pages, actions and route handlers that have no request object. */
export async function publicOrigin() {
  return publicOriginOf(await headers());
}

/** The OAuth callback of an identity provider: the console's Redirect URL, and Auth.js's. */
export function idpCallbackUrl(origin: string, idpId: string) {
  return `${origin}/api/auth/callback/idp-${idpId}`;
}
