import { expect, type Page } from "@playwright/test";

export type IdpFields = {
  name: string;
  description?: string;
  clientId: string;
  clientSecret: string;
  authorizationUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  usernameAttribute?: string;
  issuer?: string;
  userinfoUrl?: string;
  logoutUrl?: string;
  buttonLabel?: string;
};

export class IdentityProvidersPage {
  constructor(readonly page: Page) {}

  goto(tenantId?: string) {
    return this.page.goto(tenantId ? `/identity-providers?tenantId=${tenantId}` : "/identity-providers");
  }

  addButton() {
    return this.page.getByRole("link", { name: "+ Add Identity Provider" });
  }
}

/** The add/edit form (/identity-providers/new and /identity-providers/<id>). */
export class IdpFormPage {
  constructor(readonly page: Page) {}

  field(label: string) {
    return this.page.getByLabel(label, { exact: true });
  }

  typeSelect() {
    return this.field("Identity Provider Type");
  }

  redirectUrl() {
    return this.page.getByRole("textbox", { name: "Redirect URL" });
  }

  saveButton() {
    return this.page.getByRole("button", { name: "Save Identity Provider" });
  }

  async fill(fields: IdpFields) {
    await this.field("Name").fill(fields.name);
    if (fields.description !== undefined) await this.field("Description").fill(fields.description);
    await this.field("Client ID").fill(fields.clientId);
    await this.page.getByLabel("Client Secret").fill(fields.clientSecret);
    await this.field("Authentication URL").fill(fields.authorizationUrl);
    await this.field("Access Token URL").fill(fields.tokenUrl);
    await this.field("JSON Web Key Set URL").fill(fields.jwksUrl);
    if (fields.usernameAttribute) await this.field("Username Attribute").fill(fields.usernameAttribute);
    if (fields.issuer) await this.field("Issuer URI").fill(fields.issuer);
    if (fields.userinfoUrl) await this.field("User Info URL").fill(fields.userinfoUrl);
    if (fields.logoutUrl) await this.field("Logout URL").fill(fields.logoutUrl);
    if (fields.buttonLabel) await this.field("Provider Display Name").fill(fields.buttonLabel);
  }

  async importFromDiscovery(source: string) {
    await this.page.getByLabel("Issuer, discovery URL or directory (tenant) ID").fill(source);
    await this.page.getByRole("button", { name: "Import", exact: true }).click();
  }

  /**
   * The fake Entra's provider from its discovery document: Import, then the app registration's
   * Client ID and secret and the sign-in button's label. Its keys are served over plain http
   * on this machine, so "Secure JWKS URL" is turned off. Saves; returns the provider's id.
   */
  async saveFromDiscovery(entra: { discoveryUrl: string; issuer: string; clientId: string; clientSecret: string }, options: { name: string; buttonLabel: string }) {
    await this.importFromDiscovery(entra.discoveryUrl);
    await expect(this.field("Issuer URI")).toHaveValue(entra.issuer);
    await this.field("Name").fill(options.name);
    await this.field("Client ID").fill(entra.clientId);
    await this.page.getByLabel("Client Secret").fill(entra.clientSecret);
    await this.field("Provider Display Name").fill(options.buttonLabel);
    await this.page.getByRole("switch", { name: "Secure JWKS URL" }).click();
    return this.save();
  }

  /** Saves and waits for the detail page of the saved provider; returns its id. */
  async save() {
    await this.saveButton().click();
    await expect(this.page.getByText("Identity Provider saved").first()).toBeVisible();
    await this.page.waitForURL(/\/identity-providers\/[0-9a-f-]{36}/);
    return this.page.url().match(/\/identity-providers\/([0-9a-f-]{36})/)![1];
  }
}

export class IdpDetailPage {
  constructor(readonly page: Page) {}

  heading() {
    return this.page.getByRole("heading", { level: 1 });
  }

  activateButton() {
    return this.page.getByRole("button", { name: "Activate", exact: true });
  }

  deactivateButton() {
    return this.page.getByRole("button", { name: "Deactivate", exact: true });
  }

  /** Without a passing Test sign-in in the last 24 h: the lock-out warning and "Activate anyway". */
  async activateAnyway() {
    await this.activateButton().click();
    const dialog = this.page.getByRole("alertdialog", { name: "Activate without a successful test?" });
    await expect(dialog.getByText(/locked out of the administration console/)).toBeVisible();
    await dialog.getByRole("button", { name: "Activate anyway" }).click();
    await expect(dialog).toBeHidden();
  }

  async activate(expectedText: string) {
    await this.activateButton().click();
    const dialog = this.page.getByRole("alertdialog", { name: "Activate identity provider" });
    await expect(dialog.getByText(expectedText, { exact: true })).toBeVisible();
    await dialog.getByRole("button", { name: "Yes" }).click();
    await expect(dialog).toBeHidden();
  }

  async deactivate() {
    await this.deactivateButton().click();
    const dialog = this.page.getByRole("alertdialog", { name: "Deactivate this identity provider?" });
    await dialog.getByRole("button", { name: "Deactivate" }).click();
    await expect(dialog).toBeHidden();
  }
}
