/**
 * kbuild's overhead on a configure-only build, against the same commands by hand.
 *
 *   node --import tsx bench/configure-overhead.ts [--runs N]
 *
 * (a) by hand: the argv sequence lib/builds/plan.ts produces for tinyconfig +
 *     CONFIG_RUST=y + CONFIG_64BIT=y (toolchain probe, rustavailable,
 *     tinyconfig, merge_config.sh, olddefconfig), each run directly through
 *     BwrapRuntime with the same mounts the worker uses, into a fresh output
 *     directory;
 * (b) through kbuild: submitBuild → BullMQ → a real worker process → the
 *     build's terminal status in PostgreSQL (polled every 100 ms with a prepared
 *     statement on a plain pg connection, cheap enough not to slow the build);
 *     the time is submit → the row's finishedAt, which the worker writes with
 *     the terminal status (same host clock), so the poll adds no granularity.
 *
 * The two alternate (a b, b a, a b, ...) after one warm-up of each, so drift on a
 * noisy machine hits both. Reports per-run times, medians, the median of the
 * per-pair ratios b/a and of the per-pair differences b − a (goal: ≤ 1 s added),
 * and where the added time goes (queue wait, per step, after the last step).
 *
 * Uses its own database (kbuild_bench, dropped and re-migrated at start), Redis
 * database 10 and key prefix kbuild-bench; starts one worker and stops it at the end.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { FRAGMENT_FILE, OUT_DIR, SOURCE_DIR, planBuild } from "../lib/builds/plan";
import { submitBuild } from "../lib/builds/service";
import { type BuildSpecInput, BuildSpecSchema, fragmentText } from "../lib/builds/spec";
import { loadConfig } from "../lib/config";
import { createDb } from "../lib/db/client";
import { redis as sharedRedis } from "../lib/redis";
import { loadProfiles } from "../lib/toolchain/profiles";
import { BwrapRuntime } from "../worker/runtimes/bwrap";
import {
  PREFIX,
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
  sleep,
  startWorker,
  runBench,
  stopChildren,
  useEnv,
  waitForBuild,
} from "./common";

const env = benchEnv("configure", "postgresql://postgres@127.0.0.1:5432/kbuild_bench", "redis://127.0.0.1:6379/10");
useEnv(env); // before anything calls lib/config's config()

const RUNS = intArg("runs", 5, 1, 100);
const PROFILE = "debian-bookworm-llvm14";
const BUILD_TIMEOUT_MS = 10 * 60_000;
/**
 * How often the bench polls the build's status. On this VM one poll costs ~0.7 ms of CPU
 * (mostly the wake-up), so 25 ms polling would take ~0.4 s of CPU from a 14 s build on
 * 2 busy cores; the time is read from the row's finishedAt, not limited by the poll.
 */
const POLL_MS = 100;

const specInput = (source: string): BuildSpecInput => ({
  source,
  profile: PROFILE,
  baseConfig: { kind: "target", target: "tinyconfig" },
  options: [
    { symbol: "RUST", value: "y" },
    { symbol: "64BIT", value: "y" },
  ],
  jobs: 2,
});

interface ByHandRun {
  totalS: number;
  /** CPU this process used meanwhile (spawning, reading output). */
  benchCpuS: number;
  steps: Record<string, number>;
}

interface KbuildRun {
  /** Submit → the build's finishedAt, written with its terminal status: the measure. */
  totalS: number;
  /** Submit → the terminal status seen by polling (adds up to one poll interval). */
  polledS: number;
  status: string;
  /** submit → the worker's startedAt. */
  queueWaitS: number;
  steps: Record<string, number>;
  /** Last step's end → finishedAt (moveBuild, flush). */
  tailS: number;
  /** CPU the worker's own Node process used during the build (its commands not included). */
  workerCpuS: number;
  /** CPU this process used meanwhile (submitting, polling). */
  benchCpuS: number;
  /** submitBuild() itself: validation, the Build row, the job. */
  submitS: number;
  submitCpuS: number;
  /** Between steps and before the first: DB updates, log lines, setup (workDir, fragment). */
  gapsS: number;
  id: string;
}

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/** utime + stime of one process (not its children), from /proc/<pid>/stat. */
async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

