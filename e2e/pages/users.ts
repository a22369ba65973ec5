import type { Page } from "@playwright/test";

export class UsersPage {
  constructor(readonly page: Page) {}

  goto(tenantId?: string, query?: string) {
    const params = new URLSearchParams();
    if (tenantId) params.set("tenantId", tenantId);
    if (query) params.set("q", query);
    return this.page.goto(`/users${params.size ? `?${params}` : ""}`);
  }

  table() {
    return this.page.getByRole("region", { name: "Users", exact: true }).getByRole("table");
  }

  row(text: string) {
    return this.table().getByRole("row").filter({ hasText: text });
  }

  async search(text: string) {
    await this.page.getByLabel("Search").fill(text);
    await this.page.getByRole("button", { name: "Apply" }).click();
  }
}

export class UserDetailPage {
  constructor(readonly page: Page) {}

  managedNote() {
    return this.page.getByText("Managed by your identity provider — change it there");
  }
}
