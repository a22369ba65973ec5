import http from "node:http";
import type { AddressInfo } from "node:net";
import { scimEndpoints } from "@/lib/scim-server/endpoints";

type Handler = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

/**
 * Serves the app's SCIM route handlers over a real HTTP socket, with the same routing as
 * app/scim/v2/[tenantId]/… (the route files only re-export these handlers).
 */
export async function startScimHttpServer() {
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(url, { method: req.method, headers, body: body && req.method !== "GET" && req.method !== "HEAD" ? body : undefined });
      const routed = route(req.method ?? "GET", url.pathname);
      if (!routed) {
        res.writeHead(405).end();
        return;
      }
      const response = await routed.handler(request, { params: Promise.resolve(routed.params) });
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(599).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function route(method: string, pathname: string): { handler: Handler; params: Record<string, unknown> } | undefined {
  const match = /^\/scim\/v2\/([^/]+)\/(.+)$/.exec(pathname);
  const handler = scimEndpoints[method as keyof typeof scimEndpoints] as Handler | undefined;
  if (!match || !handler) return undefined;
  return { handler, params: { tenantId: decodeURIComponent(match[1]), rest: match[2].split("/").map(decodeURIComponent) } };
}
