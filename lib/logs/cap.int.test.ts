import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommandStep } from "../../worker/command-step";
import type { Sandbox } from "../../worker/runtimes/runtime";
import { closeWholeLog, openWholeLog } from "../../worker/whole-log";
import { recordDiagnostics } from "../builds/diagnostics-record";
import { config, loadConfig } from "../config";
import { createDb } from "../db/client";
import { BuildDiagnostics, type DiagnosticsSummary } from "../diagnostics";
import { createRedis } from "../redis";
import type { LogLine } from "./line";
import { followBuildLog, readPersistedLines } from "./reader";
import { BuildLogWriter } from "./writer";

/**
 * A log longer than its caps, through the worker's path (a command's lines into
 * the writer, the diagnostics and the whole log's file) against the real Redis
 * and PostgreSQL: the stored copy stops with a marker and ends with the tail,
 * build.log.gz has every line, the diagnostics have what came after the cut.
 */
const db = createDb();
const redis = createRedis();
const prefix = config().prefix;
const SOURCE = `log-cap-test-${randomUUID().slice(0, 8)}`;
let workDir: string;

// The operator's settings as the worker reads them, tiny.
const limits = loadConfig({ ...process.env, KBUILD_LOG_STREAM_MAX_BYTES: "4k", KBUILD_LOG_ARTIFACT_MAX_BYTES: "1m" });
const TAIL = 50;

/** A command whose output is `lines`, as a sandbox reports it. */
function sandboxPrinting(lines: string[]): Sandbox {
  return {
    info: { runtime: "test" },
    async run(step) {
      for (const line of lines) step.onLine(line, "stdout");
      return { exitCode: 1, signal: null, aborted: false };
    },
    async close() {},
  };
}

/** The compiler's output: CC lines, then (far past the cap) a clang error, then make winding down. */
function compileOutput(total: number, errorAt: number): string[] {
  return Array.from({ length: total }, (_, i) =>
    i + 1 === errorAt ? "drivers/late/late.c:12:5: error: use of undeclared identifier 'late_symbol'" : `  CC      drivers/misc/object_${i + 1}.o`,
  );
}

async function runCapped(o: { streamMaxBytes: number; artifactMaxBytes: number; output: string[] }) {
  const build = await db.build.create({
    data: {
      // The default team and user the first migration creates.
      organizationId: "default-team",
      submitterId: "default-user",
      sourceId: SOURCE,
      spec: {},
      profile: "p",
      arch: "x86_64",
      baseConfig: "tinyconfig",
      status: "running",
    },
  });
  const log = new BuildLogWriter(redis, db, build.id, prefix, { storedMaxBytes: o.streamMaxBytes, tailLines: TAIL, persistBatch: 500 });
  const dir = path.join(workDir, build.id);
  await mkdir(dir, { recursive: true });
  const archive = openWholeLog(log, dir, { streamMaxBytes: o.streamMaxBytes, artifactMaxBytes: o.artifactMaxBytes });
  const following = follow(build.id);
  const diagnostics = new BuildDiagnostics();
  log.write(0, "▶ Build: make");
  const outcome = await runCommandStep(sandboxPrinting(o.output), { name: "make", title: "Build", argv: ["make"], cwd: "/", env: {}, artifacts: [] }, {
    signal: new AbortController().signal,
    timeoutReason: "",
    write: (text) => log.write(1, text),
    diagnostics,
  });
  log.write(1, `■ failed: ${outcome.reason}`);
  await log.flush();
  const file = await closeWholeLog(db, build.id, archive);
  await recordDiagnostics(db, { ...build, configHash: null }, diagnostics, true);
  await db.build.update({ where: { id: build.id }, data: { status: "failed", logLines: log.lastSeq } });
  await log.end("failed");
  const row = await db.build.findUniqueOrThrow({ where: { id: build.id } });
  return {
    lastSeq: log.lastSeq,
    row,
    stored: await readPersistedLines(db, build.id, 0, undefined, 10_000),
    followed: await following,
    gz: gunzipSync(await readFile(file)).toString().split("\n").slice(0, -1),
    diagnostics: row.diagnostics as unknown as DiagnosticsSummary,
  };
}

async function follow(buildId: string): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  const reader = createRedis();
  try {
    for await (const ev of followBuildLog({ db, redis: reader, prefix, buildId, afterSeq: 0, signal: new AbortController().signal, blockMs: 200 })) {
      if (ev.type === "end") break;
      lines.push(...ev.lines);
    }
  } finally {
    reader.disconnect();
  }
  return lines;
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), "kbuild-log-cap-"));
  await db.kernelSource.create({ data: { id: SOURCE, name: SOURCE, kind: "directory", location: "/nonexistent", status: "ready" } });
});

afterAll(async () => {
  await db.build.deleteMany({ where: { sourceId: SOURCE } });
  await db.kernelSource.delete({ where: { id: SOURCE } });
  await rm(workDir, { recursive: true, force: true });
  await db.$disconnect();
  redis.disconnect();
});

