import { expect, test } from "@playwright/test";
import { createDb } from "../lib/db/client";
import { type LoggedStep, createLoggedBuild, fixtureLog, kernelBuildSteps } from "../test/logged-build";
import { E2E_ENV } from "./env";

/**
 * The log viewer on a long real log. The fixtures hold no single real log
 * long enough to need virtualizing, so this one is made of real logs put end
 * to end: the real kernel build log of test/fixtures/logs cut into its steps,
 * its compile step's output there eight times (eight real compiles of that
 * kernel, back to back), then a module build step that fails with the real
 * rustc and gcc errors of the fixtures. About 10,000 lines, stored as a
 * build's log through the log's own persistence path.
 */
const COMPILES = 8;

function longRealLog(): LoggedStep[] {
  const steps: LoggedStep[] = kernelBuildSteps().map((s) => ({
    name: s.name,
    status: "succeeded",
    lines: s.name.startsWith("Build bzImage") ? [s.lines[0]!, ...Array.from({ length: COMPILES }, () => s.lines.slice(1)).flat()] : s.lines,
    durationMs: s.name.startsWith("Build bzImage") ? 754_000 : 2_300,
  }));
  steps.push({ name: "Build the module", status: "failed", lines: [...fixtureLog("rust-type-error"), ...fixtureLog("c-error-note")], durationMs: 4_200 });
  return steps;
}

let build: { buildId: string; lines: number; text: string[]; steps: LoggedStep[] };

test.beforeAll(async () => {
  const db = createDb(E2E_ENV.DATABASE_URL);
  try {
    const source = await db.kernelSource.findFirst({ orderBy: { name: "asc" } });
    if (!source) throw new Error("no kernel source registered in the end-to-end database");
    const steps = longRealLog();
    const made = await createLoggedBuild(db, { sourceId: source.id, prefix: E2E_ENV.KBUILD_PREFIX!, status: "failed", steps });
    build = { ...made, steps, text: steps.flatMap((s) => s.lines) };
  } finally {
    await db.$disconnect();
  }
});

