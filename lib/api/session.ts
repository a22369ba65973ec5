import "server-only";
import { z } from "zod";
import { sessionCookieValues } from "../auth/session-cookies";
import { SESSION_ABSOLUTE_LIFETIME_SECONDS } from "../auth/session-store";
import { findTenantById } from "../db/queries/tenants";
import { findLiveSessionUser, listUserGroupsWithRoles } from "../db/queries/users";
import { exchangeSessionHandoff, HANDOFF_TOKEN_PATTERN } from "../auth/session-handoff";
import { defineOperation } from "./operation";
import { ApiProblem } from "./problem";
import { apiRoute } from "./route";
import type { ApiKeyPrincipal } from "./auth";
import { consoleRoleOf, userBody } from "./directory";
import { consoleRoleSchema, groupRefSchema, tenantRefSchema, userSchema } from "./schemas";

// What the host application asks on each request: whose session is this? The host's server
// sends its API key and the Gatehouse session token it received (the session cookie's value,
// forwarded as a header or as the cookie itself); the answer is the user, their tenant, roles
// and groups. A tenant's key sees only its own tenant's sessions: any other is "no session".
// A host on another origin never sees the cookie: it sends instead the one-time token the
// browser brought back from GET /api/session/handoff (lib/auth/session-handoff.ts). The answer
// never carries the session token itself.

export const SESSION_HEADER = "x-gatehouse-session";
export const HANDOFF_HEADER = "x-gatehouse-token";
const MAX_TOKEN_LENGTH = 512;

export const sessionResponseSchema = z
  .object({
    user: userSchema,
    tenant: tenantRefSchema.nullable().meta({ description: "null for a platform account" }),
    consoleRole: consoleRoleSchema,
    roles: z.array(z.string()).meta({ description: "The user's SCIM `roles` values" }),
    groups: z.array(groupRefSchema),
    session: z.object({ expiresAt: z.iso.datetime({ offset: true }) }),
  })
  .meta({ id: "Session" });

export const getSessionOperation = defineOperation({
  operationId: "getSession",
  method: "get",
  path: "/api/v1/session",
  summary: "Who a Gatehouse session belongs to",
  description:
    "Send the session token in the `X-Gatehouse-Session` header, or forward the browser's `Cookie` header (the `authjs.session-token` cookie). A host application on another origin sends instead, in `X-Gatehouse-Token`, the one-time `gatehouse_token` that `GET /api/session/handoff?return_to=…` added to its URL: valid 60 seconds, spent by the first exchange. A session that has ended, was revoked, or belongs to another tenant than the key's is a 404, and so is an unknown, used or expired handoff token.",
  tags: ["Session"],
  scope: "read",
  headers: z.object({
    [SESSION_HEADER]: z.string().min(1).max(MAX_TOKEN_LENGTH).optional().meta({ description: "The Gatehouse session token" }),
    [HANDOFF_HEADER]: z
      .string()
      .max(64)
      .regex(HANDOFF_TOKEN_PATTERN, "Not a handoff token (gh_st_ and 43 base64url characters)")
      .optional()
      .meta({ description: "A one-time handoff token (`gh_st_…`) from GET /api/session/handoff, instead of the session token", example: "gh_st_…" }),
  }),
  response: sessionResponseSchema,
  notFound: "No live session for this token (ended, revoked, or another tenant's; or the handoff token was unknown, used or expired)",
});

function sessionTokenOf(request: Request, header: string | undefined): string {
  if (header) return header.trim();
  const [cookie] = sessionCookieValues(request.headers.get("cookie"), MAX_TOKEN_LENGTH);
  if (cookie) return cookie;
  throw new ApiProblem("invalid-request", `Send the session token in the ${SESSION_HEADER} header or the authjs.session-token cookie, or a handoff token in ${HANDOFF_HEADER}`, {
    errors: [{ name: `header.${SESSION_HEADER}`, reason: "Required" }],
  });
}

function liveSessionOf(request: Request, key: ApiKeyPrincipal, headers: { [SESSION_HEADER]?: string; [HANDOFF_HEADER]?: string }) {
  const handoff = headers[HANDOFF_HEADER];
  if (!handoff) return findLiveSessionUser(sessionTokenOf(request, headers[SESSION_HEADER]));
  if (headers[SESSION_HEADER]) {
    throw new ApiProblem("invalid-request", `Send either ${SESSION_HEADER} or ${HANDOFF_HEADER}, not both`, {
      errors: [{ name: `header.${HANDOFF_HEADER}`, reason: `Not with ${SESSION_HEADER}` }],
    });
  }
  if (key.platform) return exchangeSessionHandoff({ platform: true }, handoff);
  return key.tenantId ? exchangeSessionHandoff({ tenantId: key.tenantId }, handoff) : undefined;
}

export const getSessionRoute = apiRoute(getSessionOperation, async ({ request, key, headers }) => {
  const noSession = new ApiProblem("not-found", "No live session for this token");
  const found = await liveSessionOf(request, key, headers);
  if (!found || !found.user.active) throw noSession;
  const user = found.user;
  if (!key.platform && user.tenantId !== key.tenantId) throw noSession;
  const tenant = user.tenantId ? await findTenantById(user.tenantId) : undefined;
  const groups = user.tenantId ? await listUserGroupsWithRoles(user.tenantId, user.id) : [];
  const body = userBody(user);
  return {
    user: body,
    tenant: tenant ? { id: tenant.id, slug: tenant.slug, name: tenant.name } : null,
    consoleRole: consoleRoleOf(user, groups.map((g) => g.mappedRole)),
    roles: body.roles,
    groups: groups.map((g) => ({ id: g.id, displayName: g.displayName, externalId: g.externalId })),
    session: { expiresAt: new Date(Math.min(found.expires.getTime(), found.sessionCreatedAt.getTime() + SESSION_ABSOLUTE_LIFETIME_SECONDS * 1000)).toISOString() },
  };
});
