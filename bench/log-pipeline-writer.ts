/**
 * The "worker" side of bench/log-pipeline.ts, in a process of its own so that
 * it never shares an event loop with the reader. Started by the bench with an
 * IPC channel; not meant to be run by hand.
 *
 *   bench → writer  { type: "go" }
 *   writer → bench  { type: "ready", buildId }, then { type: "done", stats }
 *
 * It inserts a KernelSource row (once) and a running Build row of the default
 * team, writes LINES lines with BuildLogWriter (default options, as the worker
 * uses it) in bursts of BURST lines with a PAUSE_MS pause after each, every
 * line carrying its emission time in its text, then closes the build as the
 * worker does: flush, the terminal status in PostgreSQL, end() on the stream.
 */
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { createDb } from "../lib/db/client";
import { BuildLogWriter } from "../lib/logs/writer";
import { createRedis } from "../lib/redis";

export const BENCH_SOURCE = "bench-log-source";

/** The text of line `i`; the bench checks every received line against it. */
export function lineText(i: number, emittedAt: number): string {
  return `  CC [M]  drivers/bench/unit${i}/module.o  [emitted ${emittedAt}]`;
}
export const LINE_PATTERN = /^ {2}CC \[M\] {2}drivers\/bench\/unit(\d+)\/module\.o {2}\[emitted (\d+)\]$/;

/** Lines of one step before the next begins, so the log has several steps as a build's does. */
export const LINES_PER_STEP = 50_000;

export interface WriterStats {
  buildId: string;
  lines: number;
  firstEmitAt: number;
  lastEmitAt: number;
  /** When end() (flush, status, end marker) had returned. */
  endedAt: number;
  writeCpuS: number;
}

export type WriterMessage = { type: "ready"; buildId: string } | { type: "done"; stats: WriterStats } | { type: "error"; message: string };

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main() {
  const LINES = num("BENCH_LINES", 200_000);
  const BURST = num("BENCH_BURST", 1000);
  const PAUSE_MS = num("BENCH_PAUSE_MS", 5);
  const send = (m: WriterMessage) => process.send!(m);

  const db = createDb();
  const redis = createRedis();
  try {
    await db.kernelSource.upsert({
      where: { id: BENCH_SOURCE },
      create: { id: BENCH_SOURCE, name: BENCH_SOURCE, kind: "directory", location: "/nonexistent", status: "ready", version: "0.0.0" },
      update: {},
    });
    const build = await db.build.create({
      data: {
        organizationId: DEFAULT_ACTOR.organizationId,
        submitterId: DEFAULT_ACTOR.userId,
        sourceId: BENCH_SOURCE,
        spec: { bench: "log-pipeline" },
        profile: "bench",
        arch: "x86_64",
        baseConfig: "tinyconfig",
        status: "running",
        workerId: "bench-log-writer",
        startedAt: new Date(),
      },
    });
    const go = new Promise<void>((resolve) => process.on("message", (m: { type?: string }) => m?.type === "go" && resolve()));
    send({ type: "ready", buildId: build.id });
    await go;

    const writer = new BuildLogWriter(redis, db, build.id, process.env.KBUILD_PREFIX ?? "kbuild");
    const cpu0 = process.cpuUsage();
    let firstEmitAt = 0;
    let lastEmitAt = 0;
    for (let i = 1; i <= LINES; ) {
      const end = Math.min(LINES, i + BURST - 1);
      for (; i <= end; i++) {
        const t = Date.now();
        if (i === 1) firstEmitAt = t;
        lastEmitAt = t;
        writer.write(Math.floor((i - 1) / LINES_PER_STEP), lineText(i, t), t);
      }
      await new Promise((r) => setTimeout(r, PAUSE_MS));
    }
    await writer.flush();
    await db.build.update({
      where: { id: build.id },
      data: { status: "succeeded", finishedAt: new Date(), logLines: writer.lastSeq },
    });
    await writer.end("succeeded");
    const endedAt = Date.now();
    const cpu = process.cpuUsage(cpu0);
    send({
      type: "done",
      stats: { buildId: build.id, lines: writer.lastSeq, firstEmitAt, lastEmitAt, endedAt, writeCpuS: (cpu.user + cpu.system) / 1e6 },
    });
  } finally {
    await db.$disconnect().catch(() => {});
    redis.disconnect();
  }
}

if (process.env.BENCH_ROLE === "log-writer" && process.send) {
  main().then(
    () => process.exit(0),
    (err) => {
      process.send!({ type: "error", message: String((err as Error).stack ?? err) } satisfies WriterMessage);
      process.exit(1);
    },
  );
}