test("a 10,000-line real log: virtualized, searched, permalinked, its first error and its steps", async ({ page }) => {
  expect(build.lines).toBeGreaterThan(9_000);
  await page.goto(`/builds/${build.buildId}`);
  const viewer = page.getByTestId("log-viewer");
  await expect(viewer).toHaveAttribute("data-state", "ended");
  await expect(page.getByTestId("log-line-count")).toHaveText(`${build.lines.toLocaleString("en-US")} lines`);
  // Only the rows in view are in the page.
  await expect(viewer).toHaveAttribute("data-virtual", "true");
  expect(await page.getByTestId("log-line").count()).toBeLessThan(500);

  // Search: as many lines as the log holds, stepped through with Enter, Shift+Enter and the buttons.
  const query = "RUSTC";
  const holding = build.text.map((t, i) => [t, i + 1] as const).filter(([t]) => t.toLowerCase().includes(query.toLowerCase()));
  expect(holding.length).toBeGreaterThan(COMPILES);
  await page.getByTestId("log-search").fill(query);
  await expect(page.getByTestId("log-search-count")).toHaveText(`${holding.length} found`);
  await page.getByTestId("log-search").press("Enter");
  await expect(page.getByTestId("log-search-count")).toHaveText(`1/${holding.length}`);
  const marked = page.locator(".log-line.is-target");
  await expect(marked).toHaveAttribute("data-seq", String(holding[0]![1]));
  await expect(marked.locator("mark.log-match").first()).toHaveText(new RegExp(`^${query}$`, "i"));
  await expect(marked).toBeInViewport();
  await page.getByTestId("log-search").press("Shift+Enter");
  await expect(page.getByTestId("log-search-count")).toHaveText(`${holding.length}/${holding.length}`);
  await expect(marked).toHaveAttribute("data-seq", String(holding.at(-1)![1]));
  await expect(marked).toBeInViewport();
  await page.getByTestId("log-search-next").click();
  await expect(page.getByTestId("log-search-count")).toHaveText(`1/${holding.length}`);
  await page.getByTestId("log-search-next").click();
  await expect(marked).toHaveAttribute("data-seq", String(holding[1]![1]));
  await page.getByTestId("log-search-prev").click();
  await expect(marked).toHaveAttribute("data-seq", String(holding[0]![1]));
  await page.getByTestId("log-search").fill("");

  // A permalink deep in the log scrolls there and marks the line, on opening the page and on a hash change.
  const deep = Math.floor(build.lines * 0.7);
  await page.goto(`/builds/${build.buildId}#L${deep}`);
  const line = page.locator(`#L${deep}`);
  await expect(line).toHaveClass(/is-target/);
  await expect(line).toBeInViewport();
  await expect(line.locator(".log-text")).toHaveText(build.text[deep - 1]!);
  await page.evaluate(() => (window.location.hash = "#L42"));
  await expect(page.locator("#L42")).toHaveClass(/is-target/);
  await expect(page.locator("#L42")).toBeInViewport();

  // Jump to the first error: the diagnostics' first error line, in the failed step.
  const firstError = build.text.findIndex((t) => t.startsWith("error")) + 1;
  await page.getByTestId("jump-first-error").click();
  await expect(page).toHaveURL(new RegExp(`#L${firstError}$`));
  const errorLine = page.locator(`#L${firstError}`);
  await expect(errorLine).toHaveClass(/is-target/);
  await expect(errorLine).toBeInViewport();
  await expect(errorLine).toContainText("error[E0308]: mismatched types");

  // Step sections: one header per step with its status and duration; collapsing hides the lines, expanding shows them.
  const last = build.steps.length - 1;
  const failed = page.locator(`#log-step-${last}`);
  await expect(failed.getByTestId("log-step-name")).toHaveText("Build the module");
  await expect(failed.getByTestId("log-step-status")).toHaveText("failed");
  await expect(failed.getByTestId("log-step-duration")).toHaveText("4.2s");
  await expect(failed).toHaveAttribute("data-collapsed", "false");
  await expect(failed.getByTestId("log-step-lines")).toHaveText(`${build.steps[last]!.lines.length} lines`);
  await failed.getByTestId("log-step-toggle").click();
  await expect(failed).toHaveAttribute("data-collapsed", "true");
  await expect(errorLine).toHaveCount(0);
  await failed.getByTestId("log-step-toggle").click();
  await expect(failed).toHaveAttribute("data-collapsed", "false");
  await expect(errorLine).toBeVisible();

  // The compile step from its link in the steps list: a header far up the log, 12m 34s long.
  const compile = build.steps.findIndex((s) => s.name.startsWith("Build bzImage"));
  await page.evaluate((i) => (window.location.hash = `#log-step-${i}`), compile);
  const compileHeader = page.locator(`#log-step-${compile}`);
  await expect(compileHeader).toBeInViewport();
  await expect(compileHeader.getByTestId("log-step-duration")).toHaveText("12m 34s");
  await expect(compileHeader.getByTestId("log-step-status")).toHaveText("succeeded");
  // Collapsed, its thousands of lines leave the log: the next step's header follows it.
  await compileHeader.getByTestId("log-step-toggle").click();
  await expect(page.locator(`#log-step-${compile + 1}`)).toBeInViewport();
  await expect(page.getByTestId("log-line").filter({ hasText: /\bCC\s+\S+\.o$/ })).toHaveCount(0);

  // Times from the build's start, and both downloads.
  await page.evaluate((n) => (window.location.hash = `#L${n}`), firstError);
  await expect(errorLine).toBeInViewport();
  await page.getByTestId("log-times").check();
  await expect(page.locator(`#L${firstError}`).getByTestId("log-time")).toHaveText(/^\+1[23]:\d\d\.\d$/);
  const raw = await page.request.get(`/api/v1/builds/${build.buildId}/log?format=text`);
  expect((await raw.text()).split("\n").length - 1).toBe(build.lines);
  const downloadPromise = page.waitForEvent("download");
  await page.getByTestId("log-download-gz").click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe(`build-${build.buildId}.log.gz`);
  const { gunzipSync } = await import("node:zlib");
  const { readFile } = await import("node:fs/promises");
  expect(gunzipSync(await readFile((await download.path())!)).toString()).toBe(build.text.join("\n") + "\n");
});
