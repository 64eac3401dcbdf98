import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Redis } from "ioredis";
import { artifactKey } from "../lib/artifacts/store";
import type { ArtifactStore } from "../lib/artifacts/store";
import { cleanConsoleLine } from "../lib/boot/console";
import type { BootEnvironment } from "../lib/boot/environment";
import { buildInitramfs, markerPrefix, moduleFileName } from "../lib/boot/initramfs";
import { bootArtifactKey, bootLogTarget } from "../lib/boot/log";
import { BOOT_DIR, BUSYBOX_FILE, INITRAMFS_FILE, KERNEL_FILE, qemuArgv } from "../lib/boot/qemu";
import type { BootArtifact } from "../lib/boot/service";
import type { BootTestSpec } from "../lib/boot/spec";
import { moveBootTest } from "../lib/boot/transition";
import { ConsoleVerdict, type Verdict } from "../lib/boot/verdict";
import { formatArgv } from "../lib/builds/plan";
import type { BuildStatus, Prisma, PrismaClient } from "../lib/db/client";
import { BuildLogWriter } from "../lib/logs/writer";
import { type AbortReason, endOfRun } from "./command-step";
import type { Runtime, Sandbox } from "./runtimes/runtime";

export interface BootContext {
  db: PrismaClient;
  redis: Redis;
  prefix: string;
  workerId: string;
  runtime: Runtime;
  environments: Map<string, BootEnvironment>;
  workDir: string;
  store: ArtifactStore;
  /** Bytes of console the live stream and the database copy hold at most (KBUILD_LOG_STREAM_MAX_BYTES); console.log keeps it whole. */
  logStreamMaxBytes: number;
}

/** Log sections (the step index of each line). */
const PREPARE = 0;
const CONSOLE = 1;
const VERDICT = 2;

/** After a failure line, how long the console is still read (the Oops trace follows it) before QEMU is ended. */
const FAILURE_SETTLE_MS = 2000;
/** How often the runner looks for a cancel in PostgreSQL (the Redis channel is faster; this one survives a Redis restart). */
const CANCEL_POLL_MS = 1000;

const CONTENT_TYPES: Record<string, string> = {
  "console.log": "text/plain; charset=utf-8",
  "result.json": "application/json",
  "initramfs.cpio": "application/x-cpio",
};

/**
 * Runs one boot test: fetches the kernel and the modules from the artifact
 * store, builds the initramfs, boots QEMU in the boot environment's sandbox,
 * streams its console into the test's log and judges it line by line. kbuild
 * ends QEMU itself — on the verdict, on the timeout, on a cancel — by
 * aborting the step, which kills the container (or the sandbox's process
 * group), and the sandbox is removed whatever happened. The console is kept
 * as an artifact in every case.
 */
