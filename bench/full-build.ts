/**
 * kbuild on a full kernel build (bzImage + modules, Rust samples included).
 *
 *   node --import tsx bench/full-build.ts [--runs N] [--cold-runs N] [--only overhead|cache] [--smoke]
 *
 * (1) overhead: the same build (a) by hand — the argv sequence planBuild()
 *     produces with the worker's ccache, each command run directly through
 *     BwrapRuntime with the worker's mounts (profile paths and the tree
 *     read-only, a fresh /out, the ccache directory at /ccache) — and (b)
 *     through kbuild (submitBuild → BullMQ → a real worker process → terminal
 *     status; submit → the row's finishedAt). Both use the same warm ccache,
 *     warmed by one warm-up of each; then N pairs interleaved (a b, b a, ...).
 *     Reports medians, the median per-pair ratio b/a (goal ≤ 1.03) and added
 *     time b − a (goal ≤ 20 s), and where kbuild's time outside `make` goes
 *     (queue wait, configure steps, packaging + artifact collection), from the
 *     BuildStep rows.
 * (2) cache: through kbuild, a cold build (the profile's ccache directory
 *     removed right before) then the same build warm; cold/warm goal ≥ 5, with
 *     the ccache hits/misses from each build's metadata.json.
 *
 * --smoke builds no target (configure only, seconds): checks the plumbing.
 *
 * Uses its own database (kbuild_bench_full, dropped and re-migrated at start),
 * Redis database 12, key prefix kbuild-bench and a ccache directory of its own
 * under the OS tmpdir; starts one worker and stops it at the end.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { text } from "node:stream/consumers";
import pg from "pg";
import { artifactKey, artifactStore } from "../lib/artifacts";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { type CcacheStats, parseCcacheStatsLog } from "../lib/builds/ccache";
import { CCACHE_DIR, CCACHE_STATS_FILE, FRAGMENT_FILE, OUT_DIR, SOURCE_DIR, planBuild } from "../lib/builds/plan";
import { submitBuild } from "../lib/builds/service";
import { type BuildSpecInput, BuildSpecSchema, fragmentText } from "../lib/builds/spec";
import { loadConfig } from "../lib/config";
import { createDb } from "../lib/db/client";
import { parseDotConfig } from "../lib/kconfig/dotconfig";
import { redis as sharedRedis } from "../lib/redis";
import { loadProfiles } from "../lib/toolchain/profiles";
import { BwrapRuntime } from "../worker/runtimes/bwrap";
import {
  PREFIX,
  argFlag,
  argValue,
  benchEnv,
  clearRedisPrefix,
  installSignalHandlers,
  intArg,
  kernelSource,
  machine,
  median,
  resetDatabase,
  round,
  runCommands,
  startWorker,
  runBench,
  stopChildren,
  useEnv,
  waitForBuild,
} from "./common";

const env = benchEnv("full", "postgresql://postgres@127.0.0.1:5432/kbuild_bench_full", "redis://127.0.0.1:6379/12");
const runDir = path.dirname(env.KBUILD_WORK_DIR);
env.KBUILD_CCACHE_DIR = path.join(runDir, "ccache"); // the worker uses <dir>/<profile id>; the by-hand runs the same
// The worker keeps finished build directories here; (1) empties it before each build, so kbuild compiles as by hand.
env.KBUILD_BUILD_DIR_CACHE_DIR = path.join(runDir, "build-dirs");
env.KBUILD_BUILD_DIR_CACHE_ENTRIES = "4";
useEnv(env); // before anything calls lib/config's config()

const RUNS = intArg("runs", 3, 1, 50);
const COLD_RUNS = intArg("cold-runs", 1, 1, 20);
const ONLY = argValue("only");
if (ONLY !== undefined && ONLY !== "overhead" && ONLY !== "cache") throw new Error(`--only must be overhead or cache, got ${ONLY}`);
const SMOKE = argFlag("smoke");
const PROFILE = "debian-bookworm-llvm14";
const BUILD_TIMEOUT_MS = 90 * 60_000;
const POLL_MS = 500; // the time is read from the row's finishedAt, not limited by the poll
const GOAL = { ratio: 1.03, addedS: 20, coldOverWarm: 5 };

const SYMBOLS_Y = ["64BIT", "MODULES", "PRINTK", "TTY", "SERIAL_8250", "SERIAL_8250_CONSOLE", "BINFMT_ELF", "BINFMT_SCRIPT", "DEVTMPFS", "BLK_DEV_INITRD", "RUST", "SAMPLES", "SAMPLES_RUST"];
const specInput = (source: string): BuildSpecInput => ({
  source,
  profile: PROFILE,
  baseConfig: { kind: "target", target: "tinyconfig" },
  options: [...SYMBOLS_Y.map((symbol) => ({ symbol, value: "y" })), { symbol: "SAMPLE_RUST_MINIMAL", value: "m" }],
  targets: SMOKE ? [] : ["kernel", "modules"],
  jobs: 2,
});

/** Where a build's time goes; by hand, queue is 0 and the phases are the wall time of their commands. */
interface Phases {
  queueS: number;
  /** Start → make starts: toolchain probe … olddefconfig, check-config (and the fragment). */
  configureS: number;
  makeS: number;
  /** make's end → the end: modules-install, modules-tarball, artifact collection, closing the build. */
  packagingS: number;
}
const PHASES = ["queueS", "configureS", "makeS", "packagingS"] as const;

