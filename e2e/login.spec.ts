import { expect, test } from "@playwright/test";

test.describe("login page", () => {
  test("shows the sign-in heading", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Sign in to Gatehouse" })).toBeVisible();
  });
});
