import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { eq } from "drizzle-orm";
import { customFetch } from "@auth/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setupTestDatabase } from "@/test/harness";
import { accounts, identityProviders, users, type IdentityProvider } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { resetEnvCache } from "@/lib/env";
import type { Viewer } from "@/lib/auth/roles";
import { current } from "@/test/console/viewer-guards";
import { setSessionCookie } from "@/test/security/console-session";
import type { ResolvedAddress } from "@/lib/net/lookup-host";

// Review 2026-12 H-1 and M-1: every request to an identity provider goes through
// lib/net/outbound.ts. Only loopback listeners are used: a refused address is proven never to
// get a connection by a listener that counts them (loopback flag off), and DNS answers naming
// internal addresses come from an injected resolver, refused before any socket is opened.
const resolved = new Map<string, ResolvedAddress[] | (() => ResolvedAddress[])>();
const lookups: string[] = [];
vi.mock("@/lib/net/lookup-host", () => ({
  lookupHost: async (hostname: string) => {
    lookups.push(hostname);
    const answer = resolved.get(hostname);
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return typeof answer === "function" ? (answer as () => ResolvedAddress[])() : answer;
  },
}));
vi.mock("@/lib/auth/guards", async () => (await import("@/test/console/viewer-guards")).viewerGuards);
vi.mock("next/headers", async () => (await import("@/test/security/console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("@/test/security/console-session")).nextCache);

const { discoverIdpAction } = await import("@/app/(console)/identity-providers/actions");
const { DISCOVERY_FAILED } = await import("@/lib/admin/identity-provider-discovery");
const { verifyIdToken, fetchUserInfo } = await import("@/lib/auth/id-token");
const { buildIdpProvider } = await import("@/lib/auth/idp-provider");
const { decideSsoSignIn } = await import("@/lib/auth/sso-sign-in");
const { signOutCurrentUser } = await import("@/lib/auth/sign-out");
const { OUTBOUND_FAILURE_MESSAGE, outboundFetch } = await import("@/lib/net/outbound");

const database = setupTestDatabase();
const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;

/** A loopback HTTP server that counts the TCP connections it accepts, whatever protocol follows. */
type Listener = { port: number; connections: number; requests: http.IncomingMessage[]; close: () => Promise<void> };

async function listen(handler: http.RequestListener = (_req, res) => res.end("{}")): Promise<Listener> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  const listener = { port: 0, connections: 0, requests: [] as http.IncomingMessage[], close: async () => {} };
  server.on("connection", (socket) => {
    listener.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("request", (req) => listener.requests.push(req));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  listener.port = (server.address() as AddressInfo).port;
  listener.close = () => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });
  return listener;
}

function setLoopbackFlag(on: boolean) {
  vi.stubEnv("GATEHOUSE_ALLOW_LOOPBACK_IDP", on ? "1" : "0");
  resetEnvCache();
}

let tenantId: string;
let idpRow: IdentityProvider;

function idp(overrides: Partial<IdentityProvider> = {}): IdentityProvider {
  return { ...idpRow, ...overrides };
}

async function idToken() {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: idpRow.issuer!, aud: idpRow.clientId, sub: "s", iat: now, exp: now + 600 }).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(signingKey);
}

/**
 * Each place Gatehouse makes a request to an admin-entered URL, reduced to what the admin or
 * user is told when it fails. `base` is an origin; each site appends the path it would use.
 */
