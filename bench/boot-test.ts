/**
 * A boot test's time to verdict, against QEMU alone booting the same kernel
 * and initramfs to the same marker.
 *
 *   node --import tsx bench/boot-test.ts --artifacts DIR [--runs N] [--runtime docker|bwrap]
 *
 * DIR holds a bootable build's bzImage, .config and rust_minimal.ko (for
 * instance `bin/kbuild artifacts <build id> --out DIR` of a build like the
 * test suites' kernel: 6.1 tinyconfig + the serial-console options + Rust +
 * SAMPLE_RUST_MINIMAL=m). The bench records them as a succeeded build in its
 * own database and store.
 *
 * (a) baseline: qemu-system-x86_64 on the host, the same argv (qemuArgv) and
 *     an initramfs built the same way (buildInitramfs, the host's busybox),
 *     from spawn to the "done" marker on the console; then QEMU is killed;
 * (b) through kbuild: createBootTest (what POST /api/v1/builds/:id/boot-tests
 *     does: validation, the .config check, the row, the job) → the worker →
 *     the test's terminal status; the time is submit → the row's finishedAt
 *     (written with the status, same host clock). Each run's result.json says
 *     how long QEMU itself ran (bootMs), which splits (b) into the boot and
 *     what kbuild adds around it (queue, fetching artifacts, the sandbox,
 *     storing the console).
 *
 * Runs alternate a b, b a, ... after one warm-up of each; N pairs (default 5).
 * Goal: (b) ≤ 30 s. Uses its own database (kbuild_bench_boot), Redis
 * database 14 and prefix kbuild-bench; stops its worker at the end.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { artifactKey, artifactStore } from "../lib/artifacts";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { DEFAULT_BOOT_ENVIRONMENT, loadBootEnvironments } from "../lib/boot/environment";
import { buildInitramfs, markerPrefix, moduleFileName } from "../lib/boot/initramfs";
import { bootArtifactKey } from "../lib/boot/log";
import { INITRAMFS_FILE, KERNEL_FILE, qemuArgv } from "../lib/boot/qemu";
import { createBootTest } from "../lib/boot/service";
import { isTerminal } from "../lib/builds/status";
import { loadConfig } from "../lib/config";
import { createDb } from "../lib/db/client";
import { redis as sharedRedis } from "../lib/redis";
import { LineSplitter } from "../lib/logs/line";
import {
  type Child,
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
  sleep,
  startWorker,
  stopChildren,
} from "./common";

const RUNS = intArg("runs", 5, 1, 50);
const RUNTIME = argValue("runtime") ?? "docker";
const DIR = argValue("artifacts");
const MODULE = "rust_minimal.ko";

async function baseline(bzImage: string, initramfs: string, nonce: string): Promise<number> {
  const env = (await loadBootEnvironments()).get(DEFAULT_BOOT_ENVIRONMENT)!;
  const argv = qemuArgv(env, `bench-${nonce}`).map((a) => (a === KERNEL_FILE ? bzImage : a === INITRAMFS_FILE ? initramfs : a));
  const done = `${markerPrefix(nonce)} done`;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    const lines = new LineSplitter();
    const seen: string[] = [];
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`QEMU gave no done marker within 120 s:\n${seen.slice(-20).join("\n")}`));
    }, 120_000);
    child.stdout.on("data", (c: Buffer) => {
      for (const l of lines.push(c)) {
        seen.push(l);
        if (l.includes(done)) {
          const ms = performance.now() - t0;
          clearTimeout(timer);
          child.kill("SIGKILL");
          if (!seen.some((x) => x.includes(`insmod ok ${moduleFileName(0, MODULE)}`))) reject(new Error("the module did not load in the baseline"));
          resolve(ms);
        }
      }
    });
    child.on("error", reject);
  });
}

async function main() {
  if (!DIR) throw new Error("--artifacts DIR is required: a directory with bzImage, .config and rust_minimal.ko of a bootable build");
  const env = { ...benchEnv("boot", "postgresql://postgres@127.0.0.1:5432/kbuild_bench_boot", "redis://127.0.0.1:6379/14"), KBUILD_RUNTIME: RUNTIME };
  Object.assign(process.env, env);
  await resetDatabase(env.DATABASE_URL);
  await clearRedisPrefix(env.REDIS_URL);
  await rm(env.KBUILD_ARTIFACTS_DIR, { recursive: true, force: true });
  let worker: Child | undefined;
  installSignalHandlers(stopChildren);
  const db = createDb();
  const poller = new pg.Client({ connectionString: env.DATABASE_URL });
  await poller.connect();
  try {
    worker = await startWorker(env);
    const { source } = await kernelSource(db, loadConfig().sourceCacheDir);
    const build = await db.build.create({
      data: {
        organizationId: DEFAULT_ACTOR.organizationId,
        submitterId: DEFAULT_ACTOR.userId,
        sourceId: source.id,
        spec: { note: "artifacts recorded by bench/boot-test.ts" },
        profile: "debian-bookworm-llvm14",
        arch: "x86_64",
        baseConfig: "tinyconfig",
        status: "succeeded",
        finishedAt: new Date(),
      },
    });
    for (const name of ["bzImage", ".config", MODULE]) {
      const obj = await artifactStore().putFile(artifactKey(build.id, name), path.join(DIR, name));
      await db.artifact.create({ data: { buildId: build.id, name, size: obj.size, sha256: obj.sha256, contentType: "application/octet-stream", storageKey: artifactKey(build.id, name) } });
    }

    const scratch = path.join(env.KBUILD_WORK_DIR, "baseline");
    await mkdir(scratch, { recursive: true });
    const bootEnv = (await loadBootEnvironments()).get(DEFAULT_BOOT_ENVIRONMENT)!;
    const runA = async () => {
      const nonce = randomBytes(8).toString("hex");
      const initramfs = path.join(scratch, "initramfs.cpio");
      await writeFile(initramfs, buildInitramfs({ busybox: await readFile(bootEnv.binaries.busybox), modules: [{ name: MODULE, data: await readFile(path.join(DIR, MODULE)) }], nonce }));
      return baseline(path.join(DIR, "bzImage"), initramfs, nonce);
    };
    const runB = async () => {
      const submitted = Date.now();
      const { id } = await createBootTest(db, DEFAULT_ACTOR, build.id, { modules: [{ artifact: MODULE }], expect: [{ literal: "Rust minimal sample (init)" }] });
      for (;;) {
        const { rows } = await poller.query<{ status: string; finishedAt: Date | null }>({ name: "poll-boot", text: 'SELECT status, "finishedAt" FROM "BootTest" WHERE id = $1', values: [id] });
        if (rows[0] && isTerminal(rows[0].status as never)) {
          if (rows[0].status !== "succeeded") throw new Error(`boot test ${id} ${rows[0].status}`);
          let result = "";
          for await (const chunk of await artifactStore().read(bootArtifactKey(id, "result.json"))) result += chunk.toString();
          return { totalMs: rows[0].finishedAt!.getTime() - submitted, bootMs: JSON.parse(result).bootMs as number };
        }
        if (!worker!.running) throw new Error(`the worker exited:\n${worker!.tail()}`);
        await sleep(100);
      }
    };

    console.error("warm-up: one of each");
    await runA();
    await runB();
    const a: number[] = [];
    const b: { totalMs: number; bootMs: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 === 0 ? ["a", "b"] : ["b", "a"];
      for (const which of order) {
        if (which === "a") a.push(await runA());
        else b.push(await runB());
      }
      console.error(`pair ${i + 1}/${RUNS}: qemu alone ${round(a.at(-1)! / 1000, 2)} s, kbuild ${round(b.at(-1)!.totalMs / 1000, 2)} s (QEMU ${round(b.at(-1)!.bootMs / 1000, 2)} s)`);
    }
    const summary = {
      bench: "boot-test",
      machine: machine(),
      runtime: RUNTIME,
      runs: RUNS,
      baselineSeconds: a.map((x) => round(x / 1000, 2)),
      kbuildSeconds: b.map((x) => round(x.totalMs / 1000, 2)),
      kbuildQemuSeconds: b.map((x) => round(x.bootMs / 1000, 2)),
      median: {
        baseline: round(median(a) / 1000, 2),
        kbuild: round(median(b.map((x) => x.totalMs)) / 1000, 2),
        kbuildQemu: round(median(b.map((x) => x.bootMs)) / 1000, 2),
        kbuildAround: round(median(b.map((x) => x.totalMs - x.bootMs)) / 1000, 2),
      },
      goalSeconds: 30,
    };
    const out = [
      `boot test, ${RUNTIME} runtime, ${RUNS} pairs (medians):`,
      `  (a) QEMU alone, spawn → done marker:           ${summary.median.baseline} s`,
      `  (b) kbuild, submit → verdict stored:           ${summary.median.kbuild} s (goal ≤ 30 s: ${summary.median.kbuild <= 30 ? "met" : "missed"})`,
      `      of which QEMU (start → verdict):           ${summary.median.kbuildQemu} s`,
      `      around it (queue, artifacts, sandbox, store): ${summary.median.kbuildAround} s`,
    ];
    console.log(JSON.stringify(summary, null, 2));
    console.log(out.join("\n"));
    const resultsDir = path.join(import.meta.dirname, "results");
    await mkdir(resultsDir, { recursive: true });
    await writeFile(path.join(resultsDir, "boot-test.json"), JSON.stringify(summary, null, 2) + "\n");
    await writeFile(path.join(resultsDir, "boot-test.txt"), out.join("\n") + "\n");
  } finally {
    await stopChildren();
    await poller.end().catch(() => {});
    await db.$disconnect();
    sharedRedis().disconnect();
    await clearRedisPrefix(env.REDIS_URL).catch(() => {});
  }
}

runBench("boot-test", main);
