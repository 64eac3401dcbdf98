import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { Redis } from "ioredis";
import type { PlannedStep } from "../lib/builds/plan";
import { isTerminal } from "../lib/builds/status";
import type { BuildStatus, PrismaClient } from "../lib/db/client";
import { recreateDatabase } from "../test/database";
import type { BwrapRuntime } from "../worker/runtimes/bwrap";
import type { Mount } from "../worker/runtimes/runtime";

/**
 * What the benchmarks share: their own database, Redis logical database and
 * key prefix (a running kbuild and the test suites are never touched), argument
 * parsing, statistics, and child processes that are always cleaned up.
 */

export const ROOT = path.join(import.meta.dirname, "..");
export const PREFIX = "kbuild-bench";

export interface BenchEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  KBUILD_PREFIX: string;
  KBUILD_WORK_DIR: string;
  KBUILD_ARTIFACTS_DIR: string;
  [name: string]: string;
}

/** The environment of one benchmark; `name` keeps the benches apart (own database, own Redis db). */
export function benchEnv(name: string, databaseUrl: string, redisUrl: string): BenchEnv {
  const runDir = path.join(os.tmpdir(), `kbuild-bench-${name}`);
  return {
    DATABASE_URL: process.env.KBUILD_BENCH_DATABASE_URL ?? databaseUrl,
    REDIS_URL: process.env.KBUILD_BENCH_REDIS_URL ?? redisUrl,
    KBUILD_PREFIX: PREFIX,
    KBUILD_WORK_DIR: path.join(runDir, "work"),
    KBUILD_ARTIFACTS_DIR: path.join(runDir, "artifacts"),
    // No compiler cache unless a bench sets its own: the user's (~/.cache/kbuild/ccache) is never touched.
    KBUILD_CCACHE_DIR: "",
    // Nor does any build reuse an earlier build's directory unless a bench says so.
    KBUILD_BUILD_DIR_CACHE_ENTRIES: "0",
    // The same runtime as the by-hand runs (BwrapRuntime), unless a bench compares runtimes.
    KBUILD_RUNTIME: "bwrap",
  };
}

/** Makes the bench env this process's own, before anything reads lib/config. */
export function useEnv(env: BenchEnv): void {
  Object.assign(process.env, env);
}

/** Drops and re-creates the bench's database from the migrations: every run starts empty. */
export async function resetDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!/bench/.test(name)) throw new Error(`refusing to drop ${name}: a bench database's name contains "bench"`);
  await recreateDatabase(databaseUrl);
}

/** Deletes every key under the bench prefix in the bench's Redis database (never FLUSHDB). */
export async function clearRedisPrefix(redisUrl: string, prefix = PREFIX): Promise<number> {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, found] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (found.length) deleted += await r.del(...found);
    } while (cursor !== "0");
  } finally {
    r.disconnect();
  }
  return deleted;
}

/** `--runs N` and friends: `--name value` or `--name=value`. */
export function argValue(name: string): string | undefined {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${name}`) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

export function argFlag(name: string): boolean {
  return process.argv.slice(2).includes(`--${name}`);
}

export function intArg(name: string, fallback: number, min: number, max: number): number {
  const v = argValue(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in [${min}, ${max}], got ${v}`);
  return n;
}

// ---------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------

/** Nearest-rank percentile of an unsorted sample (p in [0, 100]). */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (!sorted.length) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  if (!sorted.length) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------

/**
 * A process the bench started, in a process group of its own so that stop()
 * ends it and whatever it started (npx → node, bwrap → make), by its id only.
 */
