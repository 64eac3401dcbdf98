import { readFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { recordDiagnostics } from "../lib/builds/diagnostics-record";
import type { BuildStatus, Prisma, PrismaClient, StepStatus } from "../lib/db/client";
import { BuildDiagnostics } from "../lib/diagnostics";
import type { LogLine } from "../lib/logs/line";
import { buildLogTarget } from "../lib/logs/target";

/**
 * A finished build with a long log, written straight into the database
 * through the log's own persistence path (LogTarget.save, in the writer's
 * batches) and with its diagnostics read from those lines by the worker's
 * parser: for the log viewer's end-to-end spec and benchmark, which need logs
 * far longer than a test can afford to build.
 */

export interface LoggedStep {
  name: string;
  status: StepStatus;
  lines: readonly string[];
  durationMs: number;
}

const FIXTURES = path.join(import.meta.dirname, "fixtures/logs");

/** A real log from test/fixtures/logs, as lines. */
export function fixtureLog(name: string): string[] {
  const text = readFileSync(path.join(FIXTURES, `${name}.log`), "utf8");
  return text.replace(/\n$/, "").split("\n");
}

/**
 * The real kernel build log of the fixtures cut into its steps: each step
 * starts at a `▶ <name>: <command>` line.
 */
export function kernelBuildSteps(): { name: string; lines: string[] }[] {
  const steps: { name: string; lines: string[] }[] = [];
  for (const line of fixtureLog("kernel-6.1-rust-tinyconfig")) {
    const m = /^▶ ([^:]+)/.exec(line);
    if (m || !steps.length) steps.push({ name: m?.[1]?.trim() ?? "output", lines: [] });
    steps.at(-1)!.lines.push(line);
  }
  return steps;
}

/** Writes the build, its steps, its log and its diagnostics; returns its id and how many lines it has. */
export async function createLoggedBuild(
  db: PrismaClient,
  opts: { sourceId: string; prefix: string; status: BuildStatus; steps: LoggedStep[]; startedAt?: number },
): Promise<{ buildId: string; lines: number }> {
  const total = opts.steps.reduce((a, s) => a + s.durationMs, 0);
  const startedAt = opts.startedAt ?? Date.now() - total - 60_000;
  const build = await db.build.create({
    data: {
      organizationId: DEFAULT_ACTOR.organizationId,
      submitterId: DEFAULT_ACTOR.userId,
      sourceId: opts.sourceId,
      spec: { source: opts.sourceId, profile: "debian-bookworm-llvm14", arch: "x86_64", baseConfig: { kind: "target", target: "tinyconfig" }, options: [], targets: ["kernel"], jobs: 2 } as Prisma.InputJsonValue,
      profile: "debian-bookworm-llvm14",
      arch: "x86_64",
      baseConfig: "tinyconfig",
      status: opts.status,
      startedAt: new Date(startedAt),
      finishedAt: new Date(startedAt + total),
    },
  });
  let at = startedAt;
  await db.buildStep.createMany({
    data: opts.steps.map((s, index) => {
      const step = { buildId: build.id, index, name: s.name, argv: [], status: s.status, exitCode: s.status === "failed" ? 2 : s.status === "succeeded" ? 0 : null, startedAt: new Date(at), finishedAt: new Date(at + s.durationMs) };
      at += s.durationMs;
      return step;
    }),
  });

  const target = buildLogTarget(db, opts.prefix, build.id);
  const diagnostics = new BuildDiagnostics();
  let seq = 0;
  let batch: LogLine[] = [];
  at = startedAt;
  for (const [index, s] of opts.steps.entries()) {
    // Each line at its share of the step's time: the times a worker would have read them at.
    s.lines.forEach((text, k) => {
      const line: LogLine = { seq: ++seq, t: Math.round(at + (k * s.durationMs) / Math.max(1, s.lines.length)), step: index, text };
      diagnostics.line(line.seq, text);
      batch.push(line);
    });
    diagnostics.endStep();
    at += s.durationMs;
    while (batch.length >= 2000) await target.save(batch.splice(0, 2000), null);
  }
  if (batch.length) await target.save(batch, null);
  batch = [];
  await recordDiagnostics(db, { id: build.id, organizationId: DEFAULT_ACTOR.organizationId, sourceId: opts.sourceId, profile: "debian-bookworm-llvm14", configHash: null }, diagnostics, true);
  return { buildId: build.id, lines: seq };
}
