import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { path: string; headers: IncomingHttpHeaders; body: string };

/**
 * A loopback webhook receiver: answers each request with the next status of `script` per path
 * (then 204), after `slow` milliseconds; keeps every request it received.
 */
export function webhookReceiver() {
  const received: Received[] = [];
  const scripts = new Map<string, number[]>();
  let delayMs = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, headers: req.headers, body });
      const status = scripts.get(path)?.shift() ?? 204;
      setTimeout(() => res.writeHead(status).end(status >= 400 ? "nope" : ""), delayMs);
    });
  });
  return {
    received,
    script: (path: string, statuses: number[]) => scripts.set(path, [...statuses]),
    slow: (ms: number) => (delayMs = ms),
    async start() {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    on: (path: string) => received.filter((r) => r.path === path),
  };
}
