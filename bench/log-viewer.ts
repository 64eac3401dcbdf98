import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Page, chromium } from "@playwright/test";
import { createDb } from "../lib/db/client";
import { type LoggedStep, createLoggedBuild, fixtureLog, kernelBuildSteps } from "../test/logged-build";
import {
  PREFIX,
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
  startNextServer,
  stopChildren,
  useEnv,
} from "./common";
import { benchSessionHeaders } from "./session";

/**
 * The log viewer in Chromium on a 1,000,000-line kernel build log, against
 * the same measurements on a 10,000-line one (the baseline), interleaved, each
 * open in a fresh browser context, through the real app (`next start`, the
 * log's SSE route, the build page):
 *
 * - first screen: navigation → the first log line painted;
 * - all lines: navigation → the whole log received and laid out;
 * - search: typing a query → its count shown (every line searched), then
 *   Enter → the first match marked and highlighted on screen;
 * - scrolling: frame times from requestAnimationFrame while the log scrolls
 *   (steady wheel-like steps plus long jumps), and the long tasks
 *   (PerformanceObserver) in that time;
 * - the page's JS heap after a garbage collection.
 *
 * The log: the real kernel build log of test/fixtures/logs cut into its
 * steps, its compile output repeated to the size wanted, with the real
 * warnings of the fixtures every ~5,000 lines coloured as gcc and rustc colour
 * them, and a last step that fails with the real rustc and gcc errors.
 *
 *   node --import tsx bench/log-viewer.ts [--runs N] [--lines N] [--build]    # default 3 runs, 1,000,000 lines
 */

const env = benchEnv("log-viewer", "postgresql://postgres@127.0.0.1:5432/kbuild_bench_viewer", "redis://127.0.0.1:6379/11");
const RUNS = intArg("runs", 3, 1, 20);
const BIG = intArg("lines", 1_000_000, 20_000, 5_000_000);
const BASELINE = 10_000;
const QUERY = "mismatched types";

const E = "\u001b";
/** gcc's and rustc's colours for a diagnostic's severity, as they print them on a terminal. */
function coloured(line: string): string {
  return line
    .replace(/^([^ ]+:\d+:\d+: )?(warning|error)(\[\w+\])?:/, (_m, where = "", sev: string, code = "") => {
      const colour = sev === "error" ? "01;31" : "01;35";
      return `${where ? `${E}[01m${E}[K${where}${E}[m${E}[K` : ""}${E}[${colour}m${E}[K${sev}${code}:${E}[m${E}[K`;
    });
}

function kernelLog(total: number): LoggedStep[] {
  const steps = kernelBuildSteps();
  const compile = steps.findIndex((s) => s.name.startsWith("Build bzImage"));
  const failing = [...fixtureLog("rust-type-error"), ...fixtureLog("c-error-note")];
  const warnings = [fixtureLog("c-warning"), fixtureLog("rust-warning"), fixtureLog("header-warning-twice")];
  // The compile step's first line is counted in `lines` below.
  const fixed = steps.reduce((a, s, i) => a + (i === compile ? 0 : s.lines.length), 0) + failing.length;
  const body = steps[compile]!.lines.slice(1);
  const lines: string[] = [steps[compile]!.lines[0]!];
  for (let i = 0, w = 0; lines.length < total - fixed; i++) {
    lines.push(coloured(body[i % body.length]!));
    if (i % 5000 === 4999) for (const l of warnings[w++ % warnings.length]!) if (lines.length < total - fixed) lines.push(coloured(l));
  }
  return [
    ...steps.map((s, i): LoggedStep => (i === compile ? { name: s.name, status: "succeeded", lines, durationMs: 40 * 60_000 } : { name: s.name, status: "succeeded", lines: s.lines, durationMs: 2_000 })),
    { name: "Build the module", status: "failed", lines: failing.map(coloured), durationMs: 4_000 },
  ];
}

interface Measure {
  firstScreenMs: number;
  allLinesMs: number;
  searchMs: number;
  jumpMs: number;
  frameP50Ms: number;
  frameP95Ms: number;
  frames: number;
  longTasks: number;
  longTaskMs: number;
  heapMiB: number;
}

/** In the page: the log's rows watched from navigation start; resolves to the ms at which the first one is painted. */
const FIRST_LINE = `new Promise((resolve) => {
  const check = () => (document.querySelector('[data-testid="log-line"]') ? requestAnimationFrame(() => resolve(performance.now())) : requestAnimationFrame(check));
  check();
})`;

/** In the page: scrolls the log for `frames` frames and reports each frame's time and the long tasks meanwhile. */
const SCROLL = `(async () => {
  const el = document.querySelector('[role="log"]');
  const tasks = [];
  const po = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push(e.duration); });
  po.observe({ type: "longtask" });
  el.scrollTop = 0;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const frames = [];
  let last = performance.now();
  for (let i = 0; i < 360; i++) {
    // Steady scrolling (about a wheel notch a frame), with a long jump (a drag of the scrollbar) every 60 frames.
    if (i % 60 === 59) el.scrollTop = Math.random() * (el.scrollHeight - el.clientHeight);
    else el.scrollTop += 120;
    const now = await new Promise((r) => requestAnimationFrame(r));
    frames.push(now - last);
    last = now;
  }
  await new Promise((r) => setTimeout(r, 100));
  po.disconnect();
  return { frames, tasks };
})()`;

async function measure(browser: import("@playwright/test").Browser, session: { cookie: string }, url: string, lines: number): Promise<Measure> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, extraHTTPHeaders: session });
  const page: Page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: "commit" });
    const firstScreenMs = (await page.evaluate(FIRST_LINE)) as number;
    await page.getByTestId("log-line-count").filter({ hasText: `${lines.toLocaleString("en-US")} lines` }).waitFor({ timeout: 10 * 60_000 });
    await page.locator('[data-testid="log-viewer"][data-state="ended"]').waitFor({ timeout: 10 * 60_000 });
    const allLinesMs = (await page.evaluate("performance.now()")) as number;

    // Search: the time from the input event to the count, measured in the page.
    await page.evaluate(`document.querySelector('[data-testid="log-search"]').addEventListener("input", () => (window.__searchStart = performance.now()), { once: true })`);
    await page.getByTestId("log-search").fill(QUERY);
    const searchMs = (await page.evaluate(`new Promise((resolve) => {
      const check = () => {
        const c = document.querySelector('[data-testid="log-search-count"]');
        if (c && / found$/.test(c.textContent)) resolve(performance.now() - window.__searchStart);
        else requestAnimationFrame(check);
      };
      check();
    })`)) as number;
    await page.evaluate(`document.querySelector('[data-testid="log-search"]').addEventListener("keydown", () => (window.__jumpStart = performance.now()), { once: true })`);
    await page.getByTestId("log-search").press("Enter");
    const jumpMs = (await page.evaluate(`new Promise((resolve) => {
      const box = document.querySelector('[role="log"]').getBoundingClientRect();
      const check = () => {
        const m = document.querySelector(".log-line.is-target mark.log-match");
        const r = m && m.getBoundingClientRect();
        if (r && r.top >= box.top && r.bottom <= box.bottom) resolve(performance.now() - window.__jumpStart);
        else requestAnimationFrame(check);
      };
      check();
    })`)) as number;
    await page.getByTestId("log-search").fill("");

    const { frames, tasks } = (await page.evaluate(SCROLL)) as { frames: number[]; tasks: number[] };
    const cdp = await context.newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("Performance.enable");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const heap = metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? NaN;
    return {
      firstScreenMs,
      allLinesMs,
      searchMs,
      jumpMs,
      frameP50Ms: median(frames),
      frameP95Ms: percentile(frames, 95),
      frames: frames.length,
      longTasks: tasks.length,
      longTaskMs: tasks.reduce((a, b) => a + b, 0),
      heapMiB: heap / 2 ** 20,
    };
  } finally {
    await context.close();
  }
}

