import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "../crypto/keys";

// "Test sign-in" runs the real flow against the saved draft. The IdP redirects back to the
// one registered Redirect URL, so a short-lived, signed cookie tells that callback it is a
// test: load the draft, report claims and the mapped user, create no session.
export const IDP_TEST_COOKIE = "gatehouse.idp-test";
export const IDP_TEST_TTL_SECONDS = 10 * 60;

export type IdpTestTicket = { idpId: string; adminUserId: string; exp: number };

function sign(payload: string) {
  return createHmac("sha256", authSecret()).update(`idp-test.${payload}`).digest("base64url");
}

export function sealIdpTestTicket(idpId: string, adminUserId: string, now = Date.now()) {
  const payload = Buffer.from(JSON.stringify({ idpId, adminUserId, exp: Math.floor(now / 1000) + IDP_TEST_TTL_SECONDS })).toString("base64url");
  return `${payload}.${sign(payload)}`;
}

export function openIdpTestTicket(value: string | undefined, idpId: string, now = Date.now()): IdpTestTicket | undefined {
  if (!value) return undefined;
  const [payload, signature] = value.split(".");
  if (!payload || !signature) return undefined;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const ticket = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as IdpTestTicket;
    if (ticket.idpId !== idpId || ticket.exp * 1000 < now) return undefined;
    return ticket;
  } catch {
    return undefined;
  }
}

export function idpTestResultPath(idpId: string) {
  return `/idp-test/${idpId}`;
}
