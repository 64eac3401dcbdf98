import { expect, test } from "@playwright/test";
import { loadKernelBuild } from "./kernel";

/**
 * The suite's kernel booted under QEMU from its build page, with the minimal
 * Rust sample loaded: the console arrives live on the boot test's page, with
 * the module's own line and kbuild's marker after its insmod, and the test
 * passes; the build page lists it.
 */
test("boot the kernel with rust_minimal.ko from its page and see it pass with the module's line on the console", async ({ page }) => {
  const { buildId } = await loadKernelBuild();
  await page.goto(`/builds/${buildId}`);
  await expect(page.getByTestId("boot-tests")).toBeVisible();
  await expect(page.getByTestId("boot-module-rust_minimal.ko")).toBeChecked();
  await page.getByTestId("boot-expect").fill("Rust minimal sample (init)");
  await page.getByTestId("start-boot-test").click();

  await expect(page).toHaveURL(/\/boot-tests\/[0-9a-f-]{36}$/);
  const bootTestId = page.url().split("/").at(-1)!;
  const lines = page.getByTestId("log-line");
  await expect(lines.filter({ hasText: "rust_minimal: Rust minimal sample (init)" })).toHaveCount(1);
  await expect(lines.filter({ hasText: /kbuild-boot-[0-9a-f]+: insmod ok 01-rust_minimal\.ko$/ })).toHaveCount(1);
  await expect(page.getByTestId("boot-test-status")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("boot-test-reason")).toContainText("booted and loaded rust_minimal.ko");
  await expect(page.getByTestId("check-module-rust_minimal.ko")).toHaveAttribute("data-ok", "true");

  // The console is kept as a file.
  const consoleLog = await page.request.get(`/api/v1/boot-tests/${bootTestId}/artifacts/console.log`);
  expect(consoleLog.status()).toBe(200);
  expect(await consoleLog.text()).toContain("rust_minimal: Rust minimal sample (init)");

  await page.getByTestId("boot-test-build").click();
  await expect(page).toHaveURL(new RegExp(`/builds/${buildId}$`));
  await expect(page.getByTestId(`boot-test-${bootTestId}`).getByTestId("boot-test-verdict")).toHaveText("passed");
});