const fetchSites: Record<string, (base: string) => Promise<string | undefined>> = {
  "discovery import (console action)": async (base) => {
    const result = await discoverIdpAction(undefined, { tenantId, source: `${base}/tenant/v2.0` });
    return result.ok ? undefined : result.error;
  },
  "JWKS (ID-token signature)": async (base) => {
    const check = await verifyIdToken(idp({ jwksUrl: `${base}/keys-${randomUUID()}`, secureJwks: false }), await idToken());
    return check.ok ? undefined : check.detail;
  },
  "token request (Auth.js customFetch)": async (base) => {
    const provider = buildIdpProvider(idp({ tokenUrl: `${base}/token` }), "client-secret-value");
    const body = new URLSearchParams({ grant_type: "authorization_code", code: "the-code", client_secret: "client-secret-value" });
    return (provider as unknown as Record<symbol, typeof fetch>)[customFetch](`${base}/token`, { method: "POST", body, redirect: "manual" }).then(
      () => undefined,
      (error: Error) => error.message,
    );
  },
  "UserInfo (Auth.js customFetch)": async (base) => {
    const provider = buildIdpProvider(idp({ userinfoUrl: `${base}/userinfo` }), "client-secret-value");
    return (provider as unknown as Record<symbol, typeof fetch>)[customFetch](`${base}/userinfo`, { headers: { authorization: "Bearer at" }, redirect: "manual" }).then(
      () => undefined,
      (error: Error) => error.message,
    );
  },
  "UserInfo (missing claims, fetchUserInfo)": async (base) => {
    const body = await fetchUserInfo(`${base}/userinfo`, "at", { claim: "sub", value: "s" });
    return body ? undefined : "no claims";
  },
};

beforeAll(async () => {
  tenantId = (await createTenant({ name: "Contoso", slug: `contoso-${randomUUID().slice(0, 8)}` })).id;
  [idpRow] = await database.db
    .insert(identityProviders)
    .values({
      tenantId,
      type: "oidc",
      name: "Entra",
      clientId: "client-1",
      issuer: "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
      authorizationUrl: "https://login.microsoftonline.com/x/authorize",
      tokenUrl: "https://login.microsoftonline.com/x/token",
      jwksUrl: "https://login.microsoftonline.com/x/keys",
      status: "active",
    })
    .returning();
  current.viewer = {
    userId: "00000000-0000-0000-0000-0000000000a1", name: null, email: "admin@contoso.test", userName: "admin@contoso.test",
    tenantId, platformRole: null, tenantRole: "tenant_admin",
  } satisfies Viewer;
});

