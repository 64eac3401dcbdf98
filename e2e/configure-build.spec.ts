import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";

test("submit a configure-only Rust build, watch its log, and download the resolved .config", async ({ page }) => {
  await page.goto("/builds/new");
  await expect(page.getByTestId("worker-status")).toContainText(/\b[1-9]\d* workers? online/);

  // The Debian 6.1 source the worker registered; its version is read from the tree, never pinned here.
  const sourceSelect = page.getByTestId("source-select");
  const option = sourceSelect.locator("option", { hasText: /6\.1\./ }).first();
  await expect(option).toBeAttached();
  await sourceSelect.selectOption((await option.getAttribute("value"))!);
  await page.getByTestId("profile-select").selectOption("debian-bookworm-llvm14");
  await page.getByTestId("base-tinyconfig").check();
  await page.getByTestId("rust-toggle").check();
  // The samples offered are the tree's own (read from samples/rust/Kconfig).
  await page.getByTestId("sample-SAMPLE_RUST_MINIMAL").selectOption("m");
  await page.getByTestId("extra-options").fill("CONFIG_64BIT=y\nCONFIG_MODULES=y");
  // Configure only: no target to compile.
  for (const target of ["module-kit", "modules", "kernel", "vmlinux"]) await page.getByTestId(`target-${target}`).uncheck();
  await page.getByTestId("submit-build").click();

  await expect(page).toHaveURL(/\/builds\/[0-9a-f-]{36}$/);
  // Log lines arrive over the live stream.
  await expect(page.getByTestId("log-line").first()).toBeVisible();
  await expect(page.getByTestId("log-line").filter({ hasText: "Rust is available!" })).toHaveCount(1);
  await expect(page.getByTestId("build-status")).toHaveText("succeeded", { timeout: 5 * 60_000 });
  await expect(page.getByTestId("step-rustavailable")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("step-olddefconfig")).toHaveAttribute("data-status", "succeeded");

  const report = page.getByTestId("config-report");
  await expect(report).toContainText("RUST");
  await expect(report).toContainText("SAMPLE_RUST_MINIMAL");

  const downloadPromise = page.waitForEvent("download");
  await page.getByTestId("artifact-.config").click();
  const download = await downloadPromise;
  // Browsers may strip the leading dot of a downloaded file's name.
  expect(download.suggestedFilename()).toMatch(/^\.?config$/);
  const config = await readFile((await download.path())!, "utf8");
  expect(config).toMatch(/^CONFIG_RUST=y$/m);
  expect(config).toMatch(/^CONFIG_SAMPLE_RUST_MINIMAL=m$/m);
});
