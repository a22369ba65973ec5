import { expect, type Locator, type Page } from "@playwright/test";

export class TenantsPage {
  constructor(readonly page: Page) {}

  goto() {
    return this.page.goto("/tenants");
  }

  newTenantButton() {
    return this.page.getByRole("button", { name: "New tenant" });
  }

  /** Creates a tenant through the dialog and returns its id (the page lands on its detail). */
  async create(input: { name: string; slug: string; domains: string }) {
    await this.newTenantButton().click();
    const dialog = this.page.getByRole("dialog", { name: "Create a tenant" });
    await dialog.getByLabel("Name").fill(input.name);
    await dialog.getByLabel("Slug").fill(input.slug);
    await dialog.getByLabel("Email domains").fill(input.domains);
    await dialog.getByRole("button", { name: "Create tenant" }).click();
    await this.page.waitForURL(/\/tenants\/[0-9a-f-]{36}/);
    return this.page.url().match(/\/tenants\/([0-9a-f-]{36})/)![1];
  }

  open(name: string) {
    return this.page.getByRole("link", { name, exact: true }).click();
  }
}

export class TenantDetailPage {
  constructor(readonly page: Page) {}

  goto(tenantId: string) {
    return this.page.goto(`/tenants/${tenantId}`);
  }

  /** The callout of a tenant that single sign-on cannot let anyone into (no users, no JIT). */
  nobodyCanSignIn() {
    return this.page.getByRole("alert").filter({ hasText: "Nobody can sign in to this tenant yet" });
  }

  generateButton() {
    return this.page.getByRole("button", { name: "+ Generate Provisioning Token" });
  }

  tokenDialog() {
    return this.page.getByRole("dialog", { name: "Generate Provisioning Token" });
  }

  tokenTable() {
    return this.page.getByRole("region", { name: "Token list" }).getByRole("table");
  }

  tokenRow(name: string): Locator {
    return this.tokenTable().getByRole("row").filter({ hasText: name });
  }

  async revoke(name: string) {
    await this.page.getByRole("button", { name: `Revoke ${name}` }).click();
    const confirm = this.page.getByRole("alertdialog", { name: "Revoke this token?" });
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await expect(confirm).toBeHidden();
  }
}
