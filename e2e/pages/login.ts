import type { Page } from "@playwright/test";

/** The break-glass password sign-in at /login?local=1. */
export class LoginPage {
  constructor(readonly page: Page) {}

  async signIn(account: { email: string; password: string }) {
    await this.page.goto("/login?local=1");
    await this.page.getByLabel("Email").fill(account.email);
    await this.page.getByLabel("Password").fill(account.password);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await this.page.waitForURL((url) => !url.pathname.startsWith("/login"));
  }
}
