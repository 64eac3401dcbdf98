import { mkdirSync, writeFileSync } from "node:fs";
import { benchSessionHeaders } from "./session";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { chromium } from "@playwright/test";
import {
  argFlag,
  benchEnv,
  clearRedisPrefix,
  installSignalHandlers,
  intArg,
  machine,
  median,
  percentile,
  resetDatabase,
  round,
  runBench,
  sleep,
  startNextServer,
  startWorker,
  stopChildren,
  useEnv,
} from "./common";

/**
 * How long the configurator takes to become usable in Chromium once the
 * model of (6.1, x86_64, Debian's profile) is prepared: from navigation to the
 * search box answering a query ("RUST" listing CONFIG_RUST). The baseline, in
 * the same run and interleaved, is the new-build page until its source list is
 * filled. Every open is a fresh browser context (nothing cached in the browser).
 *
 *   node --import tsx bench/configurator-open.ts [--runs N] [--build]     # default 5; --build: next build first
 */

const env = benchEnv("configurator", "postgresql://postgres@127.0.0.1:5432/kbuild_bench_cfg", "redis://127.0.0.1:6379/14");
const RUNS = intArg("runs", 5, 1, 50);
const PROFILE = "debian-bookworm-llvm14";

async function main() {
  installSignalHandlers(stopChildren);
  useEnv(env);
  await resetDatabase(env.DATABASE_URL);
  await clearRedisPrefix(env.REDIS_URL);
  await startWorker(env);
  const { base } = await startNextServer(env, argFlag("build"));

  const session = await benchSessionHeaders(base);
  const sources = (await (await fetch(`${base}/api/v1/sources`, { headers: session })).json()) as { items?: { name: string; version: string }[] } | { name: string; version: string }[];
  const list = Array.isArray(sources) ? sources : (sources.items ?? []);
  const source = list.find((s) => s.version?.startsWith("6.1."))?.name;
  if (!source) throw new Error(`no 6.1 source registered: ${JSON.stringify(sources)}`);

  console.error(`preparing the model of ${source} (x86_64, ${PROFILE}) ...`);
  const modelUrl = `${base}/api/v1/sources/${encodeURIComponent(source)}/kconfig?arch=x86_64&profile=${PROFILE}`;
  const t0 = performance.now();
  for (const until = Date.now() + 15 * 60_000; ; ) {
    const res = await fetch(modelUrl, { headers: session });
    const bytes = (await res.arrayBuffer()).byteLength;
    if (res.status === 200) {
      console.error(`model ready after ${round((performance.now() - t0) / 1000, 1)} s (${round(bytes / 2 ** 20, 1)} MiB)`);
      break;
    }
    if (res.status !== 202) throw new Error(`the model API answered ${res.status}`);
    if (Date.now() > until) throw new Error("the model was not ready within 15 minutes");
    await sleep(2000);
  }

  const browser = await chromium.launch({ executablePath: process.env.KBUILD_CHROMIUM ?? "/usr/bin/chromium" });
  const phases: Record<string, number>[] = [];
  const open = async (url: string, ready: (page: import("@playwright/test").Page) => Promise<void>) => {
    const context = await browser.newContext({ extraHTTPHeaders: session });
    const page = await context.newPage();
    const t = performance.now();
    await page.goto(url);
    await ready(page);
    const ms = performance.now() - t;
    if (url === configuratorUrl) phases.push((await page.evaluate(PAGE_PHASES)) as Record<string, number>);
    await context.close();
    return ms;
  };
  const configurator = (page: import("@playwright/test").Page) =>
    (async () => {
      await page.getByTestId("kconfig-search").waitFor({ timeout: 60_000 });
      await page.evaluate(() => performance.mark("bench:search-shown"));
      await page.getByTestId("kconfig-search").fill("RUST", { timeout: 60_000 });
      await page.getByTestId("result-RUST").waitFor({ timeout: 60_000 });
      await page.evaluate(() => performance.mark("bench:result-shown"));
    })();
  const newBuild = (page: import("@playwright/test").Page) => page.getByTestId("source-select").locator("option").first().waitFor({ state: "attached", timeout: 60_000 });
  const configuratorUrl = `${base}/sources/${encodeURIComponent(source)}/configure?profile=${PROFILE}&base=defconfig`;

  // One warm-up each (server-side caches, compiled routes), then interleaved pairs.
  await open(`${base}/builds/new`, newBuild);
  await open(configuratorUrl, configurator);
  const usable: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 ? ["b", "c"] : ["c", "b"];
    for (const which of order) {
      if (which === "c") usable.push(await open(configuratorUrl, configurator));
      else baseline.push(await open(`${base}/builds/new`, newBuild));
    }
    console.error(`run ${i + 1}: configurator ${Math.round(usable.at(-1)!)} ms, new-build page ${Math.round(baseline.at(-1)!)} ms`);
  }
  await browser.close();

  const summary = {
    machine: machine(),
    runs: RUNS,
    source,
    profile: PROFILE,
    configuratorUsableMs: { median: Math.round(median(usable)), p95: Math.round(percentile(usable, 95)) },
    // Medians, in ms from navigation start, of where the configurator's time goes.
    configuratorPhasesMs: Object.fromEntries(Object.keys(phases[0] ?? {}).map((k) => [k, Math.round(median(phases.map((p) => p[k]!)))])),
    newBuildPageMs: { median: Math.round(median(baseline)), p95: Math.round(percentile(baseline, 95)) },
    ratio: round(median(usable) / median(baseline), 2),
    goalMs: 2000,
  };
  const dir = path.join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "configurator-open.json"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(JSON.stringify(summary, null, 2));
  await stopChildren();
}

/**
 * In the page: the configurator's marks and the model's download, in ms from
 * navigation start. A string, not a function: the bench's loader would wrap a
 * function's inner names with a helper the page does not have.
 */
const PAGE_PHASES = `(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const outline = performance.getEntriesByType("resource").find((r) => /\\/kconfig\\?.*part=outline/.test(r.name));
  const mark = (name) => performance.getEntriesByName(name)[0];
  const evaluated = mark("kconfig:evaluated");
  const detail = (evaluated && evaluated.detail) || {};
  const at = (m) => (m ? m.startTime : -1);
  return {
    domContentLoaded: nav.domContentLoadedEventEnd,
    outlineRequested: outline ? outline.requestStart : -1,
    outlineDownloaded: outline ? outline.responseEnd : -1,
    outlineBytesOnWire: outline ? outline.transferSize : -1,
    outlineParsed: at(mark("kconfig:model-parsed")),
    workerLoadPosted: at(mark("kconfig:worker-load-posted")),
    workerInitPosted: at(mark("kconfig:worker-init-posted")),
    workerLoad: detail.loadMs ?? -1,
    workerEvaluate: detail.evaluateMs ?? -1,
    evaluated: at(evaluated),
    searchShown: at(mark("bench:search-shown")),
    resultShown: at(mark("bench:result-shown")),
  };
})()`;

runBench("configurator-open", main);
