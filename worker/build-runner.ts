import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Redis } from "ioredis";
import type { ArtifactStore } from "../lib/artifacts/store";
import { parseCcacheStatsLog } from "../lib/builds/ccache";
import {
  type PlanOptions,
  type PlannedStep,
  CCACHE_DIR,
  CCACHE_STATS_FILE,
  FRAGMENT_FILE,
  formatArgv,
  OUT_DIR,
  SOURCE_DIR,
  UPLOADED_CONFIG_FILE,
  planBuild,
} from "../lib/builds/plan";
import { isObjectLine, previousObjectCount } from "../lib/builds/progress";
import { reproducerScript } from "../lib/builds/reproducer";
import { recordResolvedConfig } from "../lib/builds/resolved-options";
import { type BuildSpec, BuildSpecSchema, fragmentText } from "../lib/builds/spec";
import { resolveTargets, skippedTargets } from "../lib/builds/targets";
import { moveBuild } from "../lib/builds/transition";
import { BuildDiagnostics } from "../lib/diagnostics";
import { recordDiagnostics } from "../lib/builds/diagnostics-record";
import type { BuildStatus, Prisma, PrismaClient, StepStatus } from "../lib/db/client";
import { parseDotConfig } from "../lib/kconfig/dotconfig";
import { explainDropped } from "../lib/kconfig/explain";
import type { Kconfig } from "../lib/kconfig/engine/kconfig";
import { compareWithEngine, explainWithEngine, loadModel, type EngineCheck } from "./engine-check";
import type { LogArchive } from "../lib/logs/archive";
import { BuildLogWriter } from "../lib/logs/writer";
import type { ToolchainProfile } from "../lib/toolchain/profiles";
import { collectArtifacts } from "./artifacts";
import type { BuildDirCache } from "./build-dir-cache";
import { type LogLimits, closeWholeLog, openWholeLog } from "./whole-log";
import { type AbortReason, BuildFailure, endOfRun, runCommandStep } from "./command-step";
import type { Runtime, Sandbox } from "./runtimes/runtime";
import type { PreparedSource } from "./sources";

export interface WorkerContext {
  db: PrismaClient;
  redis: Redis;
  prefix: string;
  workerId: string;
  runtime: Runtime;
  profiles: Map<string, ToolchainProfile>;
  sources: Map<string, PreparedSource>;
  workDir: string;
  store: ArtifactStore;
  /** ccache directories (one per profile under it); empty: no compiler cache. */
  ccacheDir: string;
  ccacheMaxSize: string;
  buildTimeoutSeconds: number;
  buildDirCache: BuildDirCache;
  logLimits: LogLimits;
}

/** How often a running make step's object count is written to its record. */
const PROGRESS_INTERVAL_MS = 2000;

export interface ConfigCheck {
  symbol: string;
  requested: string;
  resolved: string;
  ok: boolean;
  explanation: string | null;
}

/**
 * Compares requested options with the resolved .config; hex compares
 * case-insensitively as Kconfig does. A dropped option is explained by the
 * Kconfig engine's tree when there is one, else from the scanned dependencies.
 */
export function checkRequested(spec: BuildSpec, resolvedText: string, source: PreparedSource, engine: Kconfig | null = null): ConfigCheck[] {
  const resolved = parseDotConfig(resolvedText).values;
  return spec.options.map(({ symbol, value }) => {
    const now = resolved.get(symbol) ?? "n";
    const ok = now === value || (/^0x/i.test(value) && now.toLowerCase() === value.toLowerCase());
    const why = ok || !engine ? null : explainWithEngine(engine, symbol, value);
    return {
      symbol,
      requested: value,
      resolved: now,
      ok,
      explanation: ok ? null : why ? `CONFIG_${symbol}=${value} was dropped by olddefconfig (it is ${now}):\n${why.join("\n")}` : explainDropped(symbol, value, resolved, source.symbols),
    };
  });
}

