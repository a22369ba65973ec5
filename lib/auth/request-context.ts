import { AsyncLocalStorage } from "node:async_hooks";
import type { SsoFailureReason } from "./sso-errors";

/**
 * What one Auth.js request is doing, shared between our route-handler wrapper, the lazy
 * config and the callbacks Auth.js calls in between (they receive no request object).
 */
export type AuthRequestContext = {
  /** The identity provider (`idp-<id>`) this request signs in with, when known. */
  idpId?: string;
  /** A "Test sign-in" run: the draft provider is loaded and no session is created. */
  test?: { idpId: string; adminUserId: string; recorded?: boolean };
  /** The Auth.js session cookie the request arrived with, if any. */
  sessionToken?: string;
  /** Set by the first check that refuses the sign-in; drives the error page and audit. */
  failure?: { reason: SsoFailureReason; code?: string; detail?: string };
  /** Set when the sign-in succeeded, for the audit record. */
  signedIn?: { userId: string; tenantId: string; matchedBy: string };
};

const storage = new AsyncLocalStorage<AuthRequestContext>();

export function runWithAuthContext<T>(context: AuthRequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function authContext(): AuthRequestContext | undefined {
  return storage.getStore();
}

/** Records why a sign-in was refused; the first reason wins (later ones are consequences). */
export function failSignIn(reason: SsoFailureReason, detail?: string, code?: string) {
  const context = storage.getStore();
  if (context && !context.failure) context.failure = code ? { reason, code, detail } : { reason, detail };
}