function summarize(ms: Measure[]) {
  const keys = Object.keys(ms[0]!) as (keyof Measure)[];
  return Object.fromEntries(keys.map((k) => [k, round(median(ms.map((m) => m[k])), 1)])) as Record<keyof Measure, number>;
}

async function main() {
  installSignalHandlers(stopChildren);
  useEnv(env);
  await resetDatabase(env.DATABASE_URL);
  await clearRedisPrefix(env.REDIS_URL);
  const db = createDb(env.DATABASE_URL);
  const sourceId = "bench-log-viewer";
  await db.kernelSource.create({ data: { id: sourceId, name: sourceId, kind: "directory", location: "/nonexistent", status: "ready" } });
  console.error(`storing a ${BIG.toLocaleString("en-US")}-line log and a ${BASELINE.toLocaleString("en-US")}-line one ...`);
  const big = await createLoggedBuild(db, { sourceId, prefix: PREFIX, status: "failed", steps: kernelLog(BIG) });
  const small = await createLoggedBuild(db, { sourceId, prefix: PREFIX, status: "failed", steps: kernelLog(BASELINE) });
  await db.$disconnect();
  const { base } = await startNextServer(env, argFlag("build"));
  // The install's first user: they inherit the default team, which owns the builds written above.
  const session = await benchSessionHeaders(base);
  const browser = await chromium.launch({
    executablePath: process.env.KBUILD_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const open = (b: { buildId: string; lines: number }) => measure(browser, session, `${base}/builds/${b.buildId}`, b.lines);

  // A warm-up (compiled routes, server caches), then interleaved pairs.
  await open(small);
  const bigRuns: Measure[] = [];
  const smallRuns: Measure[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const which of i % 2 ? ["small", "big"] : ["big", "small"]) {
      const m = which === "big" ? await open(big) : await open(small);
      (which === "big" ? bigRuns : smallRuns).push(m);
      console.error(`run ${i + 1} ${which}: ${JSON.stringify(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v, 1)])))}`);
    }
  }
  await browser.close();

  const b = summarize(bigRuns);
  const s = summarize(smallRuns);
  const summary = {
    machine: machine(),
    runs: RUNS,
    query: QUERY,
    lines: { big: big.lines, baseline: small.lines },
    big: b,
    baseline: s,
    ratio: Object.fromEntries((Object.keys(b) as (keyof Measure)[]).map((k) => [k, s[k] ? round(b[k] / s[k], 2) : null])),
    goals: { firstScreenMs: 1000, searchMs: 500 },
  };
  const dir = path.join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "log-viewer.json"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(JSON.stringify(summary, null, 2));
  await stopChildren();
}

runBench("log-viewer", main);