interface Run {
  totalS: number;
  phases: Phases;
  steps: Record<string, number>;
  ccache: CcacheStats | null;
  id?: string;
}

async function main() {
  const cfg = loadConfig();
  const stopByHand = new AbortController();
  installSignalHandlers(async () => {
    stopByHand.abort();
    await stopChildren();
    await clearRedisPrefix(env.REDIS_URL).catch(() => {});
    await rm(runDir, { recursive: true, force: true }).catch(() => {});
  });
  console.error(`bench database ${env.DATABASE_URL}, Redis ${env.REDIS_URL}, prefix ${PREFIX}, ccache ${env.KBUILD_CCACHE_DIR}${SMOKE ? " (smoke: configure only)" : ""}`);
  await resetDatabase(env.DATABASE_URL);
  await clearRedisPrefix(env.REDIS_URL);
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });

  const worker = await startWorker(env);
  const db = createDb(env.DATABASE_URL);
  const poller = new pg.Client({ connectionString: env.DATABASE_URL });
  await poller.connect();
  try {
    const { source, tree } = await kernelSource(db, cfg.sourceCacheDir);
    const profile = (await loadProfiles(cfg.extraProfileDirs)).get(PROFILE);
    if (!profile) throw new Error(`toolchain profile ${PROFILE} not found`);
    if (!profile.binaries.ccache) throw new Error(`toolchain profile ${PROFILE} has no ccache binary`);
    const cacheDir = path.join(cfg.ccacheDir, profile.id); // as worker/build-runner.ts
    const spec = BuildSpecSchema.parse(specInput(source.name));
    const commands = planBuild(spec, profile, { ccache: { binary: profile.binaries.ccache, maxSize: cfg.ccacheMaxSize } }).filter((s) => s.argv);
    const makeAt = commands.findIndex((s) => s.name === "make");
    const groups = makeAt < 0 ? [commands, [], []] : [commands.slice(0, makeAt), [commands[makeAt]!], commands.slice(makeAt + 1)];
    console.error(`by hand: ${commands.map((s) => s.name).join(" → ")}`);
    const runtime = new BwrapRuntime();
    let handCount = 0;

    const byHand = async (): Promise<Run> => {
      const outDir = path.join(runDir, "by-hand", String(++handCount), "out");
      const hostPath = (p: string) => path.join(outDir, path.relative(OUT_DIR, p));
      await mkdir(cacheDir, { recursive: true });
      const mounts = [
        ...profile.hostPaths.map((p) => ({ host: p, target: p, writable: false })),
        { host: tree, target: SOURCE_DIR, writable: false },
        { host: outDir, target: OUT_DIR, writable: true },
        { host: cacheDir, target: CCACHE_DIR, writable: true },
      ];
      const wall: number[] = [];
      const steps: Record<string, number> = {};
      for (const [i, group] of groups.entries()) {
        const started = performance.now();
        if (i === 0) {
          await mkdir(path.dirname(hostPath(FRAGMENT_FILE)), { recursive: true });
          await writeFile(hostPath(FRAGMENT_FILE), fragmentText(spec.options));
        }
        Object.assign(steps, await runCommands(runtime, group, mounts, stopByHand.signal));
        wall.push((performance.now() - started) / 1000);
      }
      const resolved = parseDotConfig(await readFile(path.join(outDir, ".config"), "utf8")).values;
      const dropped = spec.options.filter((o) => (resolved.get(o.symbol) ?? "n") !== o.value);
      if (dropped.length) throw new Error(`by hand: ${dropped.map((o) => `CONFIG_${o.symbol}=${o.value}`).join(", ")} did not survive olddefconfig`);
      const ccache = await readFile(hostPath(CCACHE_STATS_FILE), "utf8").then(parseCcacheStatsLog, () => null);
      await rm(path.dirname(outDir), { recursive: true, force: true });
      const [configureS, makeS, packagingS] = wall as [number, number, number];
      return { totalS: configureS + makeS + packagingS, phases: { queueS: 0, configureS, makeS, packagingS }, steps, ccache };
    };

    const buildDirs = env.KBUILD_BUILD_DIR_CACHE_DIR!;
    const throughKbuild = async (reuseBuildDir = false): Promise<Run> => {
      if (!reuseBuildDir) await rm(buildDirs, { recursive: true, force: true });
      const submitted = Date.now();
      const { id } = await submitBuild(db, DEFAULT_ACTOR, specInput(source.name));
      const status = await waitForBuild(poller, id, worker, BUILD_TIMEOUT_MS, POLL_MS);
      const b = await db.build.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { index: "asc" } } } });
      if (status !== "succeeded") throw new Error(`build ${id} ended ${status}: ${b.statusReason}\n${worker.tail()}`);
      const skipped = b.steps.filter((s) => s.status === "skipped");
      if (skipped.length) throw new Error(`build ${id} skipped ${skipped.map((s) => `${s.name} (${s.reason})`).join(", ")}: not the by-hand build`);
      const ms = (d: Date | null | undefined) => d?.getTime() ?? Number.NaN;
      const make = b.steps.find((s) => s.name === "make");
      const check = b.steps.find((s) => s.name === "check-config");
      const makeStart = ms(make ? make.startedAt : check?.finishedAt);
      const makeEnd = ms(make ? make.finishedAt : check?.finishedAt);
      const metadata = JSON.parse(await text(await artifactStore().read(artifactKey(id, "metadata.json")))) as { ccache?: CcacheStats | null };
      return {
        id,
        totalS: (ms(b.finishedAt) - submitted) / 1000,
        phases: {
          queueS: (ms(b.startedAt) - submitted) / 1000,
          configureS: (makeStart - ms(b.startedAt)) / 1000,
          makeS: (makeEnd - makeStart) / 1000,
          packagingS: (ms(b.finishedAt) - makeEnd) / 1000,
        },
        steps: Object.fromEntries(b.steps.map((s) => [s.name, (ms(s.finishedAt) - ms(s.startedAt)) / 1000])),
        ccache: metadata.ccache ?? null,
      };
    };

    const out: string[] = [];
    const say = (line = "") => out.push(line);
    const secs = (x: number) => `${x.toFixed(2)} s`;
    const signed = (x: number) => `${x >= 0 ? "+" : ""}${secs(x)}`;
    const verdict = (met: boolean) => (SMOKE ? "n/a (smoke)" : met ? "met" : "NOT met");
    const cc = (c: CcacheStats | null) => (c ? `${c.hits} hits/${c.misses} misses` : "no ccache stats");
    const col = (rows: Run[], f: (r: Run) => number) => rows.map(f);
    const summary: Record<string, unknown> = {
      bench: "full-build",
      machine: machine(),
      smoke: SMOKE,
      spec,
      kernel: source.version,
      byHandSteps: commands.map((s) => s.name),
    };
    say(`full build, Linux ${source.version}, ${spec.baseConfig.kind === "target" ? spec.baseConfig.target : "upload"} + ${spec.options.length} options, ` +
      `targets [${spec.targets.join(", ")}], -j${spec.jobs}, profile ${PROFILE} with ccache${SMOKE ? " (SMOKE: configure only, goals not meaningful)" : ""}`);

    if (ONLY !== "cache") {
      console.error("overhead: warm-up, one of each (not counted; warms the ccache)");
      const warmA = await byHand();
      const warmB = await throughKbuild();
      console.error(`  by hand ${secs(warmA.totalS)} (${cc(warmA.ccache)}), kbuild ${secs(warmB.totalS)} (${cc(warmB.ccache)})`);
      const a: Run[] = [];
      const b: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        const order = i % 2 === 0 ? ["a", "b"] : ["b", "a"];
        for (const which of order) (which === "a" ? a : b).push(which === "a" ? await byHand() : await throughKbuild());
        console.error(`run ${i + 1}/${RUNS} (${order.join(" ")}): by hand ${secs(a[i]!.totalS)}, kbuild ${secs(b[i]!.totalS)} (${signed(b[i]!.totalS - a[i]!.totalS)})`);
      }
      const ratios = a.map((ai, i) => b[i]!.totalS / ai.totalS);
      const added = a.map((ai, i) => b[i]!.totalS - ai.totalS);
      const phases = Object.fromEntries(
        PHASES.map((p) => [p, { byHandS: round(median(col(a, (r) => r.phases[p]))), kbuildS: round(median(col(b, (r) => r.phases[p]))), addedS: round(median(a.map((ai, i) => b[i]!.phases[p] - ai.phases[p]))) }]),
      ) as Record<(typeof PHASES)[number], { byHandS: number; kbuildS: number; addedS: number }>;
      // Every step's median; check-config and artifacts are kbuild's own (nothing by hand).
      const steps = Object.fromEntries(
        [...commands.map((s) => s.name), "check-config", "artifacts"].map((n) => [
          n,
          { byHandS: n in a[0]!.steps ? round(median(col(a, (r) => r.steps[n]!))) : null, kbuildS: round(median(col(b, (r) => r.steps[n] ?? Number.NaN))) },
        ]),
      );
      const med = { byHandS: round(median(col(a, (r) => r.totalS))), kbuildS: round(median(col(b, (r) => r.totalS))), ratio: round(median(ratios), 4), addedS: round(median(added)) };
      const met = med.ratio <= GOAL.ratio && med.addedS <= GOAL.addedS;
      summary.overhead = {
        runs: RUNS,
        warmup: { byHandS: round(warmA.totalS), kbuildS: round(warmB.totalS), byHandCcache: warmA.ccache, kbuildCcache: warmB.ccache },
        byHandS: col(a, (r) => round(r.totalS)),
        kbuildS: col(b, (r) => round(r.totalS)),
        builds: b.map((r) => r.id),
        median: med,
        goal: { ratio: GOAL.ratio, addedS: GOAL.addedS, met },
        /** Medians of each phase, and of the per-pair differences. */
        phases,
        steps,
        ccache: { byHand: a.map((r) => r.ccache), kbuild: b.map((r) => r.ccache) },
      };
      say(`(1) what kbuild adds, same warm ccache, ${RUNS} interleaved pair(s) (after 1 warm-up each)`);
      say(`  run   by hand     kbuild      added   ratio   ccache by hand / kbuild`);
      a.forEach((ai, i) =>
        say(`  ${String(i + 1).padStart(3)}  ${secs(ai.totalS).padStart(9)}  ${secs(b[i]!.totalS).padStart(9)}  ${signed(added[i]!).padStart(8)}  ${ratios[i]!.toFixed(3)}   ${cc(ai.ccache)} / ${cc(b[i]!.ccache)}`),
      );
      say(`  median: by hand ${secs(med.byHandS)}, kbuild ${secs(med.kbuildS)}; ratio ${med.ratio.toFixed(3)} (goal ≤ ${GOAL.ratio}), ` +
        `added ${signed(med.addedS)} (goal ≤ ${GOAL.addedS} s): ${verdict(met)}`);
      say(`  where kbuild's time goes (medians, kbuild vs by hand, added):`);
      for (const p of PHASES) say(`    ${p.replace(/S$/, "").padEnd(10)} ${secs(phases[p].kbuildS).padStart(9)} vs ${secs(phases[p].byHandS).padStart(9)}  ${signed(phases[p].addedS)}`);
      say(`    (packaging = make's end → finishedAt: ${[...groups[2]!.map((s) => s.name), "artifacts"].join(", ")}; artifacts alone ${secs(steps.artifacts!.kbuildS)})`);
      for (const [n, s] of Object.entries(steps)) say(`      ${n.padEnd(16)} in kbuild ${secs(s.kbuildS).padStart(9)}${s.byHandS === null ? "" : `, by hand ${secs(s.byHandS).padStart(9)}`}`);
    }

    if (ONLY !== "overhead") {
      if (ONLY === "cache") {
        console.error("cache: warm-up through kbuild (not counted; the tree and toolchain into the page cache)");
        await throughKbuild();
      }
      const pairs: { cold: Run; warm: Run }[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        await rm(cacheDir, { recursive: true, force: true });
        const cold = await throughKbuild();
        const warm = await throughKbuild(true);
        pairs.push({ cold, warm });
        console.error(`cold/warm ${i + 1}/${COLD_RUNS}: cold ${secs(cold.totalS)} (${cc(cold.ccache)}), warm ${secs(warm.totalS)} (${cc(warm.ccache)})`);
      }
      const ratios = pairs.map((p) => p.cold.totalS / p.warm.totalS);
      const med = {
        coldS: round(median(pairs.map((p) => p.cold.totalS))),
        warmS: round(median(pairs.map((p) => p.warm.totalS))),
        ratio: round(median(ratios), 2),
        makeRatio: round(median(pairs.map((p) => p.cold.phases.makeS / p.warm.phases.makeS)), 2),
      };
      summary.cache = {
        pairs: pairs.map((p) => ({
          cold: { build: p.cold.id, totalS: round(p.cold.totalS), makeS: round(p.cold.phases.makeS), ccache: p.cold.ccache },
          warm: { build: p.warm.id, totalS: round(p.warm.totalS), makeS: round(p.warm.phases.makeS), ccache: p.warm.ccache },
        })),
        median: med,
        goal: { coldOverWarm: GOAL.coldOverWarm, met: med.ratio >= GOAL.coldOverWarm },
      };
      say(`(2) cold vs warm rebuild of an unchanged config through kbuild, ${COLD_RUNS} pair(s) (cold: the profile's ccache removed first)`);
      say(`  pair    cold (make)              warm (make)             cold/warm   ccache cold / warm`);
      pairs.forEach((p, i) =>
        say(`  ${String(i + 1).padStart(4)}  ${secs(p.cold.totalS).padStart(9)} (${secs(p.cold.phases.makeS)})  ${secs(p.warm.totalS).padStart(9)} (${secs(p.warm.phases.makeS)})  ` +
          `${ratios[i]!.toFixed(2).padStart(7)}     ${cc(p.cold.ccache)} / ${cc(p.warm.ccache)}`),
      );
      say(`  median: cold ${secs(med.coldS)}, warm ${secs(med.warmS)}, cold/warm ${med.ratio.toFixed(2)} (make alone ${SMOKE ? "n/a" : med.makeRatio.toFixed(2)}); ` +
        `goal ≥ ${GOAL.coldOverWarm}: ${verdict(med.ratio >= GOAL.coldOverWarm)} (by hand: 374 s → 72 s)`);
    }

    console.log(JSON.stringify(summary, null, 2));
    console.log("");
    for (const line of out) console.log(line);
    // A smoke run's numbers mean nothing: they never replace the results of a real run.
    const resultsDir = SMOKE ? path.join(os.tmpdir(), "kbuild-bench-full-smoke") : path.join(import.meta.dirname, "results");
    await mkdir(resultsDir, { recursive: true });
    await writeFile(path.join(resultsDir, "full-build.json"), JSON.stringify(summary, null, 2) + "\n");
    await writeFile(path.join(resultsDir, "full-build.txt"), out.join("\n") + "\n");
    console.error(`results in ${resultsDir}/full-build.{json,txt}`);
  } finally {
    await worker.stop();
    sharedRedis().disconnect(); // submitBuild's queue connection
    await db.$disconnect();
    await poller.end().catch(() => {});
    await clearRedisPrefix(env.REDIS_URL).catch(() => {});
    await rm(runDir, { recursive: true, force: true }).catch(() => {});
  }
}

runBench("full-build", main);