export async function runBootTest(ctx: BootContext, id: string, signal: AbortSignal): Promise<BuildStatus | null> {
  const { db } = ctx;
  const row = await db.bootTest.findUnique({ where: { id } });
  if (!row) return null;
  if (!(await moveBootTest(db, id, "running", { workerId: ctx.workerId, startedAt: new Date() }))) return null;
  const spec = row.spec as unknown as BootTestSpec;
  const log = new BuildLogWriter(ctx.redis, db, id, ctx.prefix, { target: bootLogTarget(db, ctx.prefix, id), storedMaxBytes: ctx.logStreamMaxBytes, fullLogName: "console.log" }, row.logLines);
  const workDir = path.join(ctx.workDir, `boot-${id}`);
  const consoleLines: string[] = [];
  let status: BuildStatus = "error";
  let reason: string | null = null;
  let verdict: Verdict | null = null;
  let sandbox: Sandbox | undefined;
  let argv: string[] = [];
  const startedAt = Date.now();
  let qemuStartedAt: number | null = null;

  const stop = new AbortController();
  signal.addEventListener("abort", () => stop.abort(signal.reason), { once: true });
  const cancelPoll = setInterval(async () => {
    const r = await db.bootTest.findUnique({ where: { id }, select: { cancelRequested: true } }).catch(() => null);
    if (r?.cancelRequested) stop.abort("cancel" satisfies AbortReason);
  }, CANCEL_POLL_MS);
  let timeout: NodeJS.Timeout | undefined;
  let settle: NodeJS.Timeout | undefined;

  try {
    const env = ctx.environments.get(spec.environment);
    if (!env) throw new Error(`boot environment ${spec.environment} is not installed on worker ${ctx.workerId}`);
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });

    log.write(PREPARE, `▶ Kernel: ${spec.kernel.artifact} of build ${spec.kernel.buildId} (sha256 ${spec.kernel.sha256})`);
    await fetchArtifact(ctx.store, artifactKey(spec.kernel.buildId, spec.kernel.artifact), path.join(workDir, "bzImage"));
    const modules = [];
    for (const [i, m] of spec.resolvedModules.entries()) {
      const data = await readAll(ctx.store, artifactKey(m.buildId, m.name));
      const file = moduleFileName(i, m.name);
      modules.push({ name: m.name, file, data });
      log.write(PREPARE, `  module ${i + 1}: ${m.name} of build ${m.buildId} (${data.length} bytes) → /modules/${file}`);
    }

    sandbox = await ctx.runtime.open({
      buildId: `boot-${id}`,
      workerId: ctx.workerId,
      profile: { id: env.id, image: env.image, hostPaths: env.hostPaths },
      mounts: [{ host: workDir, target: BOOT_DIR, writable: true }],
    });
    log.write(PREPARE, `▶ Sandbox: ${Object.entries(sandbox.info).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    const stepEnv = { PATH: env.path.join(":"), HOME: "/tmp" };
    const copy = await sandbox.run({
      argv: ["cp", env.binaries.busybox, BUSYBOX_FILE],
      env: stepEnv,
      cwd: "/",
      signal: stop.signal,
      onLine: (l) => log.write(PREPARE, l),
    });
    if (copy.aborted) throw new DOMException("aborted", "AbortError");
    if (copy.exitCode !== 0) throw new Error(`the boot environment has no busybox at ${env.binaries.busybox} (cp exited ${copy.exitCode})`);

    const nonce = randomBytes(8).toString("hex");
    const initramfs = buildInitramfs({ busybox: await readFile(path.join(workDir, "busybox")), modules, nonce });
    await writeFile(path.join(workDir, "initramfs.cpio"), initramfs);
    log.write(PREPARE, `▶ initramfs: ${initramfs.length} bytes (busybox, /init, ${modules.length} module(s)); markers start with "${markerPrefix(nonce)}"`);

    const judge = new ConsoleVerdict({ markerPrefix: markerPrefix(nonce), modules: modules.map((m) => ({ name: m.name, file: m.file })), expect: spec.expect, forbid: spec.forbid });
    argv = qemuArgv(env, id);
    log.write(CONSOLE, `▶ QEMU (timeout ${spec.timeoutSeconds} s): ${formatArgv(argv)}`);
    qemuStartedAt = Date.now();
    timeout = setTimeout(() => stop.abort("timeout" satisfies AbortReason), spec.timeoutSeconds * 1000);
    const result = await sandbox.run({
      argv,
      env: stepEnv,
      cwd: BOOT_DIR,
      signal: stop.signal,
      onLine: (raw) => {
        const text = cleanConsoleLine(raw);
        consoleLines.push(text);
        log.write(CONSOLE, text);
        const decided = judge.observe(text);
        if (!decided) return;
        // The done marker ends QEMU at once; a failure line leaves it a moment to print the trace that follows.
        if (decided.ended !== "failure") stop.abort("verdict");
        else settle ??= setTimeout(() => stop.abort("verdict"), FAILURE_SETTLE_MS);
      },
    });
    clearTimeout(timeout);
    clearTimeout(settle);
    const why = stop.signal.reason as AbortReason | "verdict" | undefined;
    if (judge.verdict) verdict = judge.verdict;
    else if (result.aborted && why === "timeout") {
      verdict = judge.end("timeout", `no verdict within the timeout of ${spec.timeoutSeconds} s (${describeProgress(judge, consoleLines)}); QEMU was ended`);
    } else if (result.aborted && why === "cancel") {
      verdict = judge.end("canceled", "canceled by a user; QEMU was ended");
    } else if (result.aborted) {
      throw new DOMException(String(why), "AbortError");
    } else {
      verdict = judge.end("exited", `QEMU exited (${result.exitCode === null ? `signal ${result.signal}` : `exit code ${result.exitCode}`}) before /init finished (${describeProgress(judge, consoleLines)})`);
    }
    status = verdict.ended === "canceled" ? "canceled" : verdict.passed ? "succeeded" : "failed";
    reason = verdict.reason;
  } catch (err) {
    ({ status, reason } = endOfRun(err, stop.signal, { timeoutReason: `the boot test did not start within its timeout of ${spec.timeoutSeconds} s`, workerId: ctx.workerId, what: "boot test" }));
  } finally {
    clearInterval(cancelPoll);
    clearTimeout(timeout);
    clearTimeout(settle);
    // Removing the container kills whatever still runs in it: QEMU never outlives its test.
    await sandbox?.close();
  }

  try {
    const artifacts = await storeArtifacts(ctx.store, id, workDir, {
      "console.log": consoleLines.length ? consoleLines.join("\n") + "\n" : "",
      "result.json":
        JSON.stringify(
          {
            bootTest: id,
            status,
            statusReason: reason,
            verdict,
            kernel: spec.kernel,
            modules: spec.resolvedModules,
            expect: spec.expect,
            forbid: spec.forbid,
            timeoutSeconds: spec.timeoutSeconds,
            environment: spec.environment,
            runtime: sandbox?.info ?? { runtime: ctx.runtime.name },
            qemu: argv,
            worker: ctx.workerId,
            durationMs: Date.now() - startedAt,
            bootMs: qemuStartedAt === null ? null : Date.now() - qemuStartedAt,
          },
          null,
          2,
        ) + "\n",
    });
    for (const a of artifacts) log.write(VERDICT, `  ${a.name}  ${a.size} bytes  sha256 ${a.sha256}`);
    // The verdict last: the page's log ends with it.
    writeVerdict(log, status, reason, verdict);
    await db.bootTest.update({ where: { id }, data: { artifacts: artifacts as unknown as Prisma.InputJsonValue, verdict: (verdict ?? undefined) as unknown as Prisma.InputJsonValue } });
    await log.flush();
  } catch (err) {
    status = "error";
    reason = `kbuild could not store the boot test's results: ${(err as Error).message}`;
    log.write(VERDICT, `■ error: ${reason}`);
  }
  await moveBootTest(db, id, status, { statusReason: reason, finishedAt: new Date(), logLines: log.lastSeq });
  await log.end(status).catch(() => {});
  await rm(workDir, { recursive: true, force: true }).catch(() => {});
  return status;
}

