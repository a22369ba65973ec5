import http from "node:http";
import { expect, test } from "@playwright/test";
import { generateApiKey } from "../lib/crypto/tokens";
import { entraLikeSuite } from "./fixtures/entra-like-suite";

// The session handoff in a real browser, with the host application on another origin: a small
// HTTP server on E2E_HOST_APP_PORT (allowed by HOST_APP_ORIGINS in playwright.config.ts) plays
// the host. Its /login sends a signed-out visitor to Gatehouse's handoff; they sign in through
// the OpenID provider and come back to the host's /callback with a one-time token, which the
// host's server exchanges (once) at GET /api/v1/session with its API key.
// Run with: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx playwright test e2e/session-handoff.spec.ts

const suite = entraLikeSuite(test);

type HostApp = { origin: string; exchanges: number[]; close: () => Promise<void> };

/** The host application: /login → Gatehouse's handoff; /callback → exchange the token server-side, greet the user. */
async function startHostApp(gatehouse: string, apiKey: string): Promise<HostApp> {
  const origin = `http://127.0.0.1:${process.env.E2E_HOST_APP_PORT}`;
  const exchanges: number[] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", origin);
    if (url.pathname === "/login") {
      const returnTo = `${origin}/callback?state=host-state`;
      res.writeHead(302, { location: `${gatehouse}/api/session/handoff?return_to=${encodeURIComponent(returnTo)}` }).end();
      return;
    }
    if (url.pathname === "/callback") {
      const answer = await fetch(`${gatehouse}/api/v1/session`, {
        headers: { authorization: `Bearer ${apiKey}`, "x-gatehouse-token": url.searchParams.get("gatehouse_token") ?? "" },
      });
      exchanges.push(answer.status);
      const html = (body: string) => `<!doctype html><html lang="en"><head><title>Host app</title></head><body>${body}</body></html>`;
      if (answer.status !== 200 || url.searchParams.get("state") !== "host-state") {
        res.writeHead(401, { "content-type": "text/html" }).end(html(`<h1>Not signed in</h1><p>Gatehouse answered ${answer.status}</p>`));
        return;
      }
      const session = (await answer.json()) as { user: { userName: string }; tenant: { name: string } | null };
      res.writeHead(200, { "content-type": "text/html" }).end(html(`<h1>Welcome, ${session.user.userName}</h1><p>Tenant: ${session.tenant?.name}</p>`));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(Number(process.env.E2E_HOST_APP_PORT), "127.0.0.1", resolve));
  return { origin, exchanges, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test("a host on another origin: signed out → sign-in through the IdP → back with a token its server exchanges once", async ({ page }) => {
  const { seed, idp, baseURL } = suite;
  const tenant = await seed.tenant();
  const person = idp.addUser({ username: `ada@${tenant.slug}.test`, name: "Ada Lovelace" });
  // Provisioned as Entra's default mapping does it: userName = UPN, externalId = mailNickname
  // (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/customize-application-attributes).
  const userId = await seed.user(tenant.id, { userName: person.username, externalId: "ada", name: "Ada Lovelace" });
  await seed.identityProvider(tenant.id, idp);
  const key = generateApiKey();
  await seed.query(
    `insert into api_keys (tenant_id, name, key_hash, prefix, last4, scope, created_by, expires_at) values ($1, 'e2e host', $2, $3, $4, 'read', 'e2e', now() + interval '1 day')`,
    [tenant.id, key.hash, key.prefix, key.last4],
  );
  const host = await startHostApp(baseURL, key.token);
  try {
    await page.goto(`${host.origin}/login`);
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    expect(new URL(page.url()).origin).toBe(new URL(baseURL).origin);
    await page.getByLabel("Email").fill(person.username);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await page.getByLabel("Email, phone, or Skype").fill(person.username);
    await page.getByRole("button", { name: "Next" }).click();

    // Back on the host's origin, its server exchanged the token for the user and tenant.
    await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${person.username}` })).toBeVisible();
    await expect(page.getByText(`Tenant: ${tenant.name}`)).toBeVisible();
    const landed = new URL(page.url());
    expect(landed.origin).toBe(host.origin);
    expect(landed.searchParams.get("state")).toBe("host-state");
    const token = landed.searchParams.get("gatehouse_token")!;
    expect(token).toMatch(/^gh_st_[A-Za-z0-9_-]{43}$/);
    expect(host.exchanges).toEqual([200]);

    // The same callback URL again (a reload, a leaked link): the token is spent.
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Not signed in" })).toBeVisible();
    expect(host.exchanges).toEqual([200, 404]);

    // Still signed in at Gatehouse: the host's /login passes straight through with a new token.
    await page.goto(`${host.origin}/login`);
    await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${person.username}` })).toBeVisible();
    expect(new URL(page.url()).searchParams.get("gatehouse_token")).not.toBe(token);
    const direct = await page.request.get(`${baseURL}/api/v1/session`, { headers: { authorization: `Bearer ${key.token}`, "x-gatehouse-token": token } });
    expect(direct.status()).toBe(404);
    expect((await seed.query("select count(*)::int as n from sessions where user_id = $1", [userId]))[0].n).toBe(1);

    // An origin that is not allowed gets no token and no redirect.
    const refused = await page.request.get(`${baseURL}/api/session/handoff?return_to=${encodeURIComponent("https://evil.example/")}`, { maxRedirects: 0 });
    expect(refused.status()).toBe(400);
    expect(refused.headers()["location"]).toBeUndefined();
  } finally {
    await host.close();
  }
});
