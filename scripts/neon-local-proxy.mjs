#!/usr/bin/env node
// A WebSocket→TCP proxy in front of a plain PostgreSQL, so @neondatabase/serverless can be
// exercised locally (Neon's docs describe the same for local development). Each WebSocket
// opened at /v1?address=host:port becomes one TCP connection; binary frames pass through
// unchanged in both directions. Point the app at it with NEON_LOCAL_PROXY=127.0.0.1:<port>.
//
//   node scripts/neon-local-proxy.mjs [--port 4444]
import net from "node:net";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";

/** Starts the proxy; resolves with its `host:port` and a close function. */
export async function startNeonProxy({ port = 0, host = "127.0.0.1", allowedHosts = ["127.0.0.1", "localhost", "::1"] } = {}) {
  const sockets = new Set();
  const server = new WebSocketServer({ host, port, perMessageDeflate: false });
  server.on("connection", (ws, request) => {
    const url = new URL(request.url ?? "/", "http://proxy");
    const [targetHost, targetPort] = splitAddress(url.searchParams.get("address") ?? "");
    if (url.pathname !== "/v1" || !targetHost || !allowedHosts.includes(targetHost)) {
      ws.close(1008, "address must be a local PostgreSQL host:port");
      return;
    }
    const tcp = net.connect({ host: targetHost, port: targetPort });
    sockets.add(tcp);
    tcp.setNoDelay(true);
    const pending = [];
    tcp.on("connect", () => {
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    ws.on("message", (data) => {
      const chunk = Buffer.isBuffer(data) ? data : Buffer.concat(data);
      if (tcp.connecting) pending.push(chunk);
      else tcp.write(chunk);
    });
    tcp.on("data", (chunk) => ws.readyState === ws.OPEN && ws.send(chunk, { binary: true }));
    const closeBoth = () => {
      sockets.delete(tcp);
      tcp.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    tcp.on("close", closeBoth);
    tcp.on("error", closeBoth);
    ws.on("close", closeBoth);
    ws.on("error", closeBoth);
  });
  await new Promise((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address();
  return {
    address: `${host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        for (const tcp of sockets) tcp.destroy();
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

function splitAddress(value) {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(value);
  return match ? [match[1], Number(match[2])] : [undefined, undefined];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const portFlag = process.argv.indexOf("--port");
  const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : 4444;
  const proxy = await startNeonProxy({ port });
  console.log(`Neon local proxy on ws://${proxy.address}/v1 — set NEON_LOCAL_PROXY=${proxy.address} DATABASE_DRIVER=neon`);
  const stop = () => proxy.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
