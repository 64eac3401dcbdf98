import { createHash } from "node:crypto";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { formatArgv } from "../lib/builds/plan";
import { moveBuild } from "../lib/builds/transition";
import { BuildDiagnostics } from "../lib/diagnostics";
import { recordDiagnostics } from "../lib/builds/diagnostics-record";
import type { BuildStatus, Prisma, StepStatus } from "../lib/db/client";
import type { LogArchive } from "../lib/logs/archive";
import { BuildLogWriter } from "../lib/logs/writer";
import { detectApiMismatch } from "../lib/modules/api-hint";
import { diagnosticSummary, parseDiagnostics, withSnippets } from "../lib/modules/diagnostics";
import { type ModuleSpec, ModuleSpecSchema, fileNameProblem } from "../lib/modules/files";
import type { ModuleLimits } from "../lib/modules/limits";
import { ModinfoError, readModinfo } from "../lib/modules/modinfo";
import { MODULE_DIR, type ModuleStep, moduleMounts, planModuleBuild } from "../lib/modules/plan";
import type { ModuleReport } from "../lib/modules/report";
import { apiFamilyFor } from "../lib/modules/templates";
import { collectArtifacts, resolveArtifactFiles } from "./artifacts";
import { type WorkerContext, parseToolchainProbe } from "./build-runner";
import { closeWholeLog, openWholeLog } from "./whole-log";
import { type AbortReason, BuildFailure, endOfRun, runCommandStep } from "./command-step";
import type { ModuleKitCache } from "./module-kits";
import type { Sandbox } from "./runtimes/runtime";

/**
 * Runs a module build (Build.kind "module"): the module's files written into
 * its own directory, the kernel build's module kit fetched from the artifact
 * store, `make -C <kit> M=<module> modules` in the kernel's toolchain sandbox
 * with nothing writable but the module's directory and no network, then each
 * .ko's modinfo, the compiler's diagnostics and the artifacts. As with kernel
 * builds, every line and everything produced is kept, whatever the outcome.
 */
export interface ModuleWorkerContext extends WorkerContext {
  moduleKits: ModuleKitCache;
  moduleLimits: ModuleLimits;
}


