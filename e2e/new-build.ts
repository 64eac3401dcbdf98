import { type Page, expect } from "@playwright/test";

const TARGETS = ["kernel", "modules", "module-kit", "vmlinux"];

/**
 * Fills the new-build page as a user does: the worker's 6.1 source (its version
 * is read from the tree, never pinned here), the Debian profile, tinyconfig,
 * Rust support with the minimal sample as a module (offered from the tree's own
 * samples/rust/Kconfig), extra options, exactly `targets`; then submits and
 * returns the new build's id.
 */
export async function submitRustBuild(page: Page, o: { extraOptions: string[]; targets: string[] }): Promise<string> {
  await openNewBuild61(page);
  await page.getByTestId("base-tinyconfig").check();
  await page.getByTestId("rust-toggle").check();
  await page.getByTestId("sample-SAMPLE_RUST_MINIMAL").selectOption("m");
  await page.getByTestId("extra-options").fill(o.extraOptions.join("\n"));
  // Unchecking a target unchecks what depends on it, so uncheck dependents first.
  for (const t of [...TARGETS].reverse()) if (!o.targets.includes(t)) await page.getByTestId(`target-${t}`).uncheck();
  for (const t of o.targets) await page.getByTestId(`target-${t}`).check();
  await page.getByTestId("submit-build").click();
  await expect(page).toHaveURL(/\/builds\/[0-9a-f-]{36}$/);
  return page.url().split("/").at(-1)!;
}

/** The new-build page with the worker's 6.1 source and Debian's toolchain profile chosen. */
export async function openNewBuild61(page: Page): Promise<void> {
  await page.goto("/builds/new");
  const sourceSelect = page.getByTestId("source-select");
  const option = sourceSelect.locator("option", { hasText: /6\.1\./ }).first();
  await expect(option).toBeAttached();
  await sourceSelect.selectOption((await option.getAttribute("value"))!);
  await page.getByTestId("profile-select").selectOption("debian-bookworm-llvm14");
}
