import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTrustedProxies, PEER_ADDRESS_HEADER, resolveClientAddress } from "./client-address";
import { stampPeerAddresses } from "./peer-address";

// A real Node HTTP server, as `next start` runs one: the header request code reads holds the
// TCP peer, whatever the client sent under that name.
describe("the TCP peer reaches request code in a header no client can set", () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    stampPeerAddresses();
    server = http.createServer((req, res) => {
      const headers = new Headers(req.headers as Record<string, string>);
      res.end(JSON.stringify({ peer: req.headers[PEER_ADDRESS_HEADER], client: resolveClientAddress(headers, parseTrustedProxies(undefined)) }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("overwrites a client-sent peer header and ignores a spoofed X-Forwarded-For", async () => {
    const response = await fetch(base, { headers: { [PEER_ADDRESS_HEADER]: "203.0.113.50", "x-forwarded-for": "203.0.113.51" } });
    expect(await response.json()).toEqual({ peer: "127.0.0.1", client: "127.0.0.1" });
  });
});
