import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { submitRustBuild } from "./new-build";

test("save a configure-only build as a preset, build from it, pin the build and rebuild it", async ({ page }) => {
  const name = `rust tiny ${randomUUID().slice(0, 8)}`;
  const first = await submitRustBuild(page, { extraOptions: ["CONFIG_64BIT=y"], targets: [] });
  await expect(page.getByTestId("build-status")).toHaveText("succeeded", { timeout: 5 * 60_000 });

  // Save as preset.
  await page.getByTestId("save-as-preset").click();
  await page.getByTestId("preset-name").fill(name);
  await page.getByTestId("preset-save").click();
  await expect(page.getByTestId("preset-saved")).toContainText(name);

  // The new-build page starts from it and, unchanged, builds the preset.
  await page.goto("/builds/new");
  await page.getByTestId("preset-select").selectOption({ label: `preset: ${name}` });
  await expect(page.getByTestId("preset-start")).toContainText("unchanged, this builds the preset");
  await expect(page.getByTestId("extra-options")).toHaveValue("CONFIG_64BIT=y");
  await page.getByTestId("extra-options").fill("CONFIG_64BIT=y\nCONFIG_MODULES=y");
  await expect(page.getByTestId("preset-start")).toContainText("changed, this builds a configuration of its own");

  // Build now, from the presets page.
  await page.goto("/presets");
  await page.getByTestId(`preset-${name}`).getByTestId("preset-build-now").click();
  await expect(page).toHaveURL(/\/builds\/[0-9a-f-]{36}$/);
  const fromPreset = page.url().split("/").at(-1)!;
  expect(fromPreset).not.toBe(first);
  await expect(page.getByTestId("build-preset")).toContainText(name);
  await expect(page.getByTestId("build-status")).toHaveText("succeeded", { timeout: 5 * 60_000 });

  // Pin: it stays pinned after a reload.
  await page.getByTestId("pin").click();
  await expect(page.getByTestId("pin")).toHaveText("Unpin");
  await page.reload();
  await expect(page.getByTestId("pin")).toHaveText("Unpin");

  // Rebuild: a new build of the same preset and spec.
  await page.getByTestId("rebuild").click();
  await expect(page).not.toHaveURL(new RegExp(fromPreset));
  await expect(page).toHaveURL(/\/builds\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("build-preset")).toContainText(name);
  await expect(page.getByTestId("build-status")).toHaveText("succeeded", { timeout: 5 * 60_000 });
  await expect(page.getByTestId("config-report")).toContainText("SAMPLE_RUST_MINIMAL");
  await expect(page.getByTestId("pin")).toHaveText("Pin");
});
