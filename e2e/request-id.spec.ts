import { expect, test } from "@playwright/test";
import pg from "pg";
import { e2eAdmin } from "./fixtures/admin";
import { LoginPage } from "./pages/login";

// The proxy stamps x-request-id on console requests; a server action reads it through
// next/headers, so its audit row names the id its response carried (lib/request-id.ts).
// Reading the audit table beside the server needs the PostgreSQL e2e database.
test.skip(!process.env.E2E_DATABASE_URL, "needs the PostgreSQL e2e server: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)");

async function auditActionsWithRequestId(requestId: string) {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ action: string }>("select action from audit_events where request_id = $1 order by id", [requestId]);
    return rows.map((r) => r.action);
  } finally {
    await client.end();
  }
}

test("a console sign-in's audit row carries the request id of the server action's response", async ({ page }) => {
  const pageResponse = await page.goto("/login?local=1");
  expect(pageResponse?.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

  const signInAction = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login");
  await new LoginPage(page).signIn(e2eAdmin);
  const requestId = (await signInAction).headers()["x-request-id"];
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(requestId).not.toBe(pageResponse?.headers()["x-request-id"]);
  await expect.poll(() => auditActionsWithRequestId(requestId)).toEqual(["auth.sign_in.password"]);
});
