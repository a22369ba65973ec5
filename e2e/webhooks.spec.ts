import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { ServerProcess } from "./fixtures/server-process";

// Webhooks end to end, on a production server of the spec's own: a SCIM create appears in
// /api/v1/events and reaches a loopback receiver whose Standard Webhooks verification passes;
// a receiver failing three times gets the event once per retry, in order; and a SIGKILL while
// a delivery is in flight loses nothing (it is delivered after the restart).
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

type Delivery = { path: string; id: string; body: string; verified: boolean; type: string; userName?: string };

/** A receiver at 127.0.0.1: per path, a list of what to do with the next requests ("hang" holds the request open). */
async function startReceiver(secret: () => string) {
  const deliveries: Delivery[] = [];
  const plans = new Map<string, (number | "hang")[]>();
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const path = req.url ?? "/";
      let verified = false;
      let parsed: { type?: string; data?: { data?: { userName?: string } } } = {};
      try {
        parsed = new Webhook(secret()).verify(body, req.headers as Record<string, string>) as typeof parsed;
        verified = true;
      } catch {
        verified = false;
      }
      deliveries.push({ path, id: String(req.headers["webhook-id"]), body, verified, type: String(parsed.type), userName: parsed.data?.data?.userName });
      const next = plans.get(path)?.shift() ?? 204;
      if (next === "hang") hanging.push(res);
      else res.writeHead(next).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    plan: (path: string, steps: (number | "hang")[]) => plans.set(path, steps),
    on: (path: string) => deliveries.filter((d) => d.path === path),
    close: () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test("webhooks: signed delivery of a SCIM create, retries in order, and nothing lost across a SIGKILL", async () => {
  test.setTimeout(240_000);
  let secret = "";
  const receiver = await startReceiver(() => secret);
  const server = await ServerProcess.create("pglite", {
    GATEHOUSE_ALLOW_LOOPBACK_IDP: "1",
    GATEHOUSE_WEBHOOK_POLL_MS: "200",
    GATEHOUSE_TEST_WEBHOOK_RETRY_SECONDS: "1,1,1,1,1,1",
    GATEHOUSE_TEST_WEBHOOK_LEASE_SECONDS: "3",
  });
  try {
    // The CLI needs the embedded database to itself: everything is set up before the server starts.
    const tenant = JSON.parse(server.cli(["tenant", "create", "--name", "Hooks", "--slug", "hooks", "--json"])) as { id: string };
    const { token } = JSON.parse(server.cli(["token", "create", "--tenant", "hooks", "--json"])) as { token: string };
    const { key } = JSON.parse(server.cli(["apikey", "create", "--tenant", "hooks", "--json"])) as { key: string };
    const created = JSON.parse(server.cli(["webhook", "create", "--tenant", "hooks", "--url", `${receiver.origin}/hook`, "--json"])) as { id: string; secret: string };
    secret = created.secret;
    expect(secret).toMatch(/^whsec_/);
    await server.start();

    const scim = (path: string, init: RequestInit = {}) =>
      fetch(`${server.origin}/scim/v2/${tenant.id}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" } });
    const createUser = async (userName: string) => {
      const res = await scim("/Users", { method: "POST", body: JSON.stringify({ schemas: [USER], userName, externalId: userName }) });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };

    // 1. A SCIM create: in the event feed, and delivered signed.
    const adaId = await createUser("ada@hooks.example");
    const feed = await fetch(`${server.origin}/api/v1/events?after=0`, { headers: { authorization: `Bearer ${key}` } });
    expect(feed.status).toBe(200);
    const page = (await feed.json()) as { events: { type: string; resourceId: string; id: string }[]; nextCursor: string };
    expect(page.events.map((e) => [e.type, e.resourceId])).toEqual([["user.created", adaId]]);
    await expect.poll(() => receiver.on("/hook").length, { timeout: 20_000 }).toBe(1);
    const [first] = receiver.on("/hook");
    expect(first).toMatchObject({ verified: true, type: "user.created", userName: "ada@hooks.example", id: `msg_${page.events[0].id}` });

    // 2. The receiver fails three times: the event comes once per retry, and the next one only after it.
    receiver.plan("/hook", [500, 502, 503]);
    await createUser("bob@hooks.example");
    await createUser("cy@hooks.example");
    await expect.poll(() => receiver.on("/hook").length, { timeout: 30_000 }).toBe(6);
    expect(receiver.on("/hook").slice(1).map((d) => d.userName)).toEqual(["bob@hooks.example", "bob@hooks.example", "bob@hooks.example", "bob@hooks.example", "cy@hooks.example"]);
    expect(new Set(receiver.on("/hook").slice(1, 5).map((d) => d.id)).size).toBe(1);
    expect(receiver.on("/hook").every((d) => d.verified)).toBe(true);

    // 3. SIGKILL while a delivery is in flight: after the restart it is delivered, and so is what came after.
    receiver.plan("/hook", ["hang"]);
    await createUser("dee@hooks.example");
    await expect.poll(() => receiver.on("/hook").length, { timeout: 20_000 }).toBe(7);
    await createUser("eve@hooks.example");
    await server.kill();
    await server.start();
    await expect.poll(() => receiver.on("/hook").map((d) => d.userName).slice(7), { timeout: 60_000 }).toEqual(["dee@hooks.example", "eve@hooks.example"]);
    expect(receiver.on("/hook")[7].id).toBe(receiver.on("/hook")[6].id);
    expect(receiver.on("/hook").every((d) => d.verified)).toBe(true);
  } finally {
    await server.dispose();
    await receiver.close();
  }
});
