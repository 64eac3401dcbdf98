/**
 * What the container runtime costs against bubblewrap, on the same
 * configure-only build through kbuild end to end.
 *
 *   node --import tsx bench/runtime-overhead.ts [--runs N] [--micro N]
 *
 * The build: Linux 6.1, profile debian-bookworm-llvm14, tinyconfig +
 * CONFIG_64BIT=y + CONFIG_RUST=y, no targets, -j2 — submitBuild → BullMQ → a
 * real worker process → the build's terminal status in PostgreSQL; the time is
 * submit → the row's finishedAt (written with the status, same host clock), as
 * in configure-overhead.ts.
 *
 * (a) a worker with KBUILD_RUNTIME=bwrap (BwrapRuntime: bubblewrap, the host's
 *     toolchain);
 * (b) a worker with KBUILD_RUNTIME=docker (DockerRuntime: one container per
 *     build from the profile's image, each step an exec in it).
 *
 * Both workers take jobs from the same queue, so only one runs at a time: every
 * build gets a freshly started worker of its runtime (after it is ready and has
 * settled for 2 s), so neither runtime has a warmed-up worker the other lacks.
 * Builds alternate a b, b a, ... after one warm-up of each; N pairs (default 5).
 *
 * Reports per-run times, medians, the median of the per-pair differences
 * docker − bwrap (goal ≤ 1 s) and ratios, and where the difference goes, from
 * the BuildStep rows: queue wait, setup + sandbox open (the build's startedAt →
 * the first step's startedAt), each step, gaps between steps, sandbox close
 * (the last in-sandbox step's end → the artifacts step's start), artifacts, and
 * the close of the build; the CPU of the worker's Node process, of dockerd +
 * containerd and of the whole machine per build; the tool versions each
 * runtime recorded. Then, with no worker running, --micro N (default 10; 0
 * skips) cycles of each runtime alone: open → `true` ×3 → close.
 *
 * Uses its own database (kbuild_bench_runtime, dropped and re-migrated at
 * start), Redis database 13, key prefix kbuild-bench (also the containers'
 * install label) and no compiler cache; stops its workers and removes its
 * containers at the end and on Ctrl-C.
 */
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Docker from "dockerode";
import pg from "pg";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { OUT_DIR, SOURCE_DIR, stepEnvironment } from "../lib/builds/plan";
import { submitBuild } from "../lib/builds/service";
import { type BuildSpecInput, BuildSpecSchema } from "../lib/builds/spec";
import { loadConfig } from "../lib/config";
import { createDb } from "../lib/db/client";
import { redis as sharedRedis } from "../lib/redis";
import { loadProfiles } from "../lib/toolchain/profiles";
import { BwrapRuntime } from "../worker/runtimes/bwrap";
import { DockerRuntime, INSTALL_LABEL, WORKER_LABEL } from "../worker/runtimes/docker";
import type { Runtime } from "../worker/runtimes/runtime";
import {
  type Child,
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
  sleep,
  startWorker,
  runBench,
  stopChildren,
  useEnv,
  waitForBuild,
} from "./common";

const env = benchEnv("runtime", "postgresql://postgres@127.0.0.1:5432/kbuild_bench_runtime", "redis://127.0.0.1:6379/13");
const runDir = path.dirname(env.KBUILD_WORK_DIR);
useEnv(env); // before anything calls lib/config's config()

const RUNS = intArg("runs", 5, 1, 50);
const MICRO = intArg("micro", 10, 0, 200);
const PROFILE = "debian-bookworm-llvm14";
const RUNTIMES = ["bwrap", "docker"] as const;
type RuntimeName = (typeof RUNTIMES)[number];
const BUILD_TIMEOUT_MS = 10 * 60_000;
const POLL_MS = 100; // as configure-overhead.ts: the time is the row's finishedAt, not the poll's
/** After the worker says it waits for builds: its start-up (Kconfig scan, first housekeeping) is over. */
const SETTLE_MS = 2000;
const GOAL_ADDED_S = 1;
/** The worker id common.ts's startWorker gives, and the one of the sandbox-alone cycles: their containers are the bench's. */
const BENCH_WORKER_IDS = ["bench-worker", "bench-runtime-micro"];

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

