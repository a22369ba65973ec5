import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Readable } from "node:stream";
import { env } from "../env";
import { requestLogger } from "../log";
import { classifyAddress } from "./address-policy";
import { lookupHost, type ResolvedAddress } from "./lookup-host";

// The one way Gatehouse makes a request to a URL an admin typed (identity-provider discovery,
// JWKS, token, UserInfo). The rules it enforces:
// - https only; plain http only to loopback, and loopback at all only when
//   GATEHOUSE_ALLOW_LOOPBACK_IDP=1 (a provider running beside Gatehouse, as in the e2e tests);
// - the host is resolved once and every address must be public (lib/net/address-policy.ts);
//   the connection goes to exactly the address checked, so DNS cannot rebind in between;
// - no redirect is followed: a 3xx is a failure, as is a body over the size cap or a request
//   that outlives the deadline (DNS, connect, headers and body together);
// - every failure is the same OutboundRequestError, so what an admin sees cannot tell a refused
//   address from a closed port or a timeout; the reason goes to one server log line.

export const OUTBOUND_FAILURE_MESSAGE = "The identity provider could not be reached, or its answer could not be used";

export class OutboundRequestError extends Error {
  constructor() {
    super(OUTBOUND_FAILURE_MESSAGE);
    this.name = "OutboundRequestError";
  }
}

export type OutboundLimits = { timeoutMs?: number; maxBytes?: number };

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_BYTES = 1024 * 1024;
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** Why a request was not made or its answer dropped; logged, never shown. */
class Refusal extends Error {}

function loopbackAllowed() {
  return env().GATEHOUSE_ALLOW_LOOPBACK_IDP === "1";
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new Refusal("deadline passed"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}

async function checkedAddress(url: URL, signal: AbortSignal): Promise<ResolvedAddress> {
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Refusal(`scheme ${url.protocol}`);
  if (url.username || url.password) throw new Refusal("credentials in the URL");
  const literal = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const addresses = isIP(literal) ? [{ address: literal, family: isIP(literal) }] : await Promise.race([lookupHost(url.hostname), untilAborted(signal)]);
  if (!addresses.length) throw new Refusal("no address");
  const classes = addresses.map((a) => classifyAddress(a.address));
  if (classes.includes("refused")) throw new Refusal("non-public address");
  if (classes.includes("loopback") && !loopbackAllowed()) throw new Refusal("loopback address");
  if (url.protocol === "http:" && classes.some((c) => c !== "loopback")) throw new Refusal("plain http to a non-loopback address");
  return addresses[0];
}

function decoded(response: IncomingMessage): Readable {
  const encoding = String(response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding === "identity") return response;
  const decoder = encoding === "gzip" || encoding === "x-gzip" ? createGunzip() : encoding === "deflate" ? createInflate() : encoding === "br" ? createBrotliDecompress() : undefined;
  if (!decoder) throw new Refusal(`content-encoding ${encoding}`);
  response.on("error", (error) => decoder.destroy(error));
  return response.pipe(decoder);
}

async function readCapped(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new Refusal(`body over ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function responseHeaders(response: IncomingMessage, wasDecoded: boolean): Headers {
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name === "transfer-encoding" || name === "connection" || (wasDecoded && (name === "content-encoding" || name === "content-length"))) continue;
    headers.append(name, raw[i + 1]);
  }
  return headers;
}

async function send(request: Request, url: URL, signal: AbortSignal, maxBytes: number): Promise<Response> {
  const { address, family } = await checkedAddress(url, signal);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const headers: Record<string, string> = Object.fromEntries(request.headers);
  headers.host = url.host;
  headers["accept-encoding"] = "gzip, deflate, br";
  headers["user-agent"] ??= "Gatehouse";
  if (body) headers["content-length"] = String(body.length);
  const options: https.RequestOptions = {
    host: address,
    family,
    port: url.port || (url.protocol === "https:" ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    method: request.method,
    headers,
    agent: false,
    // TLS checks the certificate against the name the admin typed, not the address.
    servername: isIP(url.hostname.replace(/^\[(.*)\]$/, "$1")) ? undefined : url.hostname,
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const outgoing = client.request(options, (incoming) => {
      const status = incoming.statusCode ?? 0;
      if (status >= 300 && status < 400) return fail(new Refusal(`redirect ${status}`));
      if (status < 200 || status > 599) return fail(new Refusal(`status ${status}`));
      const declared = Number(incoming.headers["content-length"]);
      if (Number.isFinite(declared) && declared > maxBytes) return fail(new Refusal(`declared body of ${declared} bytes`));
      let stream: Readable;
      try {
        stream = decoded(incoming);
      } catch (error) {
        return fail(error);
      }
      readCapped(stream, maxBytes).then((bytes) => {
        cleanup();
        const response = new Response(NULL_BODY_STATUSES.has(status) ? null : new Uint8Array(bytes), {
          status,
          statusText: incoming.statusMessage,
          headers: responseHeaders(incoming, stream !== incoming),
        });
        Object.defineProperty(response, "url", { value: url.href });
        resolve(response);
      }, fail);
    });
    const abort = () => fail(new Refusal("deadline passed"));
    const cleanup = () => signal.removeEventListener("abort", abort);
    function fail(error: unknown) {
      cleanup();
      outgoing.destroy();
      reject(error);
    }
    if (signal.aborted) return abort();
    signal.addEventListener("abort", abort, { once: true });
    outgoing.on("error", fail);
    outgoing.end(body);
  });
}

function reasonOf(error: unknown) {
  if (error instanceof Refusal) return error.message;
  const { code, name } = (error ?? {}) as { code?: string; name?: string };
  return code ?? name ?? "error";
}

/**
 * fetch() for identity-provider URLs, under the rules above. Returns a WHATWG Response whose
 * body is already read (at most `maxBytes`), so it also serves as Auth.js's and jose's
 * customFetch.
 */
export async function outboundFetch(input: RequestInfo | URL, init?: RequestInit, limits: OutboundLimits = {}): Promise<Response> {
  const target = URL.canParse(String(input instanceof Request ? input.url : input)) ? new URL(String(input instanceof Request ? input.url : input)) : undefined;
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  try {
    // Request refuses URLs with credentials (a Refusal like any other, below).
    const request = new Request(input, init);
    // A plain timer rather than AbortSignal.timeout/any, whose composite signals Node 20 may
    // collect before they fire.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), limits.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const forward = () => deadline.abort();
    request.signal.addEventListener("abort", forward, { once: true });
    if (request.signal.aborted) deadline.abort();
    try {
      return await send(request, new URL(request.url), deadline.signal, limits.maxBytes ?? DEFAULT_MAX_BYTES);
    } finally {
      clearTimeout(timer);
      request.signal.removeEventListener("abort", forward);
    }
  } catch (error) {
    const where = target ? `${target.protocol}//${target.host}${target.pathname}` : "an unparsable URL";
    (await requestLogger()).warn({ method, url: where, reason: reasonOf(error) }, "outbound request failed");
    throw new OutboundRequestError();
  }
}
