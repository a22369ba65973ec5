import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { PEER_ADDRESS_HEADER } from "./client-address";

// Next.js gives proxy.ts, route handlers and server actions the request headers but not the
// socket, and fills x-forwarded-for from the socket only when a client sent none. So the TCP
// peer is written into a header of our own for every request the Node HTTP server accepts,
// before Next.js (or proxy.ts and its matcher) sees it, overwriting whatever a client sent
// under that name. "http.server.request.start" is published synchronously ahead of the
// server's "request" event.
type RequestStart = { request: IncomingMessage; socket: Socket };

const holder = globalThis as { __gatehousePeerAddress?: boolean };

export function stampPeerAddresses() {
  if (holder.__gatehousePeerAddress) return;
  holder.__gatehousePeerAddress = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as RequestStart;
    if (socket.remoteAddress) request.headers[PEER_ADDRESS_HEADER] = socket.remoteAddress;
    else delete request.headers[PEER_ADDRESS_HEADER];
  });
}
