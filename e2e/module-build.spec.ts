import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { loadKernelBuild, vermagicOf } from "./kernel";

/**
 * Out-of-tree Rust modules from the browser, against the suite's one kernel
 * build: the article's hello world from the template of the kernel's module
 * API, built, downloaded, then loaded with the kernel's own rust_minimal.ko in
 * a boot test under QEMU whose console arrives live on its page; and the
 * article's original 2021 code, uploaded, which fails and points back to the
 * template.
 */
/** The article's own module, in the 2021 out-of-tree API no kernel release ever had. */
const ARTICLE_2021 = readFileSync(path.join(import.meta.dirname, "../test/fixtures/article-2021-hello_world.rs"));

test("build the article's hello world from its template, download hello_world.ko, and boot the kernel with it and rust_minimal.ko", async ({ page }) => {
  test.setTimeout(15 * 60_000);
  const { buildId, kernelVersion } = await loadKernelBuild();
  await page.goto(`/builds/${buildId}`);
  await page.getByTestId("build-module").click();
  await expect(page).toHaveURL(new RegExp(`/builds/${buildId}/module$`));

  // The 6.1 template: byte strings in module!, kernel::Module, Rust highlighting in the editor.
  await page.getByTestId("module-template").selectOption({ label: "Hello world (Rust)" });
  await page.getByTestId("module-file-hello_world.rs").click();
  const editor = page.getByTestId("module-editor");
  await expect(editor).toContainText('name: b"hello_world"');
  await expect(editor).toContainText("impl kernel::Module for HelloWorld");
  await expect(editor.locator(".cm-content")).toHaveAttribute("data-language", "rust");

  await page.getByTestId("module-submit").click();
  await expect(page).toHaveURL(/\/builds\/[0-9a-f-]{36}$/);
  const moduleBuildId = page.url().split("/").at(-1)!;
  await expect(page.getByTestId("build-status")).toHaveText("succeeded", { timeout: 5 * 60_000 });
  await expect(page.getByTestId("log-line").filter({ hasText: /RUSTC \[M\] \/module\/hello_world\.o/ })).toHaveCount(1);
  const modinfo = page.getByTestId("modinfo-hello_world.ko");
  await expect(modinfo.getByTestId("modinfo-name")).toHaveText("hello_world");
  await expect(modinfo.getByTestId("modinfo-license")).toHaveText("GPL v2");
  await expect(modinfo.getByTestId("modinfo-vermagic")).toContainText("✓ the kernel's release");

  const downloadPromise = page.waitForEvent("download");
  await page.getByTestId("artifact-hello_world.ko").click();
  const ko = await readFile((await (await downloadPromise).path())!);
  expect(vermagicOf(ko).split(" ")[0]).toBe(kernelVersion);

  // Boot the kernel from its page with the kernel's rust_minimal.ko and this hello_world.ko, in that order.
  await page.goto(`/builds/${buildId}`);
  await expect(page.getByTestId("boot-module-rust_minimal.ko")).toBeChecked();
  await page.getByTestId(`boot-module-${moduleBuildId}-hello_world.ko`).check();
  await expect(page.getByTestId("boot-module-order")).toHaveText(/1\. rust_minimal\.ko\s+2\. hello_world\.ko/);
  await page.getByTestId("boot-expect").fill("Hello world from rust!");
  await page.getByTestId("start-boot-test").click();

  await expect(page).toHaveURL(/\/boot-tests\/[0-9a-f-]{36}$/);
  const bootTestId = page.url().split("/").at(-1)!;
  const lines = page.getByTestId("log-line");
  await expect(lines.filter({ hasText: "rust_minimal: Rust minimal sample (init)" })).toHaveCount(1, { timeout: 5 * 60_000 });
  await expect(lines.filter({ hasText: /kbuild-boot-[0-9a-f]+: insmod ok 01-rust_minimal\.ko$/ })).toHaveCount(1);
  await expect(lines.filter({ hasText: /hello_world: Hello world from rust!$/ })).toHaveCount(1);
  await expect(lines.filter({ hasText: /kbuild-boot-[0-9a-f]+: insmod ok 02-hello_world\.ko$/ })).toHaveCount(1);
  await expect(page.getByTestId("boot-test-status")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("boot-test-reason")).toContainText("rust_minimal.ko");
  await expect(page.getByTestId("boot-test-reason")).toContainText("hello_world.ko");
  await expect(page.getByTestId("check-module-rust_minimal.ko")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("check-module-hello_world.ko")).toHaveAttribute("data-ok", "true");

  // The console is kept as a file, and the kernel's page lists the test with its verdict.
  const consoleLog = await page.request.get(`/api/v1/boot-tests/${bootTestId}/artifacts/console.log`);
  expect(consoleLog.status()).toBe(200);
  expect(await consoleLog.text()).toContain("Hello world from rust!");
  await page.getByTestId("boot-test-build").click();
  await expect(page).toHaveURL(new RegExp(`/builds/${buildId}$`));
  await expect(page.getByTestId(`boot-test-${bootTestId}`).getByTestId("boot-test-verdict")).toHaveText("passed");
});

