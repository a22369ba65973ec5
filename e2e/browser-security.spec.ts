import { expect, test, type Request } from "@playwright/test";
import { e2eAdmin } from "./fixtures/admin";

// Browser-facing protections: response headers, session cookie flags, server actions that
// refuse cross-origin posts, and post-sign-in destinations that never leave our origin.

test("console and login pages send the security headers", async ({ request }) => {
  for (const path of ["/login", "/login?local=1"]) {
    const res = await request.get(path);
    const headers = res.headers();
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    const csp = headers["content-security-policy"] ?? "";
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp, path).not.toMatch(/script-src [^;]*'unsafe-inline'/);
  }
});

async function captureSignInPost(page: import("@playwright/test").Page) {
  await page.goto("/login?local=1");
  await page.getByLabel("Email").fill(e2eAdmin.email);
  await page.getByLabel("Password").fill(e2eAdmin.password);
  const posted = page.waitForRequest((r: Request) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  return posted;
}

test("the session cookie is HttpOnly and SameSite=Lax", async ({ page, context }) => {
  await captureSignInPost(page);
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
  expect(cookie).toBeDefined();
  expect(cookie!.httpOnly).toBe(true);
  expect(cookie!.sameSite).toBe("Lax");
});

test("server actions refuse cross-origin and Origin: null posts", async ({ page, playwright, baseURL }) => {
  const original = await captureSignInPost(page);
  const body = original.postDataBuffer()!;
  const headers = { ...original.headers() };
  delete headers["cookie"];
  const api = await playwright.request.newContext({ baseURL });
  const replay = (origin: string) =>
    api.post(new URL(original.url()).pathname + new URL(original.url()).search, { headers: { ...headers, origin }, data: body, maxRedirects: 0 });

  for (const origin of ["https://evil.example", "null"]) {
    const res = await replay(origin);
    expect(res.status(), origin).toBeGreaterThanOrEqual(400);
    expect(res.headers()["set-cookie"] ?? "", origin).not.toContain("authjs.session-token");
  }
  // The same request from our own origin signs in: the refusal above is about the origin.
  const same = await replay(new URL(baseURL!).origin);
  expect(same.headers()["set-cookie"] ?? "").toContain("authjs.session-token");
  await api.dispose();
});

test("no callbackUrl leads off our origin after sign-in", async ({ page, baseURL }) => {
  for (const target of ["https://evil.example/steal", "//evil.example", "/\\evil.example", "javascript:alert(1)"]) {
    await page.context().clearCookies();
    await page.goto(`/login?local=1&callbackUrl=${encodeURIComponent(target)}`);
    await page.getByLabel("Email").fill(e2eAdmin.email);
    await page.getByLabel("Password").fill(e2eAdmin.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    expect(new URL(page.url()).origin, target).toBe(new URL(baseURL!).origin);
  }
});