/** Where one build's time goes: parts that add up to submit → finishedAt. */
const PARTS = ["queue", "setup+open", "toolchain", "rustavailable", "base-config", "merge-fragment", "olddefconfig", "check-config", "between steps", "close", "artifacts", "end"] as const;
type Part = (typeof PARTS)[number];
const PART_NOTES: Record<Part, string> = {
  queue: "submit → the worker's startedAt",
  "setup+open": "startedAt → first step: step rows, work dir, fragment, runtime.open()",
  toolchain: "",
  rustavailable: "",
  "base-config": "make tinyconfig",
  "merge-fragment": "",
  olddefconfig: "",
  "check-config": "",
  "between steps": "step row updates, log lines",
  close: "last in-sandbox step → artifacts: sandbox.close(), pending rows",
  artifacts: "",
  end: "artifacts → finishedAt: log flush, status",
};

interface Run {
  runtime: RuntimeName;
  id: string;
  /** Submit → the build's finishedAt: the measure. */
  totalS: number;
  /** Submit → the terminal status seen by polling. */
  polledS: number;
  parts: Record<Part, number>;
  /** CPU seconds during the build: the worker's Node process, dockerd + containerd, the whole machine (all cores). */
  cpu: { workerS: number; engineS: number; machineS: number };
  /** What the build recorded: tool versions and the sandbox's info. */
  toolchain: Record<string, string>;
  workerStartS: number;
}

const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

/** utime + stime of one process (not its children), from /proc/<pid>/stat; 0 if it is gone. */
async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** The container engine's long-lived processes (the per-container shims come and go, and are not counted). */
async function enginePids(): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const comm = await readFile(`/proc/${name}/comm`, "utf8").catch(() => "");
    if (comm.trim() === "dockerd" || comm.trim() === "containerd") pids.push(Number(name));
  }
  return pids;
}

/** Busy CPU seconds of the whole machine so far (user, nice, system, irq, softirq; all cores). */
async function machineCpuSeconds(): Promise<number> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0]!;
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  return (user! + nice! + system! + irq! + softirq!) / CLOCK_TICKS;
}

