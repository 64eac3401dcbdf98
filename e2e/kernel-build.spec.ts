import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { isBzImage, saveKernelBuild, vermagicOf } from "./kernel";
import { submitRustBuild } from "./new-build";

/**
 * The suite's one real kernel build, as a user makes it: 6.1, tinyconfig, Rust
 * support and the minimal Rust sample as a module, plus what a kernel needs to
 * boot on a serial console; kernel, modules, module kit and vmlinux. Specs that
 * need a built kernel depend on this one (playwright.config.ts) and reuse it.
 */
const BOOTABLE = ["64BIT", "MODULES", "PRINTK", "TTY", "SERIAL_8250", "SERIAL_8250_CONSOLE", "BINFMT_ELF", "BINFMT_SCRIPT", "DEVTMPFS", "BLK_DEV_INITRD"];

test("build a Rust-enabled kernel from the browser and download bzImage and rust_minimal.ko", async ({ page }) => {
  test.setTimeout(60 * 60_000);
  const buildId = await submitRustBuild(page, {
    extraOptions: BOOTABLE.map((s) => `CONFIG_${s}=y`),
    targets: ["kernel", "modules", "module-kit", "vmlinux"],
  });

  // While make runs: its object lines arrive live, and its progress is shown. (It may first
  // wait for a worker slot behind the other specs' configure-only builds.)
  await expect(page.getByTestId("step-make")).toHaveAttribute("data-status", "running", { timeout: 12 * 60_000 });
  await expect(page.getByTestId("log-line").filter({ hasText: /\bCC\s+\S+\.o$/ }).first()).toBeVisible({ timeout: 5 * 60_000 });
  await expect(page.getByTestId("build-status")).toHaveText("running");
  await expect(page.getByTestId("step-progress-make")).toBeVisible();
  await expect(page.getByTestId("step-progress-make")).not.toHaveAttribute("data-done", "0");

  // The rest of make is long: follow it through the API while the page is away, so the
  // browser does not render tens of thousands of log lines on the CPU the build needs.
  // Back on the page, the whole log is replayed from its first line.
  await page.goto("about:blank");
  await expect
    .poll(async () => ((await (await page.request.get(`/api/v1/builds/${buildId}`)).json()) as { status: string }).status, { timeout: 50 * 60_000, intervals: [5_000] })
    .toMatch(/^(succeeded|failed|error|canceled)$/);
  await page.goto(`/builds/${buildId}`);
  await expect(page.getByTestId("build-status")).toHaveText("succeeded");
  await expect(page.getByTestId("log-line").filter({ hasText: /RUSTC \[M\] samples\/rust\/rust_minimal\.o/ })).toHaveCount(1);
  for (const step of ["make", "modules-install", "modules-tarball", "module-kit", "vmlinux-xz", "artifacts"]) {
    await expect(page.getByTestId(`step-${step}`)).toHaveAttribute("data-status", "succeeded");
  }

  const kernelVersion = (await page.getByTestId("kernel-version").textContent())!.trim();
  expect(kernelVersion).toMatch(/^6\.1\.\d+/);

  const download = async (name: string) => {
    const downloadPromise = page.waitForEvent("download");
    await page.getByTestId(`artifact-${name}`).click();
    return readFile((await (await downloadPromise).path())!);
  };
  expect(isBzImage(await download("bzImage"))).toBe(true);
  // The module was built for this very kernel: its vermagic starts with the tree's release.
  const vermagic = vermagicOf(await download("rust_minimal.ko"));
  expect(vermagic.split(" ")[0]).toBe(kernelVersion);

  await saveKernelBuild({ buildId, kernelVersion });
});
