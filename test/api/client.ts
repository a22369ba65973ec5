import { randomBytes } from "node:crypto";
import { actors } from "@/lib/audit";
import { issueApiKey, type ApiKeyOwner, type ApiKeyScope } from "@/lib/admin/api-keys";
import { expiryInDays } from "@/lib/admin/token-lifetime";
import { createTenant } from "@/lib/db/queries/tenants";
import { GET as getSession } from "@/app/api/v1/session/route";
import { GET as listUsers } from "@/app/api/v1/tenants/[tenantId]/users/route";
import { GET as getUser } from "@/app/api/v1/tenants/[tenantId]/users/[userId]/route";
import { GET as listGroups } from "@/app/api/v1/tenants/[tenantId]/groups/route";
import { GET as listMembers } from "@/app/api/v1/tenants/[tenantId]/groups/[groupId]/members/route";
import { GET as openApi } from "@/app/api/v1/openapi.json/route";
import { GET as listEvents } from "@/app/api/v1/events/route";

// Response bodies are whatever JSON the server sent; tests assert on their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiBody = any;
export type ApiResponse = { status: number; headers: Headers; body: ApiBody };

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

/** The app's /api/v1 route files, matched like Next.js matches them (segment by segment). */
const ROUTES: { pattern: string[]; handler: Handler }[] = [
  { pattern: ["session"], handler: getSession },
  { pattern: ["openapi.json"], handler: openApi as Handler },
  { pattern: ["tenants", ":tenantId", "users"], handler: listUsers },
  { pattern: ["tenants", ":tenantId", "users", ":userId"], handler: getUser },
  { pattern: ["tenants", ":tenantId", "groups"], handler: listGroups },
  { pattern: ["tenants", ":tenantId", "groups", ":groupId", "members"], handler: listMembers },
  { pattern: ["events"], handler: listEvents },
];

/** Calls the /api/v1 route handlers in-process with real Requests and the suite's database. */
export function apiClient(key: string | null, origin = "http://gatehouse.test") {
  return {
    async get(path: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
      const url = new URL(`${origin}/api/v1${path}`);
      const segments = url.pathname.split("/").slice(3);
      for (const route of ROUTES) {
        if (route.pattern.length !== segments.length) continue;
        const params: Record<string, string> = {};
        if (!route.pattern.every((part, i) => (part.startsWith(":") ? ((params[part.slice(1)] = decodeSegment(segments[i])), true) : part === segments[i]))) continue;
        const request = new Request(url, { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } });
        const response = await route.handler(request, { params: Promise.resolve(params) });
        const text = await response.text();
        return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
      }
      throw new Error(`no /api/v1 route for ${path}`);
    },
  };
}

// Next.js refuses a segment it cannot decode before any handler runs (the proxy answers it); tests keep it as sent.
function decodeSegment(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function newTenant(prefix = "api") {
  return createTenant({ name: `${prefix} ${randomBytes(3).toString("hex")}`, slug: `${prefix}-${randomBytes(4).toString("hex")}` });
}

export async function newKey(owner: ApiKeyOwner, scope: ApiKeyScope = "read") {
  return (await issueApiKey(owner, { scope, expiresAt: expiryInDays(30), name: "test" }, actors.cli())).key;
}
