import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Redis } from "ioredis";
import type { ArtifactStore } from "../lib/artifacts/store";
import { artifactKey } from "../lib/artifacts/store";
import { type PlannedStep, FRAGMENT_FILE, formatArgv, OUT_DIR, SOURCE_DIR, UPLOADED_CONFIG_FILE, planBuild } from "../lib/builds/plan";
import { type BuildSpec, BuildSpecSchema, fragmentText } from "../lib/builds/spec";
import { moveBuild } from "../lib/builds/transition";
import type { BuildStatus, Prisma, PrismaClient, StepStatus } from "../lib/db/client";
import { parseDotConfig } from "../lib/kconfig/dotconfig";
import { explainDropped } from "../lib/kconfig/explain";
import { BuildLogWriter } from "../lib/logs/writer";
import type { ToolchainProfile } from "../lib/toolchain/profiles";
import type { Runtime } from "./runtimes/runtime";
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
}

/** Why a build's AbortSignal fired. */
export type AbortReason = "cancel" | "shutdown";

/** A build ends as failed (its own fault) or error (ours) by throwing one of these. */
class BuildFailure extends Error {}

export interface ConfigCheck {
  symbol: string;
  requested: string;
  resolved: string;
  ok: boolean;
  explanation: string | null;
}

/** Compares requested options with the resolved .config; hex compares case-insensitively as Kconfig does. */
export function checkRequested(spec: BuildSpec, resolvedText: string, source: PreparedSource): ConfigCheck[] {
  const resolved = parseDotConfig(resolvedText).values;
  return spec.options.map(({ symbol, value }) => {
    const now = resolved.get(symbol) ?? "n";
    const ok = now === value || (/^0x/i.test(value) && now.toLowerCase() === value.toLowerCase());
    return {
      symbol,
      requested: value,
      resolved: now,
      ok,
      explanation: ok ? null : explainDropped(symbol, value, resolved, source.symbols),
    };
  });
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

/** One sentence naming the cause of a failed step, with the tool's own words where it has them. */
export function stepFailureReason(step: PlannedStep, exitCode: number | null, tail: string[]): string {
  if (step.name === "rustavailable") {
    return `Rust is not available with this toolchain: ${lastKernelMessage(tail) || tail.at(-1) || "make rustavailable failed"}`;
  }
  const last = [...tail].reverse().find((l) => l.trim() && !MAKE_NOISE.test(l)) ?? tail.at(-1) ?? "";
  return `step ${step.name} failed (exit code ${exitCode ?? "none"})${last ? `: ${last.trim()}` : ""}`;
}

/** make's own lines, which never name a cause: "make[1]: *** [...] Error 2", "Entering/Leaving directory". */
const MAKE_NOISE = /^make(\[\d+\])?: (\*\*\*|Entering directory|Leaving directory)/;

/**
 * The kernel's scripts explain themselves in blocks framed by bare "***" lines;
 * earlier blocks may be mere warnings ("rustc is too new. This may or may not
 * work."), the last one is the reason it stopped.
 */
function lastKernelMessage(lines: string[]): string {
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (!line.startsWith("***")) continue;
    const text = line.replace(/^\*+\s?/, "").trim();
    if (text) current.push(text);
    else if (current.length) {
      blocks.push(current);
      current = [];
    }
  }
  if (current.length) blocks.push(current);
  return blocks.at(-1)?.join(" ") ?? "";
}