function logEngineCheck(check: EngineCheck, write: (line: string) => void): void {
  if (check.status === "agrees") write("✓ kbuild's Kconfig engine resolves the same .config");
  else if (check.status === "unavailable") write(`kbuild's Kconfig engine was not compared: ${check.reason}`);
  else {
    write(`⚠ kbuild's Kconfig engine disagrees with the kernel on ${check.differences.length + check.more} symbol(s); the kernel's .config is used:`);
    for (const d of check.differences.slice(0, 20)) write(`  CONFIG_${d.symbol}: kernel ${d.kernel}, engine ${d.engine}`);
  }
}

/** "clang: Debian clang version 14.0.6" lines of the toolchain step → { clang: "...", ... }. */
export function parseToolchainProbe(lines: string[]): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const line of lines) {
    const m = /^(clang|ld\.lld|rustc|bindgen|rust-src): (.*)$/.exec(line);
    if (m) versions[m[1]!] = m[2]!.trim();
  }
  return versions;
}

export async function runBuild(ctx: WorkerContext, buildId: string, signal: AbortSignal): Promise<BuildStatus | null> {
  const { db } = ctx;
  const build = await db.build.findUnique({ where: { id: buildId }, include: { source: true } });
  if (!build) return null;
  if (!(await moveBuild(db, buildId, "running", { workerId: ctx.workerId, startedAt: new Date() }))) {
    return null; // canceled while queued, or another worker has it
  }
  const log = new BuildLogWriter(ctx.redis, db, buildId, ctx.prefix, { storedMaxBytes: ctx.logLimits.streamMaxBytes }, build.logLines);
  let archive: LogArchive | undefined;
  const diagnostics = new BuildDiagnostics();
  const workDir = path.join(ctx.workDir, buildId);
  const outDir = path.join(workDir, "out");
  const timings: { name: string; argv: string[] | null; status: StepStatus; exitCode: number | null; startedAt: string; finishedAt: string }[] = [];
  let status: BuildStatus = "succeeded";
  let reason: string | null = null;
  let configReport: ConfigCheck[] | null = null;
  let toolchain: Record<string, string> | null = null;
  let skipped = new Map<string, string>();
  let configHash: string | null = null;
  let buildDirKey: string | null = null;
  let buildDirReused = false;
  let steps: PlannedStep[] = [];
  let spec: BuildSpec | undefined;
  let sandbox: Sandbox | undefined;
  let sandboxInfo: Record<string, string> = { runtime: ctx.runtime.name };

  const stopCheck = setInterval(async () => {
    const row = await db.build.findUnique({ where: { id: buildId }, select: { cancelRequested: true } }).catch(() => null);
    if (row?.cancelRequested) localAbort.abort("cancel" satisfies AbortReason);
  }, 2000);
  const localAbort = new AbortController();
  signal.addEventListener("abort", () => localAbort.abort(signal.reason), { once: true });
  const timeout = setTimeout(() => localAbort.abort("timeout" satisfies AbortReason), ctx.buildTimeoutSeconds * 1000);
  const aborted = localAbort.signal;
  const timeoutReason = `the build ran longer than its limit of ${ctx.buildTimeoutSeconds} s (the worker's KBUILD_BUILD_TIMEOUT_SECONDS) and was stopped`;

  const setStep = (index: number, data: Prisma.BuildStepUpdateInput) =>
    db.buildStep.update({ where: { buildId_index: { buildId, index } }, data });

  try {
    spec = BuildSpecSchema.parse(build.spec);
    const profile = ctx.profiles.get(spec.profile);
    if (!profile) throw new Error(`toolchain profile ${spec.profile} is not installed on worker ${ctx.workerId}`);
    const source = ctx.sources.get(build.source.name);
    if (!source) throw new Error(`kernel source ${build.source.name} is not prepared on worker ${ctx.workerId}`);
    const ccacheBinary = profile.binaries.ccache;
    const planOptions: PlanOptions = {
      ccache: ctx.ccacheDir && ccacheBinary ? { binary: ccacheBinary, maxSize: ctx.ccacheMaxSize } : null,
    };
    steps = planBuild(spec, profile, planOptions);
    await db.buildStep.createMany({
      data: steps.map((s, index) => ({ buildId, index, name: s.name, argv: s.argv ?? [] })),
    });

    await rm(workDir, { recursive: true, force: true });
    await mkdir(path.join(outDir, ".kbuild"), { recursive: true });
    archive = openWholeLog(log, workDir, ctx.logLimits);
    await writeFile(hostPath(outDir, FRAGMENT_FILE), fragmentText(spec.options));
    if (spec.baseConfig.kind === "upload") await writeFile(hostPath(outDir, UPLOADED_CONFIG_FILE), spec.baseConfig.text);

    const mounts = [
      { host: source.tree, target: SOURCE_DIR, writable: false },
      { host: outDir, target: OUT_DIR, writable: true },
    ];
    if (planOptions.ccache) {
      // One cache per profile: objects of another compiler would never hit, and sizes stay per profile.
      const cacheDir = path.join(ctx.ccacheDir, profile.id);
      await mkdir(cacheDir, { recursive: true });
      mounts.push({ host: cacheDir, target: CCACHE_DIR, writable: true });
    }
    sandbox = await ctx.runtime.open({ buildId, workerId: ctx.workerId, profile, mounts });
    sandboxInfo = sandbox.info;
    log.write(0, `▶ Sandbox: ${Object.entries(sandbox.info).map(([k, v]) => `${k} ${v}`).join(", ")}`);

    // Indexed, not iterated: once the .config is resolved the remaining steps are planned again.
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index]!;
      if (step.action === "collect-artifacts") break; // runs below, whatever happened before
      if (aborted.aborted) break;
      if (step.skip) {
        await setStep(index, { status: "skipped", reason: step.skip, finishedAt: new Date() });
        log.write(index, `⤼ ${step.title}: skipped, ${step.skip}`);
        continue;
      }
      const startedAt = new Date();
      await setStep(index, { status: "running", startedAt });
      log.write(index, `▶ ${step.title}${step.argv ? `: ${formatArgv(step.argv)}` : ""}`);
      let stepStatus: StepStatus = "succeeded";
      let exitCode: number | null = null;
      let stepReason: string | null = null;
      if (step.argv) {
        let objects = 0;
        let progressTimer: NodeJS.Timeout | undefined;
        if (step.countsProgress) {
          const total = await previousObjectCount(db, { sourceId: build.sourceId, profile: spec.profile, configHash, step: step.name, buildId });
          await setStep(index, { progressDone: 0, progressTotal: total });
          progressTimer = setInterval(() => {
            void setStep(index, { progressDone: objects }).catch(() => {});
            // A long make's errors and warnings reach the page while it runs, not only when it ends.
            if (diagnostics.changed) void recordDiagnostics(db, { ...build, configHash }, diagnostics).catch(() => {});
          }, PROGRESS_INTERVAL_MS);
        }
        const outcome = await runCommandStep(sandbox, { ...step, argv: step.argv }, {
          signal: aborted,
          timeoutReason,
          write: (text) => log.write(index, text),
          diagnostics,
          onLine: (text) => {
            if (step.countsProgress && isObjectLine(text)) objects++;
          },
        }).finally(() => clearInterval(progressTimer));
        await recordDiagnostics(db, { ...build, configHash }, diagnostics);
        ({ status: stepStatus, exitCode, reason: stepReason } = outcome);
        if (step.countsProgress) await setStep(index, { progressDone: objects });
        if (step.name === "toolchain") {
          toolchain = { ...parseToolchainProbe(outcome.tail), ...sandboxInfo };
          await db.build.update({ where: { id: buildId }, data: { toolchain } });
        }
      } else if (step.action === "check-config") {
        const resolvedText = await readFile(path.join(outDir, ".config"), "utf8");
        const engine = compareWithEngine(await loadModel(ctx.store, build.source, spec.arch, profile).catch(() => null), spec, resolvedText);
        logEngineCheck(engine.check, (line) => log.write(index, line));
        configReport = checkRequested(spec, resolvedText, source, engine.kconfig);
        await db.build.update({
          where: { id: buildId },
          data: {
            configReport: configReport as unknown as Prisma.InputJsonValue,
            engineCheck: engine.check as unknown as Prisma.InputJsonValue,
          },
        });
        await recordResolvedConfig(db, buildId, resolvedText);
        const dropped = configReport.filter((c) => !c.ok);
        for (const d of dropped) {
          const [first, ...rest] = (d.explanation ?? "").split("\n");
          log.write(index, `✗ ${first}`);
          for (const line of rest) log.write(index, line);
        }
        if (dropped.length) {
          stepStatus = "failed";
          stepReason = `${dropped.length} requested option(s) did not survive olddefconfig: ${dropped.map((d) => `CONFIG_${d.symbol}`).join(", ")}`;
        } else {
          log.write(index, `✓ all ${configReport.length} requested option(s) are in the resolved .config`);
          // The targets' preconditions are judged on the resolved .config: plan the rest again.
          skipped = skippedTargets(resolveTargets(spec.targets), parseDotConfig(resolvedText).values);
          steps = planBuild(spec, profile, { ...planOptions, skipped });
          const make = steps.find((s) => s.countsProgress);
          if (make?.argv) await db.buildStep.updateMany({ where: { buildId, name: make.name }, data: { argv: make.argv } });
          configHash = createHash("sha256").update(resolvedText).update("\0").update(make?.argv?.join(" ") ?? "").digest("hex");
          await db.build.update({ where: { id: buildId }, data: { configHash } });
          if (make && !make.skip) {
            // Same tree, toolchain, runtime (file owners), .config and goals: an earlier build's directory is valid here.
            buildDirKey = createHash("sha256").update([source.id, source.version, profile.id, sandboxInfo.imageId ?? ctx.runtime.name, configHash].join("\0")).digest("hex").slice(0, 32);
            buildDirReused = await ctx.buildDirCache.restore(buildDirKey, outDir, [".kbuild"]);
            if (buildDirReused) log.write(index, "✓ reusing the build directory of an earlier build of the same source, profile, .config and goals: make redoes only what is out of date");
          }
        }
      }
      const finishedAt = new Date();
      await setStep(index, { status: stepStatus, exitCode, reason: stepReason, finishedAt });
      timings.push({ name: step.name, argv: step.argv, status: stepStatus, exitCode, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() });
      if (stepStatus === "failed") throw new BuildFailure(stepReason ?? `step ${step.name} failed`);
      if (stepStatus === "canceled") break;
    }
    if (aborted.aborted) throw new DOMException(String(aborted.reason), "AbortError");
  } catch (err) {
    ({ status, reason } = endOfRun(err, aborted, { timeoutReason, workerId: ctx.workerId, what: "build" }));
  } finally {
    clearInterval(stopCheck);
    clearTimeout(timeout);
    await sandbox?.close();
  }

  // Whatever happened, keep what the build produced and close its records.
  try {
    const artifactsIndex = steps.findIndex((s) => s.action === "collect-artifacts");
    const skipReason = status === "canceled" ? "the build was canceled" : status === "succeeded" ? null : "an earlier step did not succeed";
    await db.buildStep.updateMany({
      where: { buildId, status: { in: ["pending", "running"] }, index: { not: artifactsIndex } },
      data: { status: status === "canceled" ? "canceled" : "skipped", reason: skipReason, finishedAt: new Date() },
    });
    if (reason) log.write(Math.max(0, timings.length - 1), `■ ${status}: ${reason}`);
    if (artifactsIndex >= 0 && spec) {
      const startedAt = new Date();
      await setStep(artifactsIndex, { status: "running", startedAt });
      log.write(artifactsIndex, "▶ Collect artifacts");
      await log.flush();
      const logFile = archive ? await closeWholeLog(db, buildId, archive) : null;
      const ccacheStats = await readFile(hostPath(outDir, CCACHE_STATS_FILE), "utf8").then(parseCcacheStatsLog, () => null);
      const kernelRelease = await readFile(path.join(outDir, "include", "config", "kernel.release"), "utf8").then((t) => t.trim(), () => null);
      await writeFile(
        hostPath(outDir, REPRODUCER_FILE),
        reproducerScript({
          buildId,
          source: build.source.name,
          kernelVersion: build.source.version,
          profile: spec.profile,
          sandbox: sandboxInfo,
          steps: steps.filter((s) => s.argv && !s.skip),
          fragment: fragmentText(spec.options),
          uploadedConfig: spec.baseConfig.kind === "upload" ? spec.baseConfig.text : null,
        }),
        { mode: 0o755 },
      );
      const stored = await collectArtifacts({
        db,
        store: ctx.store,
        buildId,
        outDir,
        artifacts: [...steps[artifactsIndex]!.artifacts, { path: hostRelative(REPRODUCER_FILE) }],
        logFile,
        metadata: {
          build: buildId,
          status,
          statusReason: reason,
          source: build.source.name,
          kernelVersion: build.source.version,
          kernelRelease,
          profile: spec.profile,
          arch: spec.arch,
          baseConfig: spec.baseConfig.kind === "target" ? spec.baseConfig.target : `upload:${spec.baseConfig.fileName}`,
          requested: spec.options,
          configReport,
          configHash,
          targets: {
            requested: spec.targets,
            resolved: resolveTargets(spec.targets).map((t) => t.name),
            skipped: Object.fromEntries(skipped),
          },
          toolchain,
          ccache: ccacheStats,
          buildDirReused,
          steps: timings.map((t) => ({
            ...t,
            durationMs: new Date(t.finishedAt).getTime() - new Date(t.startedAt).getTime(),
          })),
          worker: ctx.workerId,
          runtime: sandboxInfo,
        },
      });
      for (const a of stored) log.write(artifactsIndex, `  ${a.name}  ${a.size} bytes  sha256 ${a.sha256}`);
      if (ccacheStats) log.write(artifactsIndex, `  ccache: ${ccacheStats.hits} hits, ${ccacheStats.misses} misses, ${ccacheStats.uncacheable} uncacheable of ${ccacheStats.calls} calls`);
      await setStep(artifactsIndex, { status: "succeeded", exitCode: 0, finishedAt: new Date() });
    }
    await log.flush();
  } catch (err) {
    status = "error";
    reason = `kbuild could not store the build's results: ${(err as Error).message}`;
  }
  if (status === "succeeded" && buildDirKey) {
    await ctx.buildDirCache.save(buildDirKey, outDir, [".kbuild"]).catch((err: Error) => console.error(`build ${buildId}: keeping its build directory failed: ${err.message}`));
  }
  await recordDiagnostics(db, { ...build, configHash }, diagnostics, true).catch((err) => console.error(`build ${buildId}: could not record its diagnostics: ${(err as Error).message}`));
  await moveBuild(db, buildId, status, { statusReason: reason, finishedAt: new Date(), logLines: log.lastSeq });
  await log.end(status).catch(() => {});
  await archive?.close().catch(() => {}); // not collected (no collect step): only its file descriptor to release
  await rm(workDir, { recursive: true, force: true }).catch(() => {});
  return status;
}

/** Where the reproducer is written, inside the output directory. */
const REPRODUCER_FILE = `${OUT_DIR}/.kbuild/reproduce.sh`;

/** A canonical in-sandbox path (/out/...) relative to the output directory. */
function hostRelative(sandboxPath: string): string {
  return path.relative(OUT_DIR, sandboxPath);
}

/** A canonical in-sandbox path (/out/...) as the host path of this build's output directory. */
function hostPath(outDir: string, sandboxPath: string): string {
  return path.join(outDir, path.relative(OUT_DIR, sandboxPath));
}
