/**
 * How long a user waits for an out-of-tree module: submit → the .ko ready,
 * against a finished kernel build, measured against the same `make` by hand.
 *
 *   node --import tsx bench/module-build.ts [--runs N] [--runtime docker|bwrap] [--fresh]
 *
 * The module: the article's hello world from the 6.1 template (two files).
 * (a) kbuild: submitModuleBuild → BullMQ → a real worker → the build's
 *     terminal status; the time is the row's createdAt → finishedAt (one host
 *     clock): queue, module files, kit lookup, sandbox, toolchain probe, make,
 *     modinfo, artifacts (the .ko, build.log.gz, metadata.json) and closing the
 *     build. The worker runs module builds in containers (--runtime docker, the
 *     default where an engine answers) or in bubblewrap.
 * (b) by hand: `make -C <kit> M=<module> LLVM=1 modules` in a bubblewrap
 *     sandbox with the same mounts (tree at /src, kit at /out, the module at
 *     /module), on a fresh copy of the files: what the make itself costs.
 * One warm-up of each first; the worker's first module build of a kernel also
 * fetches and unpacks the module kit, reported on its own. Then N pairs
 * (default 5), a b, b a, ...; medians. Goal: (a) ≤ 10 s.
 *
 * The kernel build it needs (tinyconfig + Rust, kernel and module kit) is made
 * once and kept in the bench's database and artifact store for later runs
 * (--fresh drops them and builds it again); it uses the bench's own compiler
 * cache (KBUILD_BENCH_CCACHE_DIR to name another). Own database
 * kbuild_bench_module, Redis database 15, prefix kbuild-bench; or, with
 * KBUILD_BENCH_DATABASE_URL and KBUILD_BENCH_ARTIFACTS_DIR, the kernel build
 * kept in another database and artifact store (nothing there is dropped).
 */
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { stepEnvironment } from "../lib/builds/plan";
import { submitBuild } from "../lib/builds/service";
import { loadConfig } from "../lib/config";
import { createDb } from "../lib/db/client";
import { moduleMakeArgv, moduleMounts } from "../lib/modules/plan";
import { submitModuleBuild } from "../lib/modules/service";
import { templatesFor } from "../lib/modules/templates";
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
  runBench,
  startWorker,
  stopChildren,
  useEnv,
  waitForBuild,
} from "./common";

const env = benchEnv("module", "postgresql://postgres@127.0.0.1:5432/kbuild_bench_module", "redis://127.0.0.1:6379/15");
const runDir = path.dirname(env.KBUILD_WORK_DIR);
env.KBUILD_CCACHE_DIR = process.env.KBUILD_BENCH_CCACHE_DIR ?? path.join(runDir, "ccache");
// With KBUILD_BENCH_DATABASE_URL, the store of the database's builds: measure against a kernel built elsewhere.
if (process.env.KBUILD_BENCH_ARTIFACTS_DIR) env.KBUILD_ARTIFACTS_DIR = process.env.KBUILD_BENCH_ARTIFACTS_DIR;
const RUNTIME = argValue("runtime") ?? "docker";
if (RUNTIME !== "docker" && RUNTIME !== "bwrap") throw new Error(`--runtime must be docker or bwrap, got ${RUNTIME}`);
env.KBUILD_RUNTIME = RUNTIME;
useEnv(env);

const RUNS = intArg("runs", 5, 1, 50);
const FRESH = argFlag("fresh");
const PROFILE = "debian-bookworm-llvm14";
const GOAL_S = 10;
const KERNEL_OPTIONS = ["64BIT", "MODULES", "PRINTK", "TTY", "SERIAL_8250", "SERIAL_8250_CONSOLE", "BINFMT_ELF", "BINFMT_SCRIPT", "DEVTMPFS", "BLK_DEV_INITRD", "RUST"];

interface Run {
  totalS: number;
  steps: Record<string, number>;
  queueS: number;
}