describe("a log past its caps", () => {
  it("reads the caps from the operator's environment", () => {
    expect(limits.logStreamMaxBytes).toBe(4096);
    expect(limits.logArtifactMaxBytes).toBe(1024 ** 2);
  });

  it("is cut in the page with a marker and ends with its tail; build.log.gz and the diagnostics have everything", async () => {
    const total = 2000;
    const r = await runCapped({ streamMaxBytes: limits.logStreamMaxBytes, artifactMaxBytes: limits.logArtifactMaxBytes, output: compileOutput(total, 1500) });
    const lastSeq = total + 2; // the step's title before the output, the failure after

    // The database copy: lines up to the cap, the marker in place of the first line past it.
    const cutAt = r.row.logTruncatedAt!;
    expect(cutAt).toBeGreaterThan(50);
    expect(cutAt).toBeLessThan(200);
    const head = r.stored.filter((l) => l.seq < cutAt);
    expect(head.map((l) => l.seq)).toEqual(Array.from({ length: cutAt - 1 }, (_, i) => i + 1));
    expect(Buffer.byteLength(head.map((l) => l.text + "\n").join(""))).toBeLessThanOrEqual(4096);
    const marker = r.stored.find((l) => l.seq === cutAt)!;
    expect(marker.text).toBe(`… log truncated after ${cutAt - 1} lines (4 KiB, the page's limit); the full log is in build.log.gz, and the last ${TAIL} lines follow when it ends`);

    // Then a gap marker and the last lines, with their own numbers.
    const rest = r.stored.filter((l) => l.seq > cutAt);
    expect(rest).toHaveLength(TAIL + 1);
    expect(rest[0]!.text).toBe(`… ${rest[0]!.seq - cutAt + 1} lines omitted (${cutAt} to ${rest[0]!.seq}); they are in build.log.gz …`);
    expect(rest.slice(1).map((l) => l.seq)).toEqual(Array.from({ length: TAIL }, (_, i) => lastSeq - TAIL + 1 + i));
    expect(rest.at(-1)!.text).toMatch(/^■ failed: step make failed \(exit code 1\): drivers\/late\/late\.c:12:5: error/);
    expect(r.row.logLines).toBe(lastSeq);

    // A live reader got exactly the stored copy, and the end.
    expect(r.followed).toEqual(r.stored);

    // build.log.gz: every line, in order.
    expect(r.gz).toHaveLength(lastSeq);
    expect(r.gz[0]).toBe("▶ Build: make");
    expect(r.gz.slice(1, -1)).toEqual(compileOutput(total, 1500));
    expect(r.row.logArtifactTruncatedAt).toBeNull();

    // The error long after the cut is among the diagnostics, at its line in build.log.gz.
    expect(r.diagnostics.counts.error).toBe(1);
    const error = r.diagnostics.diagnostics.find((d) => d.severity === "error")!;
    expect(error.logLine).toBe(1501);
    expect(r.gz[error.logLine - 1]).toContain("use of undeclared identifier 'late_symbol'");
    expect(r.row.errorCount).toBe(1);
  });

  it("past the disk cap, build.log.gz stops and says so; the diagnostics and the tail still hold", async () => {
    const total = 2000;
    const r = await runCapped({ streamMaxBytes: 4096, artifactMaxBytes: 16 * 1024, output: compileOutput(total, 1500) });
    const fileCut = r.row.logArtifactTruncatedAt!;
    expect(fileCut).toBeGreaterThan(200);
    expect(fileCut).toBeLessThan(1500);
    expect(r.gz).toHaveLength(fileCut);
    expect(r.gz.slice(1, -1)).toEqual(compileOutput(total, 1500).slice(0, fileCut - 2));
    expect(r.gz.at(-1)).toMatch(new RegExp(`^… this file stops at line ${fileCut - 1}: the log reached its limit of 16384 bytes \\(KBUILD_LOG_ARTIFACT_MAX_BYTES\\)`));

    expect(r.diagnostics.diagnostics.find((d) => d.severity === "error")?.logLine).toBe(1501);
    expect(r.stored.at(-1)!.seq).toBe(total + 2);
    expect(r.stored.at(-1)!.text).toMatch(/late_symbol/);
    expect(r.stored.filter((l) => l.seq > r.row.logTruncatedAt!)).toHaveLength(TAIL + 1);
  });

  it("a log within its caps is stored whole, with no markers", async () => {
    const r = await runCapped({ streamMaxBytes: 1024 ** 2, artifactMaxBytes: 1024 ** 2, output: compileOutput(300, 100) });
    expect(r.row.logTruncatedAt).toBeNull();
    expect(r.stored.map((l) => l.text)).toEqual(r.gz);
    expect(r.gz).toHaveLength(302);
  });
});
