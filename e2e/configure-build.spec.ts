import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { submitRustBuild } from "./new-build";

test("submit a configure-only Rust build, watch its log, and download the resolved .config", async ({ page }) => {
  await page.goto("/builds/new");
  await expect(page.getByTestId("worker-status")).toContainText(/\b[1-9]\d* workers? online/);

  // Configure only: no target to compile.
  await submitRustBuild(page, { extraOptions: ["CONFIG_64BIT=y", "CONFIG_MODULES=y"], targets: [] });

  // Log lines arrive over the live stream (once a worker slot is free: other specs build too).
  await expect(page.getByTestId("log-line").first()).toBeVisible({ timeout: 10 * 60_000 });
  await expect(page.getByTestId("log-line").filter({ hasText: "Rust is available!" })).toHaveCount(1, { timeout: 5 * 60_000 });
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
