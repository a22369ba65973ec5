import { apiClient, type ApiResponse } from "./client";
import { GET as listWebhooks, POST as createWebhook } from "@/app/api/v1/tenants/[tenantId]/webhooks/route";
import { DELETE as deleteWebhook, GET as getWebhook, PATCH as updateWebhook } from "@/app/api/v1/tenants/[tenantId]/webhooks/[webhookId]/route";
import { GET as listDeliveries } from "@/app/api/v1/tenants/[tenantId]/webhooks/[webhookId]/deliveries/route";
import { POST as retryDelivery } from "@/app/api/v1/tenants/[tenantId]/webhooks/[webhookId]/deliveries/[deliveryId]/retry/route";
import { POST as testWebhook } from "@/app/api/v1/tenants/[tenantId]/webhooks/[webhookId]/test/route";

type Method = "GET" | "POST" | "PATCH" | "DELETE";
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** The webhook route files, matched segment by segment like Next.js does, by method. */
const ROUTES: { pattern: string[]; methods: Partial<Record<Method, Handler>> }[] = [
  { pattern: ["tenants", ":tenantId", "webhooks"], methods: { GET: listWebhooks, POST: createWebhook } },
  { pattern: ["tenants", ":tenantId", "webhooks", ":webhookId"], methods: { GET: getWebhook, PATCH: updateWebhook, DELETE: deleteWebhook } },
  { pattern: ["tenants", ":tenantId", "webhooks", ":webhookId", "deliveries"], methods: { GET: listDeliveries } },
  { pattern: ["tenants", ":tenantId", "webhooks", ":webhookId", "deliveries", ":deliveryId", "retry"], methods: { POST: retryDelivery } },
  { pattern: ["tenants", ":tenantId", "webhooks", ":webhookId", "test"], methods: { POST: testWebhook } },
];

/** A body as sent: JSON of `json`, or exactly `raw` (a string or bytes), with the content type given (null: none). */
export type SendOptions = { json?: unknown; raw?: string | Uint8Array<ArrayBuffer>; contentType?: string | null; headers?: Record<string, string> };

/**
 * Calls the /api/v1 route handlers in-process with any method and a body; paths outside the
 * webhook routes go to the read-only client (test/api/client.ts).
 */
export function webhooksClient(key: string | null, origin = "http://gatehouse.test") {
  async function send(method: Method, path: string, options: SendOptions = {}): Promise<ApiResponse> {
    const url = new URL(`${origin}/api/v1${path}`);
    const segments = url.pathname.split("/").slice(3);
    for (const route of ROUTES) {
      if (route.pattern.length !== segments.length) continue;
      const params: Record<string, string> = {};
      if (!route.pattern.every((part, i) => (part.startsWith(":") ? ((params[part.slice(1)] = segments[i]), true) : part === segments[i]))) continue;
      const handler = route.methods[method];
      if (!handler) throw new Error(`no ${method} handler for ${path}`);
      const body = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
      const contentType = options.contentType === undefined ? (body === undefined ? null : "application/json") : options.contentType;
      const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(contentType ? { "content-type": contentType } : {}), ...options.headers };
      const response = await handler(new Request(url, { method, headers, body }), { params: Promise.resolve(params) });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
    }
    if (method === "GET") return apiClient(key, origin).get(path, options.headers);
    throw new Error(`no /api/v1 route for ${method} ${path}`);
  }
  return {
    send,
    get: (path: string) => send("GET", path),
    post: (path: string, json?: unknown) => send("POST", path, json === undefined ? {} : { json }),
    patch: (path: string, json: unknown) => send("PATCH", path, { json }),
    delete: (path: string) => send("DELETE", path),
  };
}