export class Child {
  readonly output: string[] = [];
  private exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
    private readonly echo = false,
  ) {
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        if (!line) continue;
        this.output.push(line);
        if (this.output.length > 5000) this.output.shift();
        if (this.echo) console.error(`[${this.name}] ${line}`);
      }
    };
    proc.stdout?.on("data", collect);
    proc.stderr?.on("data", collect);
    this.exited = new Promise((r) => proc.once("exit", () => r()));
    children.add(this);
    void this.exited.then(() => children.delete(this));
  }

  static spawn(name: string, command: string, args: string[], env: Record<string, string>, echo = false): Child {
    const proc = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    return new Child(name, proc, echo);
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Resolves with the first output line matching, rejects if the process exits first or time runs out. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const line = this.output.find((l) => pattern.test(l));
      if (line) return line;
      if (!this.running) throw new Error(`${this.name} exited (${this.proc.exitCode ?? this.proc.signalCode}) before printing ${pattern}:\n${this.tail()}`);
      if (Date.now() > until) throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(100);
    }
  }

  tail(n = 40): string {
    return this.output.slice(-n).join("\n");
  }

  /** SIGTERM to its group, SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.signalGroup("SIGTERM");
    const killed = setTimeout(() => this.signalGroup("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(killed);
    this.signalGroup("SIGKILL"); // stragglers left in its group
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.proc.pid;
    if (!pid) return;
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        // gone
      }
    }
  }
}

const children = new Set<Child>();

/** Stops every child still running; also on Ctrl-C, so a bench never leaves processes behind. */
export async function stopChildren(): Promise<void> {
  await Promise.allSettled([...children].map((c) => c.stop()));
}

let handlersInstalled = false;
export function installSignalHandlers(cleanup: () => Promise<void>): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      console.error(`\n${sig}: stopping the bench's processes`);
      void cleanup()
        .catch(() => {})
        .finally(() => process.exit(130));
    });
  }
}

// ---------------------------------------------------------------------------
// Builds: a real worker, the source it prepared, the same commands by hand
// ---------------------------------------------------------------------------

/** Starts a worker process (worker/main.ts) with the bench's environment; resolves once it takes builds. */
export async function startWorker(env: Record<string, string>): Promise<Child> {
  console.error("starting a worker (prepares the kernel source: unpacked once, Kconfig scanned at each start)...");
  const t0 = performance.now();
  const worker = Child.spawn("worker", process.execPath, ["--import", "tsx", path.join("worker", "main.ts")], {
    ...env,
    KBUILD_WORKER_ID: "bench-worker",
  });
  await worker.waitFor(/waiting for builds/, 15 * 60_000);
  console.error(`worker ready in ${round((performance.now() - t0) / 1000, 1)} s`);
  return worker;
}

/** The tree the worker unpacked for this source: its cache key, as worker/sources.ts computes it, or a scan. */
export async function cachedTree(name: string, tarball: string, cacheDir: string): Promise<string> {
  const treeIn = async (dir: string) => {
    const names = await readdir(dir);
    if (names.includes("Makefile")) return dir;
    if (names.length === 1) return path.join(dir, names[0]!);
    throw new Error(`${dir} holds no kernel tree`);
  };
  const st = await stat(tarball);
  const key = createHash("sha256").update(`${tarball}\0${st.size}\0${st.mtimeMs}`).digest("hex").slice(0, 16);
  const expected = path.join(cacheDir, `${name}-${key}`);
  if (await stat(expected).then(() => true, () => false)) return treeIn(expected);
  const found = (await readdir(cacheDir)).filter((n) => n.startsWith(`${name}-`) && !n.includes(".partial"));
  if (!found.length) throw new Error(`no unpacked ${name} under ${cacheDir}`);
  return treeIn(path.join(cacheDir, found.sort().at(-1)!));
}

/** The Linux 6.1 source the worker registered (ready), and the tree it builds from. */
export async function kernelSource(db: PrismaClient, sourceCacheDir: string) {
  const sources = await db.kernelSource.findMany({ where: { status: "ready" } });
  const source = sources.find((s) => s.version === "6.1" || s.version?.startsWith("6.1."));
  if (!source) throw new Error(`the worker registered no ready 6.1 source (have: ${sources.map((s) => `${s.name} ${s.version}`).join(", ") || "none"})`);
  const tree = source.kind === "tarball" ? await cachedTree(source.name, source.location, sourceCacheDir) : source.location;
  console.error(`source ${source.name} (Linux ${source.version}), tree ${tree}`);
  return { source, tree };
}