async function main() {
  const cfg = loadConfig();
  installSignalHandlers(stopChildren);
  if (RUNS < 5) console.error(`note: --runs ${RUNS} < 5; results need at least 5 runs`);

  console.error(`bench database ${env.DATABASE_URL}, Redis ${env.REDIS_URL}, prefix ${PREFIX}`);
  await resetDatabase(env.DATABASE_URL);
  await clearRedisPrefix(env.REDIS_URL);
  const runDir = path.dirname(env.KBUILD_WORK_DIR);
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });

  const worker = await startWorker(env);
  const db = createDb(env.DATABASE_URL);
  const poller = new pg.Client({ connectionString: env.DATABASE_URL }); // the bench's own observer: see waitForBuild
  await poller.connect();
  try {
    const { source, tree } = await kernelSource(db, cfg.sourceCacheDir);

    const profile = (await loadProfiles(cfg.extraProfileDirs)).get(PROFILE);
    if (!profile) throw new Error(`toolchain profile ${PROFILE} not found`);
    const spec = BuildSpecSchema.parse(specInput(source.name));
    const commands = planBuild(spec, profile).filter((s) => s.argv);
    console.error(`by hand: ${commands.map((s) => s.name).join(" → ")}`);
    const runtime = new BwrapRuntime();
    let handCount = 0;

    const byHand = async (): Promise<ByHandRun> => {
      const outDir = path.join(runDir, "by-hand", String(++handCount), "out");
      const hostPath = (p: string) => path.join(outDir, path.relative(OUT_DIR, p));
      const mounts = [
        ...profile.hostPaths.map((p) => ({ host: p, target: p, writable: false })),
        { host: tree, target: SOURCE_DIR, writable: false },
        { host: outDir, target: OUT_DIR, writable: true },
      ];
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      await mkdir(path.dirname(hostPath(FRAGMENT_FILE)), { recursive: true });
      await writeFile(hostPath(FRAGMENT_FILE), fragmentText(spec.options));
      const steps = await runCommands(runtime, commands, mounts);
      const totalS = (performance.now() - started) / 1000;
      const benchCpuS = cpuSeconds(process.cpuUsage(cpu0));
      const config = await readFile(path.join(outDir, ".config"), "utf8");
      if (!/^CONFIG_RUST=y$/m.test(config)) throw new Error("by hand: CONFIG_RUST=y did not survive olddefconfig");
      await rm(path.dirname(outDir), { recursive: true, force: true });
      return { totalS, steps, benchCpuS };
    };

    const throughKbuild = async (): Promise<KbuildRun> => {
      const workerCpu0 = await processCpuSeconds(worker.proc.pid!);
      const cpu0 = process.cpuUsage();
      const submitted = Date.now();
      const started = performance.now();
      const { id } = await submitBuild(db, DEFAULT_ACTOR, specInput(source.name));
      const submitS = (performance.now() - started) / 1000;
      const submitCpuS = cpuSeconds(process.cpuUsage(cpu0));
      const status = await waitForBuild(poller, id, worker, BUILD_TIMEOUT_MS, POLL_MS);
      const polledS = (performance.now() - started) / 1000;
      const benchCpuS = cpuSeconds(process.cpuUsage(cpu0));
      const workerCpuS = (await processCpuSeconds(worker.proc.pid!)) - workerCpu0;
      const b = await db.build.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { index: "asc" } } } });
      if (status !== "succeeded") throw new Error(`build ${id} ended ${status}: ${b.statusReason}\n${worker.tail()}`);
      const ms = (d: Date | null) => d?.getTime() ?? Number.NaN;
      const steps: Record<string, number> = {};
      let busy = 0;
      for (const s of b.steps) {
        steps[s.name] = (ms(s.finishedAt) - ms(s.startedAt)) / 1000;
        busy += steps[s.name]!;
      }
      const lastEnd = Math.max(...b.steps.map((s) => ms(s.finishedAt)));
      return {
        id,
        status,
        totalS: (ms(b.finishedAt) - submitted) / 1000,
        polledS,
        queueWaitS: (ms(b.startedAt) - submitted) / 1000,
        steps,
        tailS: (ms(b.finishedAt) - lastEnd) / 1000,
        gapsS: (lastEnd - ms(b.startedAt)) / 1000 - busy,
        workerCpuS,
        benchCpuS,
        submitS,
        submitCpuS,
      };
    };

    console.error("warm-up: one of each (not counted)");
    const warmA = await byHand();
    const warmB = await throughKbuild();
    console.error(`  by hand ${warmA.totalS.toFixed(2)} s, kbuild ${warmB.totalS.toFixed(2)} s`);

    // The worker's background work (heartbeat, housekeeping, queue) while no build runs.
    const IDLE_S = 10;
    const idle0 = await processCpuSeconds(worker.proc.pid!);
    await sleep(IDLE_S * 1000);
    const workerIdleCpuPerS = ((await processCpuSeconds(worker.proc.pid!)) - idle0) / IDLE_S;
    console.error(`worker idle: ${(workerIdleCpuPerS * 1000).toFixed(1)} ms of CPU a second`);

    const a: ByHandRun[] = [];
    const b: KbuildRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 === 0 ? ["a", "b"] : ["b", "a"];
      for (const which of order) {
        if (which === "a") a.push(await byHand());
        else b.push(await throughKbuild());
      }
      const ai = a[i]!;
      const bi = b[i]!;
      console.error(
        `run ${i + 1}/${RUNS} (${order.join(" ")}): by hand ${ai.totalS.toFixed(2)} s, kbuild ${bi.totalS.toFixed(2)} s ` +
          `(+${(bi.totalS - ai.totalS).toFixed(2)} s, ×${(bi.totalS / ai.totalS).toFixed(3)})`,
      );
    }

    const col = <T>(rows: T[], f: (r: T) => number) => rows.map(f);
    const ratios = a.map((ai, i) => b[i]!.totalS / ai.totalS);
    const added = a.map((ai, i) => b[i]!.totalS - ai.totalS);
    const addedPolled = a.map((ai, i) => b[i]!.polledS - ai.totalS);
    const stepNames = commands.map((s) => s.name);
    const stepMedians = Object.fromEntries(
      stepNames.map((n) => {
        const hand = median(col(a, (r) => r.steps[n]!));
        const kb = median(col(b, (r) => r.steps[n]!));
        return [n, { byHandS: round(hand), kbuildS: round(kb), addedS: round(kb - hand) }];
      }),
    );
    const internalSteps = ["check-config", "artifacts"];
    const summary = {
      bench: "configure-overhead",
      machine: machine(),
      runs: RUNS,
      spec: BuildSpecSchema.parse(specInput(source.name)),
      kernel: source.version,
      byHandSteps: stepNames,
      warmup: { byHandS: round(warmA.totalS), kbuildS: round(warmB.totalS) },
      byHandS: col(a, (r) => round(r.totalS)),
      kbuildS: col(b, (r) => round(r.totalS)),
      kbuildPolledS: col(b, (r) => round(r.polledS)),
      median: {
        byHandS: round(median(col(a, (r) => r.totalS))),
        kbuildS: round(median(col(b, (r) => r.totalS))),
        ratio: round(median(ratios), 4),
        addedS: round(median(added)),
        addedPolledS: round(median(addedPolled)),
        /** median(b) − median(a): the same question, less robust to pairs that drifted. */
        differenceOfMediansS: round(median(col(b, (r) => r.totalS)) - median(col(a, (r) => r.totalS))),
        /** kbuild's time outside the five commands (submit, queue, DB updates, check, artifacts, close), from its own timestamps: little noise. */
        outsideCommandsS: round(median(col(b, (r) => r.totalS - stepNames.reduce((sum, n) => sum + r.steps[n]!, 0)))),
      },
      minAddedS: round(Math.min(...added)),
      maxAddedS: round(Math.max(...added)),
      goal: { addedS: 1, met: median(added) <= 1 },
      whereTheAddedTimeGoes: {
        queueWaitS: round(median(col(b, (r) => r.queueWaitS))),
        commandSteps: stepMedians,
        internalStepsS: Object.fromEntries(internalSteps.map((n) => [n, round(median(col(b, (r) => r.steps[n] ?? Number.NaN)))])),
        betweenStepsS: round(median(col(b, (r) => r.gapsS))),
        afterLastStepS: round(median(col(b, (r) => r.tailS))),
        terminalSeenByPollAfterFinishedAtS: round(median(col(b, (r) => r.polledS - r.totalS))),
      },
      cpu: {
        workerProcessDuringBuildS: round(median(col(b, (r) => r.workerCpuS))),
        workerProcessIdlePerSecondS: round(workerIdleCpuPerS, 4),
        benchDuringKbuildS: round(median(col(b, (r) => r.benchCpuS))),
        submitBuildS: round(median(col(b, (r) => r.submitCpuS))),
        benchDuringByHandS: round(median(col(a, (r) => r.benchCpuS))),
      },
    };

    console.log(JSON.stringify(summary, null, 2));
    console.log("");
    console.log(`configure-only build, Linux ${source.version}, tinyconfig + RUST=y + 64BIT=y, ${RUNS} interleaved runs (after 1 warm-up each)`);
    console.log(`  run   by hand   kbuild   added   ratio`);
    a.forEach((ai, i) =>
      console.log(`  ${String(i + 1).padStart(3)}  ${ai.totalS.toFixed(2).padStart(7)} s ${b[i]!.totalS.toFixed(2).padStart(6)} s ${added[i]!.toFixed(2).padStart(6)} s  ${ratios[i]!.toFixed(3)}`),
    );
    console.log(
      `  median: by hand ${summary.median.byHandS.toFixed(2)} s, kbuild ${summary.median.kbuildS.toFixed(2)} s; ` +
        `ratio ${summary.median.ratio.toFixed(3)}, added ${summary.median.addedS.toFixed(2)} s ` +
        `(goal ≤ 1 s: ${summary.goal.met ? "met" : "NOT met"})`,
    );
    const w = summary.whereTheAddedTimeGoes;
    console.log(`  median(kbuild) − median(by hand): ${summary.median.differenceOfMediansS.toFixed(2)} s; ` +
      `kbuild's time outside the five commands: ${summary.median.outsideCommandsS.toFixed(3)} s (median)`);
    console.log(`  submitBuild() took ${round(median(col(b, (r) => r.submitS)), 3).toFixed(3)} s (median), included in kbuild's time`);
    console.log(`  where (medians): queue wait ${w.queueWaitS.toFixed(3)} s; between steps ${w.betweenStepsS.toFixed(3)} s; ` +
      `check-config ${w.internalStepsS["check-config"]!.toFixed(3)} s; artifacts ${w.internalStepsS.artifacts!.toFixed(3)} s; ` +
      `after the last step ${w.afterLastStepS.toFixed(3)} s; seen by the ${POLL_MS} ms poll +${w.terminalSeenByPollAfterFinishedAtS.toFixed(3)} s`);
    console.log(`  CPU (medians): the worker's Node process ${summary.cpu.workerProcessDuringBuildS.toFixed(2)} s a build ` +
      `(idle: ${(workerIdleCpuPerS * 1000).toFixed(1)} ms a second); ` +
      `this process ${summary.cpu.benchDuringKbuildS.toFixed(2)} s a kbuild run, ${summary.cpu.benchDuringByHandS.toFixed(2)} s a by-hand run`);
    for (const [n, s] of Object.entries(stepMedians)) {
      console.log(`    ${n.padEnd(15)} by hand ${s.byHandS.toFixed(3)} s, in kbuild ${s.kbuildS.toFixed(3)} s (${s.addedS >= 0 ? "+" : ""}${s.addedS.toFixed(3)} s)`);
    }
    await mkdir(path.join(import.meta.dirname, "results"), { recursive: true });
    await writeFile(path.join(import.meta.dirname, "results", "configure-overhead.json"), JSON.stringify(summary, null, 2) + "\n");
  } finally {
    await worker.stop();
    sharedRedis().disconnect(); // submitBuild's queue connection
    await db.$disconnect();
    await poller.end().catch(() => {});
    await clearRedisPrefix(env.REDIS_URL).catch(() => {});
    await rm(runDir, { recursive: true, force: true }).catch(() => {});
  }
}

runBench("configure-overhead", main);
