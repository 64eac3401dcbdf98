import { expect, test as setup } from "@playwright/test";
import { E2E_FIRST_USER, E2E_STORAGE_STATE } from "./env";

/**
 * Signs up the install's first user through the pages, as someone opening a
 * fresh kbuild would: the build list sends them to sign-up (nobody has an
 * account yet), and afterwards they own the default team. When the data was
 * kept from an earlier run (KBUILD_E2E_KEEP_DATA=1) the account exists, and
 * they sign in instead.
 */
setup("the first user signs up and owns the default team", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-(up|in)$/);
  if (page.url().endsWith("/sign-up")) {
    await page.getByTestId("auth-name").fill(E2E_FIRST_USER.name);
  }
  await page.getByTestId("auth-email").fill(E2E_FIRST_USER.email);
  await page.getByTestId("auth-password").fill(E2E_FIRST_USER.password);
  await page.getByTestId("auth-submit").click();
  await expect(page.getByRole("heading", { name: "Builds" })).toBeVisible();
  await expect(page.getByTestId("team-switcher").locator("option:checked")).toHaveText("Default team");
  await page.context().storageState({ path: E2E_STORAGE_STATE });
});
