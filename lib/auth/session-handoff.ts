import "server-only";
import { randomBytes } from "node:crypto";
import { hashToken } from "../crypto/tokens";
import { consumeSessionHandoff, findHandoffSession, saveSessionHandoff, type HandoffReader } from "../db/queries/session-handoffs";
import { env } from "../env";
import { publicOriginOf } from "../origin";
import { rateLimiter } from "../rate-limit";
import { ApiProblem, problemResponse } from "../api/problem";
import { requestContext } from "../request-id";
import { checkReturnTo } from "./return-to";
import { sessionCookieValues } from "./session-cookies";
import { hashSessionToken } from "./session-store";

// A host application on another origin never sees Gatehouse's session cookie. It sends the
// browser to GET /api/session/handoff?return_to=<its URL>; a signed-in browser comes back to
// that URL with `gatehouse_token=gh_st_…`, which the host's server exchanges once, with its API
// key, at GET /api/v1/session. The rules:
// - return_to is checked before anything else (lib/auth/return-to.ts): a refused one is a 400
//   whether or not the browser is signed in, and no token is issued;
// - a browser without a live session goes to the sign-in page, which comes back here;
// - a token is 256 random bits, stored as its SHA-256 bound to the session and its tenant,
//   valid HANDOFF_LIFETIME_SECONDS, spent by its first exchange; ending the session ends it;
// - each session may ask for HANDOFFS_PER_SESSION_PER_MINUTE tokens (every one is a row).

export const HANDOFF_TOKEN_PREFIX = "gh_st_";
export const HANDOFF_TOKEN_PATTERN = /^gh_st_[A-Za-z0-9_-]{43}$/;
export const HANDOFF_QUERY_PARAMETER = "gatehouse_token";
export const HANDOFF_LIFETIME_SECONDS = 60;
export const HANDOFFS_PER_SESSION_PER_MINUTE = 30;

const MAX_COOKIE_LENGTH = 512;

const noStore = { "cache-control": "no-store" };

async function liveSessionOf(request: Request) {
  for (const token of sessionCookieValues(request.headers.get("cookie"), MAX_COOKIE_LENGTH)) {
    const session = await findHandoffSession(hashSessionToken(token));
    if (session) return session;
  }
  return undefined;
}

function refusal(request: Request, problem: ApiProblem) {
  return problemResponse(problem, { instance: new URL(request.url).pathname, requestId: requestContext()?.requestId });
}

export async function handOffSession(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const origin = publicOriginOf(request.headers, request.url);
  const returnTo = checkReturnTo(url.searchParams.get("return_to"), [origin, ...env().HOST_APP_ORIGINS]);
  if (!returnTo.ok) {
    return refusal(request, new ApiProblem("invalid-request", `query.return_to: ${returnTo.reason}`, { errors: [{ name: "query.return_to", reason: returnTo.reason }] }));
  }
  const session = await liveSessionOf(request);
  if (!session) {
    const signIn = new URL("/login", origin);
    signIn.searchParams.set("callbackUrl", `${url.pathname}${url.search}`);
    return new Response(null, { status: 303, headers: { location: signIn.toString(), ...noStore } });
  }
  const limit = await rateLimiter.hit(`handoff:session:${session.sessionToken.slice(0, 32)}`, HANDOFFS_PER_SESSION_PER_MINUTE);
  if (!limit.ok) {
    return refusal(
      request,
      new ApiProblem("rate-limited", `Too many handoffs for this session; retry after ${limit.retryAfterSeconds} seconds`, {
        headers: { "retry-after": String(limit.retryAfterSeconds) },
      }),
    );
  }
  const token = `${HANDOFF_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  await saveSessionHandoff({ tenantId: session.tenantId, sessionToken: session.sessionToken, tokenHash: hashToken(token), lifetimeSeconds: HANDOFF_LIFETIME_SECONDS });
  const target = returnTo.url;
  target.searchParams.set(HANDOFF_QUERY_PARAMETER, token);
  return new Response(null, { status: 303, headers: { location: target.toString(), ...noStore } });
}

/** The session a handoff token names, spent by this call; undefined for an unknown, used, expired or foreign one. */
export function exchangeSessionHandoff(reader: HandoffReader, token: string) {
  return consumeSessionHandoff(reader, hashToken(token));
}