function writeVerdict(log: BuildLogWriter, status: BuildStatus, reason: string | null, verdict: Verdict | null): void {
  if (verdict) {
    for (const m of verdict.modules) log.write(VERDICT, `${m.outcome === "loaded" ? "✓" : "✗"} module ${m.name}: ${m.outcome}${m.error ? ` — ${m.error}` : ""}`);
    for (const f of verdict.kernelFailures) log.write(VERDICT, `✗ kernel ${f.kind}: ${f.line}`);
    for (const e of verdict.expected) log.write(VERDICT, `${e.seen ? "✓" : "✗"} expected ${e.pattern}${e.seen ? "" : ": never appeared"}`);
    for (const f of verdict.forbidden) log.write(VERDICT, `${f.line === null ? "✓" : "✗"} forbidden ${f.pattern}${f.line === null ? "" : `: ${f.line}`}`);
  }
  log.write(VERDICT, `■ ${status === "succeeded" ? "passed" : status}${reason ? `: ${reason}` : ""}`);
}

/** Where the boot got to, for a timeout's or an early exit's reason. */
function describeProgress(judge: ConsoleVerdict, lines: string[]): string {
  if (!lines.length) return "the console stayed silent";
  const { loaded, total } = judge.progress();
  return `${lines.length} console line(s)${total ? `, modules loaded: ${loaded.join(", ") || "none"}` : ""}; last: ${JSON.stringify(lines.at(-1)!.slice(0, 200))}`;
}

async function readAll(store: ArtifactStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function fetchArtifact(store: ArtifactStore, key: string, file: string): Promise<void> {
  await pipeline(await store.read(key), createWriteStream(file));
}

/** Stores the texts given and the initramfs when it was built. */
async function storeArtifacts(store: ArtifactStore, id: string, workDir: string, texts: Record<string, string>): Promise<BootArtifact[]> {
  await mkdir(path.join(workDir, "results"), { recursive: true });
  const stored: BootArtifact[] = [];
  const files: [string, string][] = [];
  for (const [name, text] of Object.entries(texts)) {
    const file = path.join(workDir, "results", name);
    await writeFile(file, text);
    files.push([name, file]);
  }
  const initramfs = path.join(workDir, "initramfs.cpio");
  if (await stat(initramfs).then((st) => st.isFile(), () => false)) files.push(["initramfs.cpio", initramfs]);
  for (const [name, file] of files) {
    const obj = await store.putFile(bootArtifactKey(id, name), file);
    stored.push({ name, size: obj.size, sha256: obj.sha256, contentType: CONTENT_TYPES[name] ?? "application/octet-stream" });
  }
  return stored;
}