async function main() {
  const cfg = loadConfig();
  installSignalHandlers(async () => {
    await stopChildren();
    await clearRedisPrefix(env.REDIS_URL).catch(() => {});
  });
  const db = createDb(env.DATABASE_URL);
  const kept = FRESH ? null : await keptKernel(db).catch(() => null);
  if (!kept) {
    console.error("no kernel build kept from an earlier run: starting afresh");
    await db.$disconnect();
    await resetDatabase(env.DATABASE_URL);
    await rm(runDir, { recursive: true, force: true, maxRetries: 2 }).catch(() => {});
    await mkdir(path.join(runDir), { recursive: true });
  }
  await clearRedisPrefix(env.REDIS_URL);
  await rm(env.KBUILD_WORK_DIR, { recursive: true, force: true }); // kits unpacked by an earlier worker: the first build fetches it again

  const worker = await startWorker(env);
  const dbc = createDb(env.DATABASE_URL);
  const poller = new pg.Client({ connectionString: env.DATABASE_URL });
  await poller.connect();
  try {
    const { source, tree } = await kernelSource(dbc, cfg.sourceCacheDir);
    const profile = (await loadProfiles(cfg.extraProfileDirs)).get(PROFILE)!;
    let kernelId = kept;
    if (!kernelId) {
      console.error("building the kernel and its module kit (once; kept for later runs)...");
      const t0 = performance.now();
      const { id } = await submitBuild(dbc, DEFAULT_ACTOR, {
        source: source.name,
        profile: PROFILE,
        baseConfig: { kind: "target", target: "tinyconfig" },
        options: KERNEL_OPTIONS.map((symbol) => ({ symbol, value: "y" })),
        targets: ["kernel", "module-kit"],
        jobs: 2,
      });
      const status = await waitForBuild(poller, id, worker, 90 * 60_000, 2000);
      if (status !== "succeeded") throw new Error(`the kernel build ${id} ${status}`);
      console.error(`kernel build ${id} in ${round((performance.now() - t0) / 1000, 1)} s`);
      kernelId = id;
    }
    const files = templatesFor(source.version!).find((t) => t.name === "hello-world")!.files;

    const kbuild = async (): Promise<Run> => {
      const { id } = await submitModuleBuild(dbc, DEFAULT_ACTOR, kernelId!, { files });
      const status = await waitForBuild(poller, id, worker, 10 * 60_000, 50);
      const b = await dbc.build.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { index: "asc" } } } });
      if (status !== "succeeded") throw new Error(`module build ${id} ${status}: ${b.statusReason}`);
      const steps = Object.fromEntries(b.steps.map((s) => [s.name, round((s.finishedAt!.getTime() - s.startedAt!.getTime()) / 1000)]));
      return { totalS: (b.finishedAt!.getTime() - b.createdAt.getTime()) / 1000, queueS: (b.startedAt!.getTime() - b.createdAt.getTime()) / 1000, steps };
    };

    const kit = path.join(env.KBUILD_WORK_DIR, "module-kits", kernelId);
    const runtime = new BwrapRuntime();
    const byHand = async (): Promise<Run> => {
      const dir = path.join(runDir, "by-hand");
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      for (const f of files) await writeFile(path.join(dir, f.path), f.content);
      const t0 = performance.now();
      const lines: string[] = [];
      const result = await runtime.run({
        argv: moduleMakeArgv(profile, "x86_64", 2),
        env: stepEnvironment(profile),
        cwd: "/module",
        mounts: [...profile.hostPaths.map((p) => ({ host: p, target: p, writable: false })), ...moduleMounts(tree, kit, dir)],
        signal: new AbortController().signal,
        onLine: (l) => lines.push(l),
      });
      const totalS = (performance.now() - t0) / 1000;
      if (result.exitCode !== 0) throw new Error(`make by hand exited ${result.exitCode}:\n${lines.slice(-20).join("\n")}`);
      await readFile(path.join(dir, "hello_world.ko"));
      return { totalS, queueS: 0, steps: { make: round(totalS) } };
    };

    console.error("warm-up: the first module build (fetches the kit), then make by hand");
    const first = await kbuild();
    console.error(`  kbuild, kit fetched: ${round(first.totalS, 2)} s ${JSON.stringify(first.steps)}`);
    await byHand();
    const a: Run[] = [];
    const b: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 === 0 ? [true, false] : [false, true];
      for (const isKbuild of order) {
        const r = isKbuild ? await kbuild() : await byHand();
        (isKbuild ? a : b).push(r);
        console.error(`  run ${i + 1} ${isKbuild ? "kbuild " : "by hand"}: ${round(r.totalS, 2)} s ${JSON.stringify(r.steps)}`);
      }
    }
    const stepNames = Object.keys(a[0]!.steps);
    const summary = {
      bench: "module-build",
      machine: machine(),
      runtime: RUNTIME,
      runs: RUNS,
      kernelBuild: kernelId,
      firstWithKitFetchS: round(first.totalS, 2),
      kbuild: { medianS: round(median(a.map((r) => r.totalS)), 2), queueMedianS: round(median(a.map((r) => r.queueS)), 3), steps: Object.fromEntries(stepNames.map((n) => [n, round(median(a.map((r) => r.steps[n] ?? 0)), 3)])), runsS: a.map((r) => round(r.totalS, 2)) },
      byHand: { medianS: round(median(b.map((r) => r.totalS)), 2), runsS: b.map((r) => round(r.totalS, 2)) },
      goalS: GOAL_S,
    };
    const meets = summary.kbuild.medianS <= GOAL_S;
    const out = [
      `module build (hello world, 6.1), ${RUNS} pairs, worker runtime ${RUNTIME}, ${summary.machine.cpus} CPUs, load ${summary.machine.loadavg.join(" ")}`,
      `  kbuild submit → .ko ready: median ${summary.kbuild.medianS} s (runs ${summary.kbuild.runsS.join(", ")}) — goal ≤ ${GOAL_S} s: ${meets ? "met" : "NOT met"}`,
      `    queue ${summary.kbuild.queueMedianS} s; steps (median): ${Object.entries(summary.kbuild.steps).map(([n, s]) => `${n} ${s} s`).join(", ")}`,
      `  the first module build of the kernel on a worker (kit fetched and unpacked): ${summary.firstWithKitFetchS} s`,
      `  make by hand (bubblewrap, same mounts): median ${summary.byHand.medianS} s (runs ${summary.byHand.runsS.join(", ")})`,
      `  kbuild adds ${round(summary.kbuild.medianS - summary.byHand.medianS, 2)} s to the make`,
    ];
    console.log(JSON.stringify(summary, null, 2));
    console.log(out.join("\n"));
    const resultsDir = path.join(import.meta.dirname, "results");
    await mkdir(resultsDir, { recursive: true });
    await writeFile(path.join(resultsDir, "module-build.json"), JSON.stringify(summary, null, 2) + "\n");
    await writeFile(path.join(resultsDir, "module-build.txt"), out.join("\n") + "\n");
    if (!meets) process.exitCode = 1;
  } finally {
    await poller.end().catch(() => {});
    await dbc.$disconnect();
    await worker.stop();
    await clearRedisPrefix(env.REDIS_URL).catch(() => {});
    sharedRedis().disconnect();
  }
}

/** The succeeded kernel build with a module kit kept from an earlier run, if its kit is still in the store. */
async function keptKernel(db: ReturnType<typeof createDb>): Promise<string | null> {
  try {
    const b = await db.build.findFirst({ where: { kind: "kernel", status: "succeeded", artifacts: { some: { name: "module-kit.tar.xz" } } }, orderBy: { createdAt: "desc" } });
    if (!b) return null;
    await stat(path.join(env.KBUILD_ARTIFACTS_DIR, "builds", b.id, "module-kit.tar.xz"));
    return b.id;
  } finally {
    await db.$disconnect();
  }
}

runBench("module-build", main);