test("an uploaded module in the article's 2021 API fails, pointing to this kernel's template", async ({ page }) => {
  test.setTimeout(10 * 60_000);
  const { buildId } = await loadKernelBuild();
  await page.goto(`/builds/${buildId}/module`);
  await page.getByTestId("module-upload").setInputFiles({ name: "hello_world.rs", mimeType: "text/x-rust", buffer: ARTICLE_2021 });
  await expect(page.getByTestId("module-editor")).toContainText("impl KernelModule for HelloWorld");
  await page.getByTestId("module-submit").click();
  await expect(page).toHaveURL(/\/builds\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("build-status")).toHaveText("failed", { timeout: 5 * 60_000 });
  const hint = page.getByTestId("module-api-hint");
  await expect(hint).toContainText("hello_world.rs:16");
  await expect(hint).toContainText("impl KernelModule for ... (the 2021 out-of-tree API)");
  await expect(page.getByTestId("module-diagnostic").first()).toHaveAttribute("data-file", "hello_world.rs");

  // Search the log: as many lines found as the raw log holds, highlighted, stepped through.
  const rawLog = await (await page.request.get(`/api/v1/builds/${/\/builds\/([0-9a-f-]{36})/.exec(page.url())![1]}/log?format=text`)).text();
  const holding = rawLog.split("\n").filter((l) => l.includes("error[E0")).length;
  expect(holding).toBeGreaterThanOrEqual(3);
  await page.getByTestId("log-search").fill("error[E0");
  await expect(page.getByTestId("log-search-count")).toHaveText(`${holding} found`);
  await expect(page.locator("mark.log-match")).toHaveCount(holding);
  await page.getByTestId("log-search").press("Enter");
  await expect(page.getByTestId("log-search-count")).toHaveText(`1/${holding}`);
  await expect(page.locator(".log-line.is-target")).toContainText("error[E0725]");
  await page.getByTestId("log-search-prev").click();
  await page.getByTestId("log-search-prev").click();
  await expect(page.getByTestId("log-search-count")).toHaveText(`${holding - 1}/${holding}`);
  await expect(page.locator(".log-line.is-target")).toContainText("error[E0");
  await page.getByTestId("log-search").fill("");

  // The log's errors, counted; the first one a click away in the log.
  await expect(page.getByTestId("diagnostics-errors")).not.toHaveText(/^0 errors/);
  const firstError = page.getByTestId("diagnostic").and(page.locator('[data-severity="error"]')).first();
  await expect(firstError).toHaveAttribute("data-file", "hello_world.rs");
  await page.getByTestId("jump-first-error").click();
  await expect(page).toHaveURL(/#L\d+$/);
  const target = page.locator(`#L${page.url().split("#L")[1]}`);
  await expect(target).toHaveClass(/is-target/);
  await expect(target).toContainText("error");

  // Its own files come back in the editor, to be fixed and built again.
  const failedId = /\/builds\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  const failedUrl = `/builds/${failedId}`;
  await page.getByTestId("module-edit-again").click();
  await expect(page).toHaveURL(new RegExp(`/builds/${buildId}/module\\?from=[0-9a-f-]{36}$`));
  await page.getByTestId("module-file-hello_world.rs").click();
  await expect(page.getByTestId("module-editor")).toContainText("impl KernelModule for HelloWorld");

  // Fixed by starting over from the template, it builds; compared with the failed build, its errors are gone and it has a .ko.
  await page.getByTestId("module-template").selectOption({ label: "Hello world (Rust)" });
  await page.getByTestId("module-file-hello_world.rs").click();
  await expect(page.getByTestId("module-editor")).toContainText("impl kernel::Module for HelloWorld");
  await page.getByTestId("module-submit").click();
  await expect(page).toHaveURL(/\/builds\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("build-status")).toHaveText("succeeded", { timeout: 5 * 60_000 });
  const fixedId = page.url().split("/").at(-1)!;
  await page.getByTestId("compare-build").click();
  await expect(page.getByTestId("compare-a")).toHaveValue(fixedId);
  // A build's address is taken as well as its id.
  await page.getByTestId("compare-b").fill(`http://localhost/builds/${failedId}#L13`);
  await page.getByTestId("compare-submit").click();
  await expect(page.getByTestId("comparison")).toBeVisible();
  const newInFailed = page.getByTestId("compare-diagnostic").and(page.locator('[data-kind="new in b"]'));
  await expect(newInFailed.filter({ hasText: "hello_world.rs:2:12: error[E0725]" })).toHaveCount(1);
  await expect(page.getByTestId("compare-artifact-hello_world.ko")).toContainText("only in a");
  await expect(page.getByTestId("compare-toolchain")).toHaveAttribute("data-count", "0");

  await page.goto(failedUrl);
  await page.getByTestId("module-template-link").click();
  await expect(page).toHaveURL(new RegExp(`/builds/${buildId}/module\\?template=linux-6\\.1-hello-world$`));
  await page.getByTestId("module-file-hello_world.rs").click();
  await expect(page.getByTestId("module-editor")).toContainText("impl kernel::Module for HelloWorld");
});