beforeEach(() => {
  resolved.clear();
  lookups.length = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("SSRF matrix: a refused address never receives a connection, at every fetch site", () => {
  let target: Listener;
  beforeAll(async () => {
    target = await listen();
  });
  afterAll(() => target.close());

  // Hosts whose (injected) DNS answer is an internal address. Each would be connected to
  // exactly as resolved; loopback answers would reach `target`.
  const internalAnswers: [string, ResolvedAddress[]][] = [
    ["loopback", [{ address: "127.0.0.1", family: 4 }]],
    ["IPv4-mapped loopback", [{ address: "::ffff:127.0.0.1", family: 6 }]],
    ["unspecified (reaches this machine)", [{ address: "0.0.0.0", family: 4 }]],
    ["private 10/8", [{ address: "10.0.0.1", family: 4 }]],
    ["private 172.16/12", [{ address: "172.16.0.1", family: 4 }]],
    ["private 192.168/16", [{ address: "192.168.1.1", family: 4 }]],
    ["link-local / cloud metadata", [{ address: "169.254.169.254", family: 4 }]],
    ["CGNAT 100.64/10", [{ address: "100.64.0.1", family: 4 }]],
    ["multicast", [{ address: "224.0.0.1", family: 4 }]],
    ["broadcast", [{ address: "255.255.255.255", family: 4 }]],
    ["IPv6 loopback", [{ address: "::1", family: 6 }]],
    ["IPv6 link-local", [{ address: "fe80::1", family: 6 }]],
    ["IPv6 ULA", [{ address: "fd00::1", family: 6 }]],
    ["IPv4-mapped private", [{ address: "::ffff:10.0.0.1", family: 6 }]],
    ["NAT64 of the metadata address", [{ address: "64:ff9b::a9fe:a9fe", family: 6 }]],
    ["6to4 of the metadata address", [{ address: "2002:a9fe:a9fe::1", family: 6 }]],
    ["one internal address among public ones", [{ address: "20.190.160.1", family: 4 }, { address: "10.0.0.1", family: 4 }]],
  ];

  for (const [site, attempt] of Object.entries(fetchSites)) {
    describe(site, () => {
      it.each([
        ["http://127.0.0.1", "http"],
        ["https://127.0.0.1", "https"],
        ["http://localhost", "http"],
        ["https://0.0.0.0", "https"],
      ])("loopback flag off: %s:<port> gets no connection", async (origin) => {
        setLoopbackFlag(false);
        resolved.set("localhost", [{ address: "127.0.0.1", family: 4 }]);
        const before = target.connections;
        expect(await attempt(`${origin}:${target.port}`)).toBeDefined();
        expect(target.connections).toBe(before);
      });

      it.each(internalAnswers)("a name resolving to %s is refused before connect", async (label, answer) => {
        setLoopbackFlag(false);
        const host = `${label.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.idp.test`;
        resolved.set(host, answer);
        const requests = [vi.spyOn(http, "request"), vi.spyOn(https, "request")];
        const before = target.connections;
        expect(await attempt(`https://${host}:${target.port}`)).toBeDefined();
        expect(lookups.filter((h) => h === host).length).toBeLessThanOrEqual(1);
        for (const request of requests) expect(request).not.toHaveBeenCalled();
        expect(target.connections).toBe(before);
      });

      it("control: with the loopback flag on, the same listener is reached (the matrix can fail)", async () => {
        setLoopbackFlag(true);
        const before = target.connections;
        await attempt(`http://127.0.0.1:${target.port}`);
        expect(target.connections).toBeGreaterThan(before);
      });
    });
  }

  it("sign-out: the IdP's Logout URL is a browser redirect, never a server request, and a loopback one is dropped with the flag off", async () => {
    const [user] = await database.db.insert(users).values({ tenantId, userName: "megan@contoso.test", userNameNormalized: "megan@contoso.test", source: "scim", loginMethod: "sso" }).returning();
    await database.db.insert(accounts).values({ userId: user.id, type: "oidc", provider: `idp-${idpRow.id}`, providerAccountId: randomUUID() });
    const saved = current.viewer;
    current.viewer = { ...saved!, userId: user.id, userName: user.userName, tenantRole: null };
    setSessionCookie(null);
    try {
      for (const [flag, logoutUrl, followed] of [
        [false, `http://127.0.0.1:${target.port}/logout`, false],
        [false, "https://169.254.169.254/logout", false],
        [false, "https://10.0.0.1/logout", false],
        [true, `http://127.0.0.1:${target.port}/logout`, true],
      ] as const) {
        setLoopbackFlag(flag);
        await database.db.update(identityProviders).set({ logoutUrl }).where(eq(identityProviders.id, idpRow.id));
        const before = target.connections;
        const next = await signOutCurrentUser();
        expect(next.startsWith(logoutUrl)).toBe(followed);
        if (!followed) expect(next).toBe("/login?signedOut=1");
        expect(target.connections).toBe(before);
      }
    } finally {
      current.viewer = saved;
    }
  });
});

describe("H-1: a UserInfo redirect to an internal service is not followed", () => {
  let inner: Listener;
  let front: Listener;
  beforeAll(async () => {
    inner = await listen((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"id":"attacker","AccessKeyId":"AKIA-FAKE","SecretAccessKey":"internal-only"}'));
    front = await listen((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${inner.port}/creds.json` }).end());
  });
  afterAll(async () => {
    await inner.close();
    await front.close();
  });

  it("the review's repro: an OAuth2 Test sign-in shows no claim of the redirect target, which gets no connection", async () => {
    setLoopbackFlag(true);
    const oauth2 = idp({ type: "oauth2", userinfoUrl: `http://127.0.0.1:${front.port}/userinfo`, usernameAttribute: "preferred_username" });
    const decision = await decideSsoSignIn(oauth2, { provider: `idp-${oauth2.id}`, type: "oauth", providerAccountId: "attacker", access_token: "at" }, { id: "attacker" }, true);
    expect(front.requests).toHaveLength(1);
    expect(inner.connections).toBe(0);
    expect(JSON.stringify(decision)).not.toContain("internal-only");
  });

  for (const [site, attempt] of Object.entries(fetchSites)) {
    it(`${site}: a 302 to an internal address fails and is not followed`, async () => {
      setLoopbackFlag(true);
      expect(await attempt(`http://127.0.0.1:${front.port}`)).toBeDefined();
      expect(inner.connections).toBe(0);
    });
  }
});

describe("limits: size cap, deadline, https only, the checked address", () => {
  const servers: Listener[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  async function server(handler: http.RequestListener) {
    const started = await listen(handler);
    servers.push(started);
    return `http://127.0.0.1:${started.port}`;
  }

  it("a body over the cap is cut off while streaming, whether declared or not", async () => {
    setLoopbackFlag(true);
    let written = 0;
    const endless = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (written < 64 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
        if (written < 64 * 1024 * 1024 && !res.destroyed) res.once("drain", pump);
        else res.end();
      };
      res.on("close", () => res.removeAllListeners("drain"));
      pump();
    });
    await expect(outboundFetch(`${endless}/big`)).rejects.toThrow(OUTBOUND_FAILURE_MESSAGE);
    expect(written).toBeLessThan(16 * 1024 * 1024);
    const declared = await server((_req, res) => res.writeHead(200, { "content-length": String(2 * 1024 * 1024) }).end(Buffer.alloc(2 * 1024 * 1024)));
    await expect(outboundFetch(`${declared}/big`)).rejects.toThrow(OUTBOUND_FAILURE_MESSAGE);
    const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024));
    const zipped = await server((_req, res) => res.writeHead(200, { "content-encoding": "gzip", "content-length": String(bomb.length) }).end(bomb));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(outboundFetch(`${zipped}/bomb`)).rejects.toThrow(OUTBOUND_FAILURE_MESSAGE);
  });

  it("a server that never answers, or drips its body, times out", async () => {
    setLoopbackFlag(true);
    const silent = await server(() => {});
    const dripping = await server((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write(" "), 50);
      res.on("close", () => clearInterval(timer));
    });
    for (const origin of [silent, dripping]) {
      const started = Date.now();
      await expect(outboundFetch(`${origin}/slow`, undefined, { timeoutMs: 300 })).rejects.toThrow(OUTBOUND_FAILURE_MESSAGE);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it("plain http is refused to a public address; https to it would be allowed", async () => {
    setLoopbackFlag(true);
    resolved.set("public.idp.test", [{ address: "20.190.160.1", family: 4 }]);
    const requests = [vi.spyOn(http, "request"), vi.spyOn(https, "request")];
    await expect(outboundFetch("http://public.idp.test/.well-known/openid-configuration")).rejects.toThrow(OUTBOUND_FAILURE_MESSAGE);
    for (const request of requests) expect(request).not.toHaveBeenCalled();
    await expect(outboundFetch("ftp://public.idp.test/x")).rejects.toThrow(OUTBOUND_FAILURE_MESSAGE);
    await expect(outboundFetch("https://user:pass@public.idp.test/x")).rejects.toThrow(OUTBOUND_FAILURE_MESSAGE);
    for (const request of requests) expect(request).not.toHaveBeenCalled();
  });

  it("DNS is asked once and the connection goes to the address it gave (no rebinding window)", async () => {
    setLoopbackFlag(true);
    const hosts: string[] = [];
    const origin = await server((req, res) => {
      hosts.push(req.headers.host ?? "");
      res.writeHead(200, { "content-type": "application/json", "x-idp": "yes" }).end('{"issuer":"https://rebind.idp.test"}');
    });
    const port = new URL(origin).port;
    let answers = 0;
    resolved.set("rebind.idp.test", () => (answers++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "10.0.0.1", family: 4 }]));
    const response = await outboundFetch(`http://rebind.idp.test:${port}/doc`);
    expect(lookups.filter((h) => h === "rebind.idp.test")).toHaveLength(1);
    expect(hosts).toEqual([`rebind.idp.test:${port}`]);
    // A WHATWG Response, as Auth.js, oauth4webapi and jose expect from a customFetch.
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-idp")).toBe("yes");
    expect(await response.json()).toEqual({ issuer: "https://rebind.idp.test" });
  });

  it("the server log line names the origin and path only: no query string, no credentials", async () => {
    const { captureLogs } = await import("@/lib/log");
    const capture = captureLogs("debug");
    setLoopbackFlag(true);
    const closed = await listen();
    await closed.close();
    await expect(
      outboundFetch(`http://127.0.0.1:${closed.port}/token?code=query-secret`, { method: "POST", headers: { authorization: "Basic header-secret" }, body: "client_secret=body-secret" }),
    ).rejects.toThrow(OUTBOUND_FAILURE_MESSAGE);
    capture.restore();
    const warnings = capture.records().filter((record) => record.level === "warn");
    expect(warnings).toHaveLength(1);
    const line = JSON.stringify(warnings[0]);
    expect(line).toContain(`http://127.0.0.1:${closed.port}/token`);
    expect(line).not.toMatch(/secret/);
  });
});

describe("one message, whatever failed (no refused / closed / timeout / redirect / size oracle)", () => {
  const servers: Listener[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it("each fetch site tells the admin the same sentence for every failure kind", async () => {
    setLoopbackFlag(true);
    const start = async (handler: http.RequestListener) => {
      const started = await listen(handler);
      servers.push(started);
      return started;
    };
    const closed = await listen();
    await closed.close();
    const silent = await start(() => {});
    const redirecting = await start((_req, res) => res.writeHead(301, { location: "http://169.254.169.254/" }).end());
    const huge = await start((_req, res) => res.writeHead(200).end(Buffer.alloc(1024 * 1024 + 1)));
    const plain = await start((_req, res) => res.writeHead(200).end("not json"));
    const missing = await start((_req, res) => res.writeHead(404).end("{}"));
    resolved.set("internal.idp.test", [{ address: "10.0.0.1", family: 4 }]);
    resolved.set("metadata.idp.test", [{ address: "169.254.169.254", family: 4 }]);
    const networkKinds = {
      "refused address (10/8)": "https://internal.idp.test",
      "refused address (metadata)": "https://metadata.idp.test",
      "unknown host": "https://nowhere.idp.test",
      "closed port": `http://127.0.0.1:${closed.port}`,
      "TLS to a plain-http port": `https://127.0.0.1:${plain.port}`,
      "no answer (timeout)": `http://127.0.0.1:${silent.port}`,
      redirect: `http://127.0.0.1:${redirecting.port}`,
      "body over the cap": `http://127.0.0.1:${huge.port}`,
    };
    const answerKinds = { "not JSON": `http://127.0.0.1:${plain.port}`, "404": `http://127.0.0.1:${missing.port}` };
    await Promise.all(
      Object.entries(fetchSites).map(async ([site, attempt]) => {
        const kinds = site.startsWith("discovery") ? { ...networkKinds, ...answerKinds } : networkKinds;
        const messages = await Promise.all(Object.values(kinds).map((origin) => Promise.race([attempt(origin), new Promise((r) => setTimeout(() => r("HUNG"), 12_000))])));
        const expected = site.startsWith("discovery") ? DISCOVERY_FAILED : site.startsWith("UserInfo (missing") ? "no claims" : OUTBOUND_FAILURE_MESSAGE;
        expect(Object.fromEntries(Object.keys(kinds).map((kind, i) => [kind, messages[i]])), site).toEqual(Object.fromEntries(Object.keys(kinds).map((kind) => [kind, expected])));
      }),
    );
  }, 30_000);
});
