import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { e2eAdmin } from "./fixtures/admin";
import { scimFixture } from "./fixtures/scim-tenant";
import { LoginPage } from "./pages/login";

// The tenant's Webhooks page: add an endpoint (the secret shown once), send a signed test
// event to a loopback receiver and see it in the delivery log, then delete after confirming.
test("console webhooks: add with the secret shown once, Send test event lands in the log, delete asks first", async ({ page }) => {
  const received: { body: string; headers: Record<string, string> }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ body, headers: req.headers as Record<string, string> });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/console-hook`;
  try {
    const { tenantId } = scimFixture();
    await new LoginPage(page).signIn(e2eAdmin);
    await page.goto(`/tenants/${tenantId}/webhooks`);
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();

    await page.getByRole("button", { name: "+ Add webhook" }).click();
    const dialog = page.getByRole("dialog", { name: "Add webhook" });
    await dialog.getByLabel("Endpoint URL").fill("https://10.1.2.3/hook");
    await dialog.getByRole("button", { name: "Add webhook" }).click();
    await expect(dialog.getByText("Use https to a public host")).toBeVisible();
    await dialog.getByLabel("Endpoint URL").fill(url);
    await dialog.getByLabel("user.created").check();
    await dialog.getByRole("button", { name: "Add webhook" }).click();
    const secretField = dialog.getByLabel("Signing secret");
    await expect(secretField).toHaveValue(/^whsec_/);
    const secret = await secretField.inputValue();
    await dialog.getByRole("button", { name: "Done" }).click();

    // The tenant's one webhook: its card holds the URL, the actions and the delivery log.
    const card = page.locator("div").filter({ has: page.getByText(url, { exact: true }) }).filter({ has: page.getByRole("button", { name: "Send test event" }) }).last();
    await expect(card.getByText("Active")).toBeVisible();
    await expect(page.getByText(secret)).toHaveCount(0);

    await card.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByText("Test event delivered (HTTP 202)")).toBeVisible();
    expect(received).toHaveLength(1);
    expect((new Webhook(secret).verify(received[0].body, received[0].headers) as { type: string }).type).toBe("webhook.test");
    await expect(card.getByRole("table").getByText("HTTP 202")).toBeVisible();

    await card.getByRole("button", { name: "Delete", exact: true }).click();
    const confirm = page.getByRole("alertdialog", { name: "Delete this webhook?" });
    await expect(confirm).toBeVisible();
    await confirm.getByRole("button", { name: "Delete webhook" }).click();
    await expect(page.getByText(url, { exact: true })).toHaveCount(0);
    await expect(page.getByText("No webhooks yet")).toBeVisible();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
