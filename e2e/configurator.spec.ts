import { expect, test } from "@playwright/test";
import { openNewBuild61 } from "./new-build";

/**
 * The configurator of the worker's 6.1 source: why RUST cannot be enabled
 * where the toolchain lacks rust-src (the tree's own check says so), Rust and
 * its samples switched on with Debian's toolchain, and the options carried to
 * the new-build page.
 */
test("configure 6.1 in the browser: why not RUST, Rust samples, options into a new build", async ({ page }) => {
  await page.goto("/builds/new");
  const sourceSelect = page.getByTestId("source-select");
  const option = sourceSelect.locator("option", { hasText: /6\.1\./ }).first();
  await expect(option).toBeAttached();
  const source = (await option.getAttribute("value"))!;
  await sourceSelect.selectOption(source);
  await page.getByTestId("profile-select").selectOption("debian-bookworm-llvm14-no-rust-src");
  await page.getByTestId("base-defconfig").check();
  await page.getByTestId("open-configurator").click();
  await expect(page).toHaveURL(new RegExp(`/sources/${source.replace(/\./g, "\\.")}/configure\\?`));

  // The model is prepared by the worker in the profile's sandbox, then evaluated in the page.
  await expect(page.getByTestId("kconfig-search")).toBeVisible({ timeout: 8 * 60_000 });

  await page.getByTestId("kconfig-search").fill("RUST");
  await page.getByTestId("result-RUST").click();
  const detail = page.getByTestId("symbol-detail");
  await expect(detail).toHaveAttribute("data-symbol", "RUST");
  const why = page.getByTestId("why-not");
  await expect(why).toContainText("RUST_IS_AVAILABLE = n");
  await expect(why.getByTestId("why-source")).toContainText("rust_is_available.sh");
  await expect(why.getByTestId("why-diagnostic")).toContainText(/could not be found/);
  await expect(page.getByTestId("symbol-help")).toContainText(/Rust/);
  // The boxes show the tree's values, which the Web Worker answers: click, then look.
  await page.getByTestId("quick-rust").click();
  await expect(page.getByTestId("quick-rust")).not.toBeChecked();
  await expect(page.getByTestId("set-error")).toContainText("CONFIG_RUST can only be n");

  // With Debian's rust-src the same tree lets Rust on.
  await page.getByTestId("configurator-profile").selectOption("debian-bookworm-llvm14");
  await expect(page.getByTestId("kconfig-search")).toBeVisible({ timeout: 8 * 60_000 });
  await page.getByTestId("quick-rust").click();
  await expect(page.getByTestId("quick-rust")).toBeChecked();
  await expect(page.getByTestId("changed-RUST")).toContainText("n → y");
  await page.getByTestId("quick-rust-samples").click();
  await expect(page.getByTestId("quick-rust-samples")).toBeChecked();
  await expect(page.getByTestId("changed-SAMPLE_RUST_MINIMAL")).toContainText("n → m");
  await expect(page.getByTestId("symbol-path").first()).toContainText("Kernel hacking → Sample kernel code → Rust samples");
  await expect(page.getByTestId("configurator-options")).toContainText("CONFIG_SAMPLE_RUST_MINIMAL=m");

  await page.getByTestId("configurator-use").click();
  await expect(page).toHaveURL(/\/builds\/new\?from=configurator/);
  await expect(page.getByTestId("configurator-imported")).toBeVisible();
  await expect(page.getByTestId("rust-toggle")).toBeChecked();
  await expect(page.getByTestId("sample-SAMPLE_RUST_MINIMAL")).toHaveValue("m");
  const preview = page.getByTestId("options-preview");
  await expect(preview).toContainText("CONFIG_RUST=y");
  await expect(preview).toContainText("CONFIG_SAMPLE_RUST_MINIMAL=m");
  await expect(page.getByTestId("submit-build")).toBeEnabled();
});

test("an uploaded .config with unknown symbols and junk gets per-line warnings", async ({ page }) => {
  await openNewBuild61(page);
  await page.getByTestId("base-upload").check();
  await page.getByTestId("base-upload-file").setInputFiles({
    name: "junk.config",
    mimeType: "text/plain",
    buffer: Buffer.from("CONFIG_64BIT=y\nCONFIG_NOT_A_SYMBOL=y\nthis is junk\nCONFIG_NR_CPUS=many\n"),
  });
  const warnings = page.getByTestId("upload-warning");
  await expect(warnings).toHaveCount(3, { timeout: 8 * 60_000 });
  await expect(warnings.nth(0)).toContainText("line 2: unknown symbol CONFIG_NOT_A_SYMBOL");
  await expect(warnings.nth(1)).toContainText("line 3: not a CONFIG_ assignment");
  await expect(warnings.nth(2)).toContainText("line 4:");
});

test("the configurator starts from the user's own .config and carries it to the new build", async ({ page }) => {
  await openNewBuild61(page);
  const source = await page.getByTestId("source-select").inputValue();
  await page.goto(`/sources/${encodeURIComponent(source)}/configure?profile=debian-bookworm-llvm14&base=defconfig`);
  await expect(page.getByTestId("kconfig-search")).toBeVisible({ timeout: 8 * 60_000 });
  await page.getByTestId("configurator-base").selectOption("upload");
  await expect(page.getByTestId("configurator-evaluating")).toContainText("Choose the .config");
  await page.getByTestId("configurator-upload").setInputFiles({
    name: "mine.config",
    mimeType: "text/plain",
    buffer: Buffer.from("CONFIG_64BIT=y\n# CONFIG_MODULES is not set\nCONFIG_NOT_A_SYMBOL=y\n"),
  });
  await expect(page.getByTestId("configurator-upload-warnings")).toContainText("1 line of mine.config");
  await page.getByTestId("kconfig-search").fill("MODULES");
  await expect(page.getByTestId("result-MODULES")).toContainText("= n");
  // A toggle on top of the file, then the file and the toggle go to the new-build page together.
  await page.getByTestId("kconfig-search").fill("");
  await page.getByTestId("quick-rust").click();
  await expect(page.getByTestId("quick-rust")).toBeChecked();
  await page.getByTestId("configurator-use").click();
  await expect(page).toHaveURL(/\/builds\/new\?from=configurator/);
  await expect(page.getByTestId("base-upload")).toBeChecked();
  await expect(page.getByTestId("rust-toggle")).toBeChecked();
});