/** Removes containers the bench's workers (or its sandbox-alone cycles) left behind: only those. */
async function removeBenchContainers(docker: Docker): Promise<number> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${INSTALL_LABEL}=${PREFIX}`] } });
  let removed = 0;
  for (const c of list) {
    if (!BENCH_WORKER_IDS.includes(c.Labels[WORKER_LABEL] ?? "")) continue;
    await docker.getContainer(c.Id).remove({ force: true }).catch(() => {});
    removed++;
  }
  return removed;
}

async function main() {
  const cfg = loadConfig();
  const docker = new Docker({ socketPath: cfg.dockerSocket, timeout: 60_000 });
  const stopMicro = new AbortController();
  installSignalHandlers(async () => {
    stopMicro.abort();
    await stopChildren();
    await removeBenchContainers(docker).catch(() => {});
    await clearRedisPrefix(env.REDIS_URL).catch(() => {});
    await rm(runDir, { recursive: true, force: true }).catch(() => {});
  });
  if (RUNS < 5) console.error(`note: --runs ${RUNS} < 5; results need at least 5 pairs`);

  // Both runtimes must be usable before anything is reset.
  const profile = (await loadProfiles(cfg.extraProfileDirs)).get(PROFILE);
  if (!profile?.image) throw new Error(`toolchain profile ${PROFILE} not found, or it names no image`);
  await docker.ping().catch((err: Error) => {
    throw new Error(`no container engine answers at ${cfg.dockerSocket} (KBUILD_DOCKER_SOCKET): ${err.message}`);
  });
  const image = await docker
    .getImage(profile.image)
    .inspect()
    .catch(() => {
      throw new Error(`the toolchain image ${profile.image} is not on the engine: toolchain/build-image.sh ${PROFILE} builds it`);
    });
  const engine = await docker.version();
  console.error(`engine ${engine.Version} (API ${engine.ApiVersion}), image ${profile.image} ${image.Id.slice(7, 19)}`);

  console.error(`bench database ${env.DATABASE_URL}, Redis ${env.REDIS_URL}, prefix ${PREFIX}, no compiler cache`);
  await resetDatabase(env.DATABASE_URL);
  await clearRedisPrefix(env.REDIS_URL);
  await removeBenchContainers(docker);
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });

  const db = createDb(env.DATABASE_URL);
  const poller = new pg.Client({ connectionString: env.DATABASE_URL }); // the bench's own observer: see waitForBuild
  await poller.connect();
  let sourceName: string | undefined;
  let tree: string | undefined;
  let kernelVersion: string | null = null;
  try {
    /** A fresh worker of this runtime, ready and settled. */
    const startFor = async (runtime: RuntimeName): Promise<{ worker: Child; startS: number }> => {
      const t0 = performance.now();
      const worker = await startWorker({ ...env, KBUILD_RUNTIME: runtime });
      const startS = (performance.now() - t0) / 1000;
      const ready = worker.output.find((l) => /waiting for builds/.test(l)) ?? "";
      if (!ready.includes(`runtime ${runtime})`)) {
        await worker.stop();
        throw new Error(`the worker started with KBUILD_RUNTIME=${runtime} did not pick it: ${ready}\n${worker.tail()}`);
      }
      if (!sourceName) {
        const found = await kernelSource(db, cfg.sourceCacheDir);
        sourceName = found.source.name;
        tree = found.tree;
        kernelVersion = found.source.version;
      }
      await sleep(SETTLE_MS);
      return { worker, startS };
    };

    const throughKbuild = async (runtime: RuntimeName): Promise<Run> => {
      const { worker, startS } = await startFor(runtime);
      const engine = await enginePids();
      const engineCpu = async () => (await Promise.all(engine.map(processCpuSeconds))).reduce((s, x) => s + x, 0);
      let id: string;
      let status: string;
      let polledS: number;
      let submitted: number;
      let cpu: Run["cpu"];
      try {
        const [worker0, engine0, machine0] = [await processCpuSeconds(worker.proc.pid!), await engineCpu(), await machineCpuSeconds()];
        submitted = Date.now();
        const started = performance.now();
        ({ id } = await submitBuild(db, DEFAULT_ACTOR, specInput(sourceName!)));
        status = await waitForBuild(poller, id, worker, BUILD_TIMEOUT_MS, POLL_MS);
        polledS = (performance.now() - started) / 1000;
        cpu = {
          workerS: (await processCpuSeconds(worker.proc.pid!)) - worker0,
          engineS: (await engineCpu()) - engine0,
          machineS: (await machineCpuSeconds()) - machine0,
        };
      } finally {
        await worker.stop();
      }
      const b = await db.build.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { index: "asc" } } } });
      if (status !== "succeeded") throw new Error(`build ${id} (${runtime}) ended ${status}: ${b.statusReason}\n${worker.tail()}`);
      const toolchain = (b.toolchain ?? {}) as Record<string, string>;
      if (toolchain.runtime !== runtime) throw new Error(`build ${id} ran in ${toolchain.runtime ?? "an unknown runtime"}, not ${runtime}`);

      const ms = (d: Date | null | undefined) => d?.getTime() ?? Number.NaN;
      const artifacts = b.steps.find((s) => s.name === "artifacts");
      const inSandbox = b.steps.filter((s) => s !== artifacts && s.startedAt);
      const first = inSandbox[0];
      const last = inSandbox.at(-1);
      if (!artifacts || !first || !last) throw new Error(`build ${id}: unexpected steps ${b.steps.map((s) => s.name).join(", ")}`);
      const parts = Object.fromEntries(PARTS.map((p) => [p, 0])) as Record<Part, number>;
      let busy = 0;
      for (const s of inSandbox) {
        if (!(PARTS as readonly string[]).includes(s.name)) throw new Error(`build ${id}: unexpected step ${s.name}`);
        parts[s.name as Part] = (ms(s.finishedAt) - ms(s.startedAt)) / 1000;
        busy += parts[s.name as Part];
      }
      parts.queue = (ms(b.startedAt) - submitted) / 1000;
      parts["setup+open"] = (ms(first.startedAt) - ms(b.startedAt)) / 1000;
      parts["between steps"] = (ms(last.finishedAt) - ms(first.startedAt)) / 1000 - busy;
      parts.close = (ms(artifacts.startedAt) - ms(last.finishedAt)) / 1000;
      parts.artifacts = (ms(artifacts.finishedAt) - ms(artifacts.startedAt)) / 1000;
      parts.end = (ms(b.finishedAt) - ms(artifacts.finishedAt)) / 1000;
      return { runtime, id, totalS: (ms(b.finishedAt) - submitted) / 1000, polledS, parts, cpu, toolchain, workerStartS: startS };
    };

    const secs = (x: number) => `${x.toFixed(2)} s`;
    const signed = (x: number, digits = 2) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(digits)} s`;

    console.error("warm-up: one of each (not counted)");
    const warm = { bwrap: await throughKbuild("bwrap"), docker: await throughKbuild("docker") };
    console.error(`  bwrap ${secs(warm.bwrap.totalS)}, docker ${secs(warm.docker.totalS)}`);

    const runs: Record<RuntimeName, Run[]> = { bwrap: [], docker: [] };
    const orders: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const order: RuntimeName[] = i % 2 === 0 ? ["bwrap", "docker"] : ["docker", "bwrap"];
      orders.push(order.map((r) => (r === "bwrap" ? "a" : "b")).join(" "));
      for (const r of order) runs[r].push(await throughKbuild(r));
      const [a, b] = [runs.bwrap[i]!, runs.docker[i]!];
      console.error(`run ${i + 1}/${RUNS} (${orders[i]}): bwrap ${secs(a.totalS)}, docker ${secs(b.totalS)} (${signed(b.totalS - a.totalS)}, ×${(b.totalS / a.totalS).toFixed(3)})`);
    }

    // Each runtime alone, outside kbuild, with no worker running: open → `true` ×3 → close.
    const micro: Record<RuntimeName, { openS: number[]; firstExecS: number[]; laterExecS: number[]; closeS: number[] }> = {
      bwrap: { openS: [], firstExecS: [], laterExecS: [], closeS: [] },
      docker: { openS: [], firstExecS: [], laterExecS: [], closeS: [] },
    };
    if (MICRO > 0) {
      console.error(`sandbox alone: ${MICRO} cycles of each runtime (open → true ×3 → close), interleaved`);
      const runtimes: Record<RuntimeName, Runtime> = { bwrap: new BwrapRuntime(), docker: new DockerRuntime(docker, cfg.container, PREFIX) };
      for (let i = 0; i < MICRO; i++) {
        for (const r of i % 2 === 0 ? RUNTIMES : [...RUNTIMES].reverse()) {
          const outDir = path.join(runDir, "micro", `${r}-${i}`);
          await mkdir(outDir, { recursive: true });
          const m = micro[r];
          const t0 = performance.now();
          const sandbox = await runtimes[r].open({
            buildId: `micro-${r}-${i}`,
            workerId: BENCH_WORKER_IDS[1]!,
            profile,
            mounts: [
              { host: tree!, target: SOURCE_DIR, writable: false },
              { host: outDir, target: OUT_DIR, writable: true },
            ],
          });
          m.openS.push((performance.now() - t0) / 1000);
          try {
            for (let k = 0; k < 3; k++) {
              const t = performance.now();
              const result = await sandbox.run({ argv: ["true"], env: stepEnvironment(profile), cwd: OUT_DIR, signal: stopMicro.signal, onLine: () => {} });
              if (result.exitCode !== 0) throw new Error(`${r}: \`true\` exited ${result.exitCode}`);
              (k === 0 ? m.firstExecS : m.laterExecS).push((performance.now() - t) / 1000);
            }
          } finally {
            const t = performance.now();
            await sandbox.close();
            m.closeS.push((performance.now() - t) / 1000);
          }
          await rm(outDir, { recursive: true, force: true });
        }
      }
    }

    // ---- Results ----
    const a = runs.bwrap;
    const b = runs.docker;
    const added = a.map((ai, i) => b[i]!.totalS - ai.totalS);
    const ratios = a.map((ai, i) => b[i]!.totalS / ai.totalS);
    const med = {
      bwrapS: round(median(a.map((r) => r.totalS))),
      dockerS: round(median(b.map((r) => r.totalS))),
      addedS: round(median(added)),
      ratio: round(median(ratios), 4),
      differenceOfMediansS: round(median(b.map((r) => r.totalS)) - median(a.map((r) => r.totalS))),
      addedPolledS: round(median(a.map((ai, i) => b[i]!.polledS - ai.polledS))),
    };
    const met = med.addedS <= GOAL_ADDED_S;
    const where = Object.fromEntries(
      PARTS.map((p) => [p, { bwrapS: round(median(a.map((r) => r.parts[p]))), dockerS: round(median(b.map((r) => r.parts[p]))), addedS: round(median(a.map((ai, i) => b[i]!.parts[p] - ai.parts[p]))) }]),
    ) as Record<Part, { bwrapS: number; dockerS: number; addedS: number }>;
    const commandParts: Part[] = ["toolchain", "rustavailable", "base-config", "merge-fragment", "olddefconfig"];
    const sumOf = (r: Run, ps: Part[]) => ps.reduce((s, p) => s + r.parts[p], 0);
    const outsideCommands = PARTS.filter((p) => !commandParts.includes(p));
    const grouped = {
      /** The five commands (time inside the sandbox, exec included). */
      commandsS: round(median(a.map((ai, i) => sumOf(b[i]!, commandParts) - sumOf(ai, commandParts)))),
      /** kbuild's own parts around them: queue, open, gaps, close, check, artifacts, end. */
      outsideCommandsS: round(median(a.map((ai, i) => sumOf(b[i]!, outsideCommands) - sumOf(ai, outsideCommands)))),
      /** Opening and closing the sandbox: setup+open and close. */
      openCloseS: round(median(a.map((ai, i) => sumOf(b[i]!, ["setup+open", "close"]) - sumOf(ai, ["setup+open", "close"])))),
    };
    const cpuKeys = ["workerS", "engineS", "machineS"] as const;
    const cpu = Object.fromEntries(cpuKeys.map((k) => [k, { bwrapS: round(median(a.map((r) => r.cpu[k]))), dockerS: round(median(b.map((r) => r.cpu[k]))), addedS: round(median(a.map((ai, i) => b[i]!.cpu[k] - ai.cpu[k]))) }])) as Record<
      (typeof cpuKeys)[number],
      { bwrapS: number; dockerS: number; addedS: number }
    >;
    const tools = (r: Run) => Object.fromEntries(["clang", "ld.lld", "rustc", "bindgen", "rust-src"].map((t) => [t, r.toolchain[t] ?? "?"]));
    const toolsA = tools(a[0]!);
    const toolsB = tools(b[0]!);
    const sameTools = JSON.stringify(toolsA) === JSON.stringify(toolsB);
    const microMedians =
      MICRO > 0
        ? Object.fromEntries(
            RUNTIMES.map((r) => [r, { openS: round(median(micro[r].openS), 4), firstExecS: round(median(micro[r].firstExecS), 4), laterExecS: round(median(micro[r].laterExecS), 4), closeS: round(median(micro[r].closeS), 4) }]),
          )
        : null;

    const summary = {
      bench: "runtime-overhead",
      machine: machine(),
      runs: RUNS,
      spec: BuildSpecSchema.parse(specInput(sourceName!)),
      kernel: kernelVersion,
      engine: { version: engine.Version, apiVersion: engine.ApiVersion, image: profile.image, imageId: image.Id },
      containerLimits: cfg.container,
      workerPerBuild: true,
      orders,
      warmup: { bwrapS: round(warm.bwrap.totalS), dockerS: round(warm.docker.totalS) },
      bwrapS: a.map((r) => round(r.totalS)),
      dockerS: b.map((r) => round(r.totalS)),
      addedS: added.map((x) => round(x)),
      builds: { bwrap: a.map((r) => r.id), docker: b.map((r) => r.id) },
      median: med,
      minAddedS: round(Math.min(...added)),
      maxAddedS: round(Math.max(...added)),
      goal: { addedS: GOAL_ADDED_S, met },
      /** Medians of each part per runtime, and the median of the per-pair differences docker − bwrap. */
      whereTheDifferenceGoes: where,
      grouped,
      cpu,
      toolchain: { bwrap: toolsA, docker: toolsB, same: sameTools, dockerSandbox: { image: b[0]!.toolchain.image, imageId: b[0]!.toolchain.imageId, user: b[0]!.toolchain.user } },
      workerStartS: { bwrap: round(median(a.map((r) => r.workerStartS)), 1), docker: round(median(b.map((r) => r.workerStartS)), 1) },
      sandboxAlone: microMedians ? { cycles: MICRO, medians: microMedians } : null,
    };

    const out: string[] = [];
    const say = (line = "") => out.push(line);
    say(`runtime overhead: configure-only build, Linux ${kernelVersion}, tinyconfig + RUST=y + 64BIT=y, -j2, profile ${PROFILE}, no ccache`);
    say(`  through kbuild (submit → finishedAt), a fresh worker per build; ${RUNS} interleaved pairs after 1 warm-up each (bwrap ${secs(warm.bwrap.totalS)}, docker ${secs(warm.docker.totalS)})`);
    say(`  run  order    bwrap     docker      added   ratio`);
    a.forEach((ai, i) => say(`  ${String(i + 1).padStart(3)}  ${orders[i]}   ${secs(ai.totalS).padStart(8)}  ${secs(b[i]!.totalS).padStart(8)}  ${signed(added[i]!).padStart(8)}  ${ratios[i]!.toFixed(3)}`));
    say(`  median: bwrap ${secs(med.bwrapS)}, docker ${secs(med.dockerS)}; added (median of pairs) ${signed(med.addedS)}, ratio ${med.ratio.toFixed(3)} ` +
      `(goal ≤ ${GOAL_ADDED_S} s: ${met ? "met" : "NOT met"}); median(docker) − median(bwrap) ${signed(med.differenceOfMediansS)}; range ${signed(summary.minAddedS)} … ${signed(summary.maxAddedS)}`);
    say(`  where the difference goes (medians; added = median of the per-pair differences docker − bwrap):`);
    say(`    ${"part".padEnd(15)} ${"bwrap".padStart(9)} ${"docker".padStart(9)} ${"added".padStart(9)}`);
    for (const p of PARTS) {
      const w = where[p];
      say(`    ${p.padEnd(15)} ${`${w.bwrapS.toFixed(3)} s`.padStart(9)} ${`${w.dockerS.toFixed(3)} s`.padStart(9)} ${signed(w.addedS, 3).padStart(9)}${PART_NOTES[p] ? `   ${PART_NOTES[p]}` : ""}`);
    }
    say(`    grouped: the five commands ${signed(grouped.commandsS, 3)}, everything else ${signed(grouped.outsideCommandsS, 3)} (of which sandbox open + close ${signed(grouped.openCloseS, 3)})`);
    if (microMedians) {
      say(`  each runtime alone, no worker running (${MICRO} cycles each, medians): open → \`true\` (first, later) → close`);
      for (const r of RUNTIMES) {
        const m = microMedians[r]!;
        say(`    ${r.padEnd(6)} open ${(m.openS * 1000).toFixed(1)} ms, exec ${(m.firstExecS * 1000).toFixed(1)} / ${(m.laterExecS * 1000).toFixed(1)} ms, close ${(m.closeS * 1000).toFixed(1)} ms`);
      }
    }
    say(`  CPU per build (medians, bwrap / docker / added): worker's Node process ${cpu.workerS.bwrapS.toFixed(2)} / ${cpu.workerS.dockerS.toFixed(2)} / ${signed(cpu.workerS.addedS)}; ` +
      `dockerd + containerd ${cpu.engineS.bwrapS.toFixed(2)} / ${cpu.engineS.dockerS.toFixed(2)} / ${signed(cpu.engineS.addedS)}; ` +
      `whole machine ${cpu.machineS.bwrapS.toFixed(2)} / ${cpu.machineS.dockerS.toFixed(2)} / ${signed(cpu.machineS.addedS)}`);
    say(`  toolchain ${sameTools ? "the same in both" : "DIFFERS"}: bwrap (host) ${Object.entries(toolsA).map(([k, v]) => `${k} ${v}`).join("; ")}` +
      (sameTools ? "" : `; docker (image) ${Object.entries(toolsB).map(([k, v]) => `${k} ${v}`).join("; ")}`));
    say(`  engine ${engine.Version}, image ${profile.image} (${image.Id.slice(7, 19)}), container limits ${cfg.container.cpus} CPUs, ${round(cfg.container.memoryBytes / 2 ** 30, 1)} GiB, user ${cfg.container.user}; ` +
      `worker start (not counted) bwrap ${summary.workerStartS.bwrap} s, docker ${summary.workerStartS.docker} s`);

    console.log(JSON.stringify(summary, null, 2));
    console.log("");
    for (const line of out) console.log(line);
    const resultsDir = path.join(import.meta.dirname, "results");
    await mkdir(resultsDir, { recursive: true });
    await writeFile(path.join(resultsDir, "runtime-overhead.json"), JSON.stringify(summary, null, 2) + "\n");
    await writeFile(path.join(resultsDir, "runtime-overhead.txt"), out.join("\n") + "\n");
    console.error(`results in ${resultsDir}/runtime-overhead.{json,txt}`);
  } finally {
    await stopChildren();
    await removeBenchContainers(docker).catch(() => {});
    sharedRedis().disconnect(); // submitBuild's queue connection
    await db.$disconnect();
    await poller.end().catch(() => {});
    await clearRedisPrefix(env.REDIS_URL).catch(() => {});
    await rm(runDir, { recursive: true, force: true }).catch(() => {});
  }
}

runBench("runtime-overhead", main);