/**
 * Polls a build's status until it is terminal, with a prepared statement on a
 * plain pg connection (~0.15 ms of CPU a poll where a Prisma query costs
 * ~0.7 ms), so that watching a build does not slow it down.
 */
export async function waitForBuild(poller: pg.Client, id: string, worker: Child, timeoutMs: number, pollMs: number): Promise<BuildStatus> {
  for (const until = Date.now() + timeoutMs; ; ) {
    const { rows } = await poller.query<{ status: BuildStatus }>({ name: "bench-poll-status", text: 'SELECT status FROM "Build" WHERE id = $1', values: [id] });
    const row = rows[0];
    if (row && isTerminal(row.status)) return row.status;
    if (Date.now() > until) throw new Error(`build ${id} did not end within ${timeoutMs / 1000} s`);
    if (!worker.running) throw new Error(`the worker exited:\n${worker.tail()}`);
    await sleep(pollMs);
  }
}

/** Runs planned commands one after the other through a runtime, as the worker does; seconds each, by step name. */
export async function runCommands(runtime: BwrapRuntime, commands: PlannedStep[], mounts: Mount[], signal = new AbortController().signal): Promise<Record<string, number>> {
  const steps: Record<string, number> = {};
  for (const step of commands) {
    const s = performance.now();
    const lines: string[] = [];
    const result = await runtime.run({
      argv: step.argv!,
      env: step.env,
      cwd: step.cwd,
      mounts,
      signal,
      onLine: (l) => {
        lines.push(l);
        if (lines.length > 200) lines.shift();
      },
    });
    steps[step.name] = (performance.now() - s) / 1000;
    if (result.exitCode !== 0) throw new Error(`by hand: ${step.name} exited ${result.exitCode}:\n${lines.slice(-20).join("\n")}`);
  }
  return steps;
}

/** Where this run happened, for the results. */
export function machine() {
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadavg: os.loadavg().map((x) => round(x, 2)),
  };
}

/** Runs a bench's main: exits with its exit code, or stops every child and exits 1 on an error. */
export function runBench(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    async (err) => {
      console.error(`${name}: ${(err as Error).stack ?? err}`);
      await stopChildren();
      process.exit(1);
    },
  );
}

/**
 * `npx next start` on a free port with `env`, once it answers; runs `npx next
 * build` first when there is no build (or `rebuild` says so).
 */
export async function startNextServer(env: Record<string, string>, rebuild = false): Promise<{ base: string; child: Child; port: number }> {
  if (rebuild || !existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    console.error("running `npx next build` ...");
    const build = Child.spawn("next-build", "npx", ["next", "build"], { ...env });
    const deadline = Date.now() + 15 * 60_000;
    while (build.running && Date.now() < deadline) await sleep(500);
    if (build.running) await build.stop();
    if (build.proc.exitCode !== 0) throw new Error(`npx next build failed (exit ${build.proc.exitCode}):\n${build.tail(25)}`);
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  console.error(`starting \`npx next start -p ${port}\` ...`);
  const child = Child.spawn("next", "npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], { ...env, NODE_ENV: "production" });
  for (const until = Date.now() + 120_000; ; ) {
    if (!child.running) throw new Error(`next start exited:\n${child.tail()}`);
    const res = await fetch(`${base}/api/v1/profiles`).catch(() => null);
    if (res) {
      await res.body?.cancel();
      return { base, child, port };
    }
    if (Date.now() > until) throw new Error(`next start did not answer within 120 s:\n${child.tail()}`);
    await sleep(250);
  }
}