export async function runModuleBuild(ctx: ModuleWorkerContext, buildId: string, signal: AbortSignal): Promise<BuildStatus | null> {
  const { db } = ctx;
  const build = await db.build.findUnique({ where: { id: buildId }, include: { source: true } });
  if (!build) return null;
  if (!(await moveBuild(db, buildId, "running", { workerId: ctx.workerId, startedAt: new Date() }))) return null;
  const log = new BuildLogWriter(ctx.redis, db, buildId, ctx.prefix, { storedMaxBytes: ctx.logLimits.streamMaxBytes }, build.logLines);
  let archive: LogArchive | undefined;
  const diagnostics = new BuildDiagnostics();
  const workDir = path.join(ctx.workDir, buildId);
  const moduleDir = path.join(workDir, "module");
  const timings: { name: string; status: StepStatus; exitCode: number | null; startedAt: string; finishedAt: string }[] = [];
  let status: BuildStatus = "succeeded";
  let reason: string | null = null;
  let spec: ModuleSpec | undefined;
  let steps: ModuleStep[] = [];
  let sandbox: Sandbox | undefined;
  let sandboxInfo: Record<string, string> = { runtime: ctx.runtime.name };
  let toolchain: Record<string, string> | null = null;
  let kitDir: string | null = null;
  const makeLines: string[] = [];
  const report: ModuleReport = { kernelBuild: build.kernelBuildId ?? "", kernelVersion: build.kernelVersion, kernelRelease: null, modules: [], diagnostics: [], apiHint: null };

  const localAbort = new AbortController();
  signal.addEventListener("abort", () => localAbort.abort(signal.reason), { once: true });
  const stopCheck = setInterval(async () => {
    const row = await db.build.findUnique({ where: { id: buildId }, select: { cancelRequested: true } }).catch(() => null);
    if (row?.cancelRequested) localAbort.abort("cancel" satisfies AbortReason);
  }, 1000);
  const limit = ctx.moduleLimits.timeoutSeconds;
  const timeout = setTimeout(() => localAbort.abort("timeout" satisfies AbortReason), limit * 1000);
  const aborted = localAbort.signal;
  const timeoutReason = `the module build ran longer than its limit of ${limit} s (the worker's KBUILD_MODULE_TIMEOUT_SECONDS) and was stopped`;
  const setStep = (index: number, data: Prisma.BuildStepUpdateInput) => db.buildStep.update({ where: { buildId_index: { buildId, index } }, data });

  try {
    spec = ModuleSpecSchema.parse(build.spec);
    const profile = ctx.profiles.get(build.profile);
    if (!profile) throw new Error(`toolchain profile ${build.profile} is not installed on worker ${ctx.workerId}`);
    const source = ctx.sources.get(build.source.name);
    if (!source) throw new Error(`kernel source ${build.source.name} is not prepared on worker ${ctx.workerId}`);
    steps = planModuleBuild(spec, profile, build.arch);
    await db.buildStep.createMany({ data: steps.map((s, index) => ({ buildId, index, name: s.name, argv: s.argv ?? [] })) });

    // The names were checked at the edge; checked again here, where they become paths.
    await rm(workDir, { recursive: true, force: true });
    await mkdir(moduleDir, { recursive: true });
    archive = openWholeLog(log, workDir, ctx.logLimits);
    for (const f of spec.files) {
      const problem = fileNameProblem(f.path);
      const target = path.resolve(moduleDir, f.path);
      if (problem || !target.startsWith(`${moduleDir}${path.sep}`)) throw new BuildFailure(`refused the file name ${JSON.stringify(f.path)}: ${problem ?? "outside the module directory"}`);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, f.content, { flag: "wx" });
    }
    log.write(0, `▶ Module: ${spec.files.length} file(s) (${spec.files.map((f) => f.path).join(", ")}) against kernel build ${spec.kernelBuild}`);

    const kit = await ctx.moduleKits.get(spec.kernelBuild);
    kitDir = kit.dir;
    log.write(0, kit.fetched ? "✓ module kit fetched from the artifact store and unpacked" : "✓ module kit already unpacked on this worker");
    report.kernelRelease = await readFile(path.join(kitDir, "include", "config", "kernel.release"), "utf8").then((t) => t.trim(), () => null);
    await chmod(workDir, 0o755);

    sandbox = await ctx.runtime.open({ buildId, workerId: ctx.workerId, profile, mounts: moduleMounts(source.tree, kitDir, moduleDir) });
    sandboxInfo = sandbox.info;
    log.write(0, `▶ Sandbox: ${Object.entries(sandbox.info).map(([k, v]) => `${k} ${v}`).join(", ")}; no network; only the module's directory is writable`);

    for (let index = 0; index < steps.length; index++) {
      const step = steps[index]!;
      if (step.action === "collect-artifacts") break;
      if (aborted.aborted) break;
      const startedAt = new Date();
      await setStep(index, { status: "running", startedAt });
      log.write(index, `▶ ${step.title}${step.argv ? `: ${formatArgv(step.argv)}` : ""}`);
      let stepStatus: StepStatus = "succeeded";
      let exitCode: number | null = null;
      let stepReason: string | null = null;
      if (step.argv) {
        const outcome = await runCommandStep(sandbox, { ...step, argv: step.argv }, {
          signal: aborted,
          timeoutReason,
          write: (text) => log.write(index, text),
          diagnostics,
          onLine: (text) => {
            if (step.name === "make" && makeLines.length < 20_000) makeLines.push(text);
          },
        });
        await recordDiagnostics(db, { ...build, configHash: null }, diagnostics);
        ({ status: stepStatus, exitCode, reason: stepReason } = outcome);
        if (step.name === "toolchain") {
          toolchain = { ...parseToolchainProbe(outcome.tail), ...sandboxInfo };
          await db.build.update({ where: { id: buildId }, data: { toolchain } });
        }
        if (step.name === "make") {
          report.diagnostics = withSnippets(parseDiagnostics(makeLines, MODULE_DIR), spec.files);
          if (stepStatus === "failed") {
            const family = build.kernelVersion ? apiFamilyFor(build.kernelVersion) : null;
            report.apiHint = family ? detectApiMismatch(spec.files, family) : null;
            const first = report.diagnostics.find((d) => d.severity === "error" && d.inModule) ?? report.diagnostics.find((d) => d.severity === "error");
            if (first && !outcome.aborted) stepReason = `the module did not compile: ${diagnosticSummary(first)}`;
            if (report.apiHint && !outcome.aborted) stepReason += ` — it is written for another kernel's module API; start from the ${report.apiHint.templateId} template`;
          }
        }
      } else if (step.moduleAction === "read-modinfo") {
        for (const f of await resolveArtifactFiles(moduleDir, [{ glob: "*.ko" }])) {
          const bytes = await readFile(path.join(moduleDir, f.path));
          const sha256 = createHash("sha256").update(bytes).digest("hex");
          try {
            const info = readModinfo(bytes);
            report.modules.push({ file: f.name, size: bytes.length, sha256, modinfo: info });
            log.write(index, `  ${f.name}: name ${info.name}, vermagic ${info.vermagic}, license ${info.license}`);
            if (report.kernelRelease && info.vermagic?.split(" ")[0] !== report.kernelRelease) {
              stepStatus = "failed";
              stepReason = `${f.name} was built for ${info.vermagic?.split(" ")[0] ?? "no kernel"}, not the kernel's release ${report.kernelRelease}`;
            }
          } catch (err) {
            if (!(err instanceof ModinfoError)) throw err;
            report.modules.push({ file: f.name, size: bytes.length, sha256, modinfo: null, error: err.message });
            log.write(index, `  ${f.name}: ${err.message}`);
          }
        }
        if (!report.modules.length) {
          stepStatus = "failed";
          stepReason = "make succeeded but left no .ko: does the Makefile (or Kbuild) name the module with obj-m?";
        }
      }
      const finishedAt = new Date();
      await setStep(index, { status: stepStatus, exitCode, reason: stepReason, finishedAt });
      timings.push({ name: step.name, status: stepStatus, exitCode, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() });
      if (stepStatus === "failed") throw new BuildFailure(stepReason ?? `step ${step.name} failed`);
      if (stepStatus === "canceled") break;
    }
    if (aborted.aborted) throw new DOMException(String(aborted.reason), "AbortError");
  } catch (err) {
    ({ status, reason } = endOfRun(err, aborted, { timeoutReason, workerId: ctx.workerId, what: "module build" }));
  } finally {
    clearInterval(stopCheck);
    clearTimeout(timeout);
    await sandbox?.close();
  }

  try {
    await db.build.update({ where: { id: buildId }, data: { moduleReport: report as unknown as Prisma.InputJsonValue } });
    const artifactsIndex = steps.findIndex((s) => s.action === "collect-artifacts");
    await db.buildStep.updateMany({
      where: { buildId, status: { in: ["pending", "running"] }, index: { not: artifactsIndex } },
      data: { status: status === "canceled" ? "canceled" : "skipped", reason: status === "canceled" ? "the build was canceled" : "an earlier step did not succeed", finishedAt: new Date() },
    });
    if (reason) log.write(Math.max(0, timings.length - 1), `■ ${status}: ${reason}`);
    if (artifactsIndex >= 0 && spec) {
      await setStep(artifactsIndex, { status: "running", startedAt: new Date() });
      log.write(artifactsIndex, "▶ Collect artifacts");
      // kbuild writes build.log.gz and metadata.json here: never through whatever the module's build left at this name.
      await rm(path.join(moduleDir, ".kbuild"), { recursive: true, force: true });
      await mkdir(path.join(moduleDir, ".kbuild"), { recursive: true });
      await log.flush();
      const logFile = archive ? await closeWholeLog(db, buildId, archive) : null;
      const stored = await collectArtifacts({
        db,
        store: ctx.store,
        buildId,
        outDir: moduleDir,
        artifacts: steps[artifactsIndex]!.artifacts,
        logFile,
        metadata: {
          build: buildId,
          kind: "module",
          status,
          statusReason: reason,
          kernelBuild: spec.kernelBuild,
          source: build.source.name,
          kernelVersion: build.kernelVersion,
          kernelRelease: report.kernelRelease,
          profile: build.profile,
          arch: build.arch,
          files: spec.files.map((f) => ({ path: f.path, size: Buffer.byteLength(f.content), sha256: createHash("sha256").update(f.content).digest("hex") })),
          modules: report.modules.map(({ modinfo, ...m }) => ({ ...m, modinfo: modinfo?.entries ?? null })),
          toolchain,
          steps: timings.map((t) => ({ ...t, durationMs: new Date(t.finishedAt).getTime() - new Date(t.startedAt).getTime() })),
          worker: ctx.workerId,
          runtime: sandboxInfo,
        },
      });
      for (const a of stored) log.write(artifactsIndex, `  ${a.name}  ${a.size} bytes  sha256 ${a.sha256}`);
      await setStep(artifactsIndex, { status: "succeeded", exitCode: 0, finishedAt: new Date() });
    }
    await log.flush();
  } catch (err) {
    status = "error";
    reason = `kbuild could not store the module build's results: ${(err as Error).message}`;
  }
  await recordDiagnostics(db, { ...build, configHash: null }, diagnostics, true).catch((err) => console.error(`build ${buildId}: could not record its diagnostics: ${(err as Error).message}`));
  await moveBuild(db, buildId, status, { statusReason: reason, finishedAt: new Date(), logLines: log.lastSeq });
  await log.end(status).catch(() => {});
  await archive?.close().catch(() => {}); // not collected (no collect step): only its file descriptor to release
  await rm(workDir, { recursive: true, force: true }).catch(() => {});
  return status;
}