export async function runBuild(ctx: WorkerContext, buildId: string, signal: AbortSignal): Promise<BuildStatus | null> {
  const { db } = ctx;
  const build = await db.build.findUnique({ where: { id: buildId }, include: { source: true } });
  if (!build) return null;
  if (!(await moveBuild(db, buildId, "running", { workerId: ctx.workerId, startedAt: new Date() }))) {
    return null; // canceled while queued, or another worker has it
  }
  const log = new BuildLogWriter(ctx.redis, db, buildId, ctx.prefix, {}, build.logLines);
  const workDir = path.join(ctx.workDir, buildId);
  const outDir = path.join(workDir, "out");
  const timings: { name: string; argv: string[] | null; status: StepStatus; exitCode: number | null; startedAt: string; finishedAt: string }[] = [];
  let status: BuildStatus = "succeeded";
  let reason: string | null = null;
  let configReport: ConfigCheck[] | null = null;
  let toolchain: Record<string, string> | null = null;
  let steps: PlannedStep[] = [];
  let spec: BuildSpec | undefined;

  const stopCheck = setInterval(async () => {
    const row = await db.build.findUnique({ where: { id: buildId }, select: { cancelRequested: true } }).catch(() => null);
    if (row?.cancelRequested) onCancelRequested();
  }, 2000);
  const localAbort = new AbortController();
  const onCancelRequested = () => localAbort.abort("cancel" satisfies AbortReason);
  signal.addEventListener("abort", () => localAbort.abort(signal.reason), { once: true });
  const aborted = localAbort.signal;

  const setStep = (index: number, data: Prisma.BuildStepUpdateInput) =>
    db.buildStep.update({ where: { buildId_index: { buildId, index } }, data });

  try {
    spec = BuildSpecSchema.parse(build.spec);
    const profile = ctx.profiles.get(spec.profile);
    if (!profile) throw new Error(`toolchain profile ${spec.profile} is not installed on worker ${ctx.workerId}`);
    const source = ctx.sources.get(build.source.name);
    if (!source) throw new Error(`kernel source ${build.source.name} is not prepared on worker ${ctx.workerId}`);
    steps = planBuild(spec, profile);
    await db.buildStep.createMany({
      data: steps.map((s, index) => ({ buildId, index, name: s.name, argv: s.argv ?? [] })),
    });

    await rm(workDir, { recursive: true, force: true });
    await mkdir(path.join(outDir, ".kbuild"), { recursive: true });
    await writeFile(hostPath(outDir, FRAGMENT_FILE), fragmentText(spec.options));
    if (spec.baseConfig.kind === "upload") await writeFile(hostPath(outDir, UPLOADED_CONFIG_FILE), spec.baseConfig.text);

    const mounts = [
      ...profile.hostPaths.map((p) => ({ host: p, target: p, writable: false })),
      { host: source.tree, target: SOURCE_DIR, writable: false },
      { host: outDir, target: OUT_DIR, writable: true },
    ];

    for (const [index, step] of steps.entries()) {
      if (step.action === "collect-artifacts") break; // runs below, whatever happened before
      if (aborted.aborted) break;
      const startedAt = new Date();
      await setStep(index, { status: "running", startedAt });
      log.write(index, `▶ ${step.title}${step.argv ? `: ${formatArgv(step.argv)}` : ""}`);
      let stepStatus: StepStatus = "succeeded";
      let exitCode: number | null = null;
      let stepReason: string | null = null;
      if (step.argv) {
        const tail: string[] = [];
        const result = await ctx.runtime.run({
          argv: step.argv,
          env: step.env,
          cwd: step.cwd,
          mounts,
          signal: aborted,
          onLine: (text) => {
            log.write(index, text);
            tail.push(text);
            if (tail.length > 200) tail.shift();
          },
        });
        exitCode = result.exitCode;
        if (step.name === "toolchain") {
          toolchain = parseToolchainProbe(tail);
          await db.build.update({ where: { id: buildId }, data: { toolchain } });
        }
        if (result.aborted) {
          stepStatus = "canceled";
        } else if (exitCode !== 0) {
          stepStatus = "failed";
          stepReason = stepFailureReason(step, exitCode, tail);
        }
      } else if (step.action === "check-config") {
        configReport = checkRequested(spec, await readFile(path.join(outDir, ".config"), "utf8"), source);
        await db.build.update({ where: { id: buildId }, data: { configReport: configReport as unknown as Prisma.InputJsonValue } });
        const dropped = configReport.filter((c) => !c.ok);
        for (const d of dropped) log.write(index, `✗ ${d.explanation}`);
        if (dropped.length) {
          stepStatus = "failed";
          stepReason = `${dropped.length} requested option(s) did not survive olddefconfig: ${dropped.map((d) => `CONFIG_${d.symbol}`).join(", ")}`;
        } else {
          log.write(index, `✓ all ${configReport.length} requested option(s) are in the resolved .config`);
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
    if (err instanceof BuildFailure) {
      status = "failed";
      reason = err.message;
    } else if (aborted.aborted) {
      status = aborted.reason === "cancel" ? "canceled" : "error";
      reason = aborted.reason === "cancel" ? "canceled by a user" : `worker ${ctx.workerId} shut down during the build`;
    } else {
      status = "error";
      reason = `kbuild could not run this build: ${(err as Error).message}`;
    }
  } finally {
    clearInterval(stopCheck);
  }

  // Whatever happened, keep what the build produced and close its records.
  try {
    const artifactsIndex = steps.findIndex((s) => s.action === "collect-artifacts");
    if (artifactsIndex >= 0 && spec) {
      const startedAt = new Date();
      await setStep(artifactsIndex, { status: "running", startedAt });
      log.write(artifactsIndex, "▶ Collect artifacts");
      const stored = await collectArtifacts(ctx, buildId, outDir, {
        build: buildId,
        status,
        statusReason: reason,
        source: build.source.name,
        kernelVersion: build.source.version,
        profile: spec.profile,
        arch: spec.arch,
        baseConfig: spec.baseConfig.kind === "target" ? spec.baseConfig.target : `upload:${spec.baseConfig.fileName}`,
        requested: spec.options,
        configReport,
        toolchain,
        steps: timings.map((t) => ({
          ...t,
          durationMs: new Date(t.finishedAt).getTime() - new Date(t.startedAt).getTime(),
        })),
        worker: ctx.workerId,
        runtime: ctx.runtime.name,
      });
      for (const a of stored) log.write(artifactsIndex, `  ${a.name}  ${a.size} bytes  sha256 ${a.sha256}`);
      await setStep(artifactsIndex, { status: "succeeded", exitCode: 0, finishedAt: new Date() });
    }
    const skipReason = status === "canceled" ? "the build was canceled" : status === "succeeded" ? null : "an earlier step did not succeed";
    await db.buildStep.updateMany({
      where: { buildId, status: { in: ["pending", "running"] } },
      data: { status: status === "canceled" ? "canceled" : "skipped", reason: skipReason, finishedAt: new Date() },
    });
    if (reason) log.write(Math.max(0, timings.length - 1), `■ ${status}: ${reason}`);
    await log.flush();
  } catch (err) {
    status = "error";
    reason = `kbuild could not store the build's results: ${(err as Error).message}`;
  }
  await moveBuild(db, buildId, status, { statusReason: reason, finishedAt: new Date(), logLines: log.lastSeq });
  await log.end(status).catch(() => {});
  await rm(workDir, { recursive: true, force: true }).catch(() => {});
  return status;
}

/** A canonical in-sandbox path (/out/...) as the host path of this build's output directory. */
function hostPath(outDir: string, sandboxPath: string): string {
  return path.join(outDir, path.relative(OUT_DIR, sandboxPath));
}

const CONTENT_TYPES: Record<string, string> = {
  ".config": "text/plain; charset=utf-8",
  "metadata.json": "application/json",
};

async function collectArtifacts(ctx: WorkerContext, buildId: string, outDir: string, metadata: Record<string, unknown>) {
  const stored: { name: string; size: number; sha256: string }[] = [];
  const put = async (name: string, file: string) => {
    const key = artifactKey(buildId, name);
    const obj = await ctx.store.putFile(key, file);
    await ctx.db.artifact.upsert({
      where: { buildId_name: { buildId, name } },
      create: { buildId, name, size: obj.size, sha256: obj.sha256, contentType: CONTENT_TYPES[name] ?? "application/octet-stream", storageKey: key },
      update: { size: obj.size, sha256: obj.sha256, storageKey: key },
    });
    stored.push({ name, ...obj });
  };
  const config = path.join(outDir, ".config");
  if (await readFile(config).then(() => true, () => false)) await put(".config", config);
  const metaFile = path.join(outDir, ".kbuild", "metadata.json");
  await mkdir(path.dirname(metaFile), { recursive: true });
  await writeFile(metaFile, JSON.stringify({ ...metadata, artifacts: stored }, null, 2) + "\n");
  await put("metadata.json", metaFile);
  return stored;
}
