import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { submitRustBuild } from "./new-build";

/** A configure-only build takes seconds on an idle machine; a busy one may take minutes. */
const BUILD_ENDS = { timeout: 15 * 60_000 };

test("save a configure-only build as a preset, build from it, pin the build and rebuild it", async ({ page }) => {
  test.setTimeout(20 * 60_000);
  const name = `rust tiny ${randomUUID().slice(0, 8)}`;
  const first = await submitRustBuild(page, { extraOptions: ["CONFIG_64BIT=y", "CONFIG_MODULES=y"], targets: [] });

  // Save as preset: the spec is the build's as submitted, so it need not have run.
  await page.getByTestId("save-as-preset").click();
  await page.getByTestId("preset-name").fill(name);
  await page.getByTestId("preset-save").click();
  await expect(page.getByTestId("preset-saved")).toContainText(name);
  // Only the last build below has to run to prove the spec went through; the earlier ones make way for it.
  await page.getByTestId("cancel-build").click();
  await expect(page.getByTestId("build-status")).toHaveText("canceled", BUILD_ENDS);

  // The new-build page starts from it and, unchanged, builds the preset.
  await page.goto("/builds/new");
  await page.getByTestId("preset-select").selectOption({ label: `preset: ${name}` });
  await expect(page.getByTestId("preset-start")).toContainText("unchanged, this builds the preset");
  await expect(page.getByTestId("extra-options")).toHaveValue("CONFIG_64BIT=y\nCONFIG_MODULES=y");
  await page.getByTestId("extra-options").fill("CONFIG_64BIT=y");
  await expect(page.getByTestId("preset-start")).toContainText("changed, this builds a configuration of its own");

  // Build now, from the presets page.
  await page.goto("/presets");
  await page.getByTestId(`preset-${name}`).getByTestId("preset-build-now").click();
  await expect(page).toHaveURL(/\/builds\/[0-9a-f-]{36}$/);
  const fromPreset = page.url().split("/").at(-1)!;
  expect(fromPreset).not.toBe(first);
  await expect(page.getByTestId("build-preset")).toContainText(name);

  // Pin: it stays pinned after a reload.
  await page.getByTestId("pin").click();
  await expect(page.getByTestId("pin")).toHaveText("Unpin");
  await page.reload();
  await expect(page.getByTestId("pin")).toHaveText("Unpin");
  await page.getByTestId("cancel-build").click();
  await expect(page.getByTestId("build-status")).toHaveText("canceled", BUILD_ENDS);

  // Rebuild: a new build of the same preset and spec, which runs to the end.
  await page.getByTestId("rebuild").click();
  await expect(page).not.toHaveURL(new RegExp(fromPreset));
  await expect(page).toHaveURL(/\/builds\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("build-preset")).toContainText(name);
  await expect(page.getByTestId("pin")).toHaveText("Pin");
  await expect(page.getByTestId("build-status")).toHaveText("succeeded", BUILD_ENDS);
  const report = page.getByTestId("config-report");
  await expect(report).toContainText("SAMPLE_RUST_MINIMAL");
  await expect(report).toContainText("64BIT");
});
