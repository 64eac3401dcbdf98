import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, test } from "@playwright/test";

/**
 * The build history filtered in the browser: three configure-only builds of
 * this spec (with Rust; without; with Rust and a sample that cannot be a module
 * without CONFIG_MODULES, so it fails its configuration check), narrowed down
 * by text search, the resolved-option filter and the status, each view a link.
 */

const TOKEN = `-hist${randomUUID().slice(0, 8)}`;

async function source61(request: APIRequestContext): Promise<string> {
  const sources = (await (await request.get("/api/v1/sources")).json()) as { name: string; version: string | null; status: string }[];
  const found = sources.find((s) => s.status === "ready" && s.version?.startsWith("6.1."));
  expect(found, "a ready 6.1 source").toBeTruthy();
  return found!.name;
}

async function submit(request: APIRequestContext, source: string, options: { symbol: string; value: string }[]): Promise<string> {
  const res = await request.post("/api/v1/builds", {
    data: {
      source,
      profile: "debian-bookworm-llvm14",
      baseConfig: { kind: "target", target: "tinyconfig" },
      // The token is in every build's requested options, so the text search finds exactly these.
      options: [{ symbol: "LOCALVERSION", value: `"${TOKEN}"` }, ...options],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function ended(request: APIRequestContext, id: string): Promise<string> {
  let status = "";
  await expect
    .poll(async () => (status = ((await (await request.get(`/api/v1/builds/${id}`)).json()) as { status: string }).status), { timeout: 15 * 60_000, intervals: [2_000] })
    .toMatch(/^(succeeded|failed|error|canceled)$/);
  return status;
}

test("filter the history by text, resolved option and status", async ({ page, request }) => {
  // Three configure-only builds take seconds each, but minutes on a loaded two-core machine.
  test.setTimeout(30 * 60_000);
  const source = await source61(request);
  const rust = await submit(request, source, [{ symbol: "RUST", value: "y" }]);
  const plain = await submit(request, source, [{ symbol: "64BIT", value: "y" }]);
  const dropped = await submit(request, source, [
    { symbol: "RUST", value: "y" },
    { symbol: "SAMPLES", value: "y" },
    { symbol: "SAMPLES_RUST", value: "y" },
    { symbol: "SAMPLE_RUST_MINIMAL", value: "m" },
  ]);
  expect(await ended(request, rust)).toBe("succeeded");
  expect(await ended(request, plain)).toBe("succeeded");
  expect(await ended(request, dropped)).toBe("failed");

  const rows = page.locator('[data-testid^="build-row-"]');
  const shown = async () => (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-testid")!.slice("build-row-".length)))).sort();

  await page.goto("/");
  await page.getByTestId("filter-q").fill(TOKEN);
  await page.getByTestId("filter-apply").click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${TOKEN}`));
  await expect(rows).toHaveCount(3);
  expect(await shown()).toEqual([rust, plain, dropped].sort());
  await expect(page.getByTestId("history-chart")).toHaveAttribute("data-total", "3");

  // What the builds resolved, not only what they asked for: the failed one still resolved Rust.
  await page.getByTestId("filter-option").fill("CONFIG_RUST=y");
  await page.getByTestId("filter-apply").click();
  await expect(page).toHaveURL(/option=CONFIG_RUST%3Dy/);
  await expect(rows).toHaveCount(2);
  expect(await shown()).toEqual([rust, dropped].sort());

  await page.getByTestId("filter-status").selectOption("failed");
  await page.getByTestId("filter-apply").click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(rows).toHaveCount(1);
  expect(await shown()).toEqual([dropped]);
  await expect(page.getByTestId(`build-row-${dropped}`)).toContainText("failed");

  // The view is a link: a fresh page at the same URL shows the same, with the form filled in.
  const link = page.url();
  const again = await page.context().newPage();
  await again.goto(link);
  await expect(again.locator('[data-testid^="build-row-"]')).toHaveCount(1);
  await expect(again.getByTestId(`build-row-${dropped}`)).toBeVisible();
  await expect(again.getByTestId("filter-option")).toHaveValue("CONFIG_RUST=y");
  await expect(again.getByTestId("filter-status")).toHaveValue("failed");
  await again.close();

  // n: neither built in nor a module.
  await page.getByTestId("filter-status").selectOption("");
  await page.getByTestId("filter-option").fill("CONFIG_RUST=n");
  await page.getByTestId("filter-apply").click();
  // The previous view also had one row: wait for the new one before reading it.
  await expect(page).toHaveURL(/option=CONFIG_RUST%3Dn/);
  await expect(page).not.toHaveURL(/status=/);
  await expect(page.getByTestId(`build-row-${plain}`)).toBeVisible();
  await expect(rows).toHaveCount(1);
  expect(await shown()).toEqual([plain]);

  // A filter the server cannot read says which part is wrong, on the page and in the API.
  await page.getByTestId("filter-option").fill("RUST");
  await page.getByTestId("filter-apply").click();
  await expect(page.getByTestId("history-bad-filter")).toContainText("bad option");
  const bad = await request.get("/api/v1/builds?status=exploded");
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: string }).error).toMatch(/^bad status: /);
});
