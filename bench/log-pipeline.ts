/**
 * A synthetic 200,000-line build log through BuildLogWriter → Redis (and
 * PostgreSQL) → the SSE endpoint GET /api/v1/builds/:id/log of a running
 * `next start` → a streaming fetch client.
 *
 *   node --import tsx bench/log-pipeline.ts [--runs N] [--lines N] [--burst N] [--pause-ms N]
 *       [--reader both|sse|direct] [--build] [--web-url URL]
 *
 * Each run: a writer process (bench/log-pipeline-writer.ts, its own event loop)
 * creates a Build row and writes the lines in bursts of 1,000 with a 5 ms pause,
 * each line's text carrying its emission time; the client here parses the
 * event stream (id:/event:/data:, data = [[seq, t, step, text], ...], `end`
 * ends), aborts after half the lines and reconnects with Last-Event-ID, and
 * checks that it got seqs 1..N exactly once, in order, with the right texts.
 *
 * Baseline, interleaved with the SSE runs (sse, direct, direct, sse, ...): the
 * same writer read in this process with followBuildLog directly (no HTTP, no
 * Next.js), with the same reconnect. Reports lines/s end to end and the latency
 * from emission to receipt (p50/p95/p99; goal p95 ≤ 250 ms), per run and as
 * medians, and the SSE/direct ratios.
 *
 * Uses its own database (kbuild_bench_log, dropped and re-migrated at start),
 * Redis database 11 and key prefix kbuild-bench; starts `next start` on a free
 * port (after `npx next build` when there is no build, or with --build) and
 * stops it at the end.
 */
import { benchSessionHeaders } from "./session";
import { type ChildProcess, fork } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createDb } from "../lib/db/client";
import type { LogLineTuple } from "../lib/logs/line";
import { toTuple } from "../lib/logs/line";
import { followBuildLog } from "../lib/logs/reader";
import { createRedis, keys } from "../lib/redis";
import {
  Child,
  PREFIX,
  ROOT,
  argFlag,
  argValue,
  benchEnv,
  clearRedisPrefix,
  installSignalHandlers,
  intArg,
  machine,
  median,
  percentile,
  resetDatabase,
  round,
  sleep,
  runBench,
  startNextServer,
  stopChildren,
  useEnv,
} from "./common";
import { LINES_PER_STEP, LINE_PATTERN, type WriterMessage, type WriterStats } from "./log-pipeline-writer";

const env = benchEnv("log", "postgresql://postgres@127.0.0.1:5432/kbuild_bench_log", "redis://127.0.0.1:6379/11");
useEnv(env);

const RUNS = intArg("runs", 5, 1, 50);
const LINES = intArg("lines", 200_000, 1_000, 2_000_000);
const BURST = intArg("burst", 1000, 1, 100_000);
const PAUSE_MS = intArg("pause-ms", 5, 0, 1000);
const RECONNECT_AT = Math.floor(LINES / 2);
const READER = (argValue("reader") ?? "both") as "both" | "sse" | "direct";
if (!["both", "sse", "direct"].includes(READER)) throw new Error("--reader is both, sse or direct");
const GOAL_P95_MS = 250;
/** A run that takes longer than this is broken; the bench stops rather than hang. */
const RUN_TIMEOUT_MS = 5 * 60_000;
/** Reconnects the server forces on us (stream closed without `end`), beyond the one we make. */
const MAX_UNPLANNED_RECONNECTS = 10;

type Mode = "sse" | "direct";

/** Receives lines in whatever batches they come and checks them as they arrive. */
class Collector {
  readonly recvAt = new Float64Array(LINES + 1);
  readonly emittedAt = new Float64Array(LINES + 1);
  last = 0;
  unique = 0;
  duplicates = 0;
  outOfOrder = 0;
  skipped = 0;
  badText = 0;
  beyond = 0;
  events = 0;
  firstBadText: string | undefined;

  add(tuples: LogLineTuple[], now: number): void {
    this.events++;
    for (const [seq, t, step, text] of tuples) {
      if (seq < 1 || seq > LINES) {
        this.beyond++;
        continue;
      }
      if (seq <= this.last) {
        if (this.recvAt[seq]) this.duplicates++;
        else this.outOfOrder++;
        continue;
      }
      if (seq !== this.last + 1) this.skipped += seq - this.last - 1;
      const m = LINE_PATTERN.exec(text);
      if (!m || Number(m[1]) !== seq || Number(m[2]) !== t || step !== Math.floor((seq - 1) / LINES_PER_STEP)) {
        this.badText++;
        this.firstBadText ??= JSON.stringify([seq, t, step, text]);
      }
      this.recvAt[seq] = now;
      this.emittedAt[seq] = m ? Number(m[2]) : Number.NaN;
      this.last = seq;
      this.unique++;
    }
  }

  get missing(): number {
    return LINES - this.unique;
  }

  get ok(): boolean {
    return this.unique === LINES && this.last === LINES && !this.duplicates && !this.outOfOrder && !this.skipped && !this.badText && !this.beyond;
  }

  latencies(from = 1, to = LINES): Float64Array {
    const out = new Float64Array(Math.max(0, to - from + 1));
    for (let s = from; s <= to; s++) out[s - from] = this.recvAt[s]! - this.emittedAt[s]!;
    return out;
  }
}

interface SessionEnd {
  ended: boolean;
  status?: string;
  /** We stopped it on purpose (the forced reconnect). */
  aborted: boolean;
  lastEventId: string | null;
}

/** The bench user's session cookie for the web app's API (set once the app answers). */
let apiHeaders: Record<string, string> = {};

/** One SSE connection: a streaming fetch, parsed line by line; stops at `end`, or once `stopAt` lines are in. */
async function sseSession(url: string, lastEventId: string | null, c: Collector, stopAt: number | null): Promise<SessionEnd> {
  const ac = new AbortController();
  const timeout = setTimeout(() => ac.abort(), RUN_TIMEOUT_MS);
  try {
    const res = await fetch(url, {
      headers: { ...apiHeaders, accept: "text/event-stream", ...(lastEventId !== null ? { "last-event-id": lastEventId } : {}) },
      signal: ac.signal,
    });
    if (res.status !== 200 || !res.body) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text().catch(() => "")}`);
    if (!/^text\/event-stream/.test(res.headers.get("content-type") ?? "")) throw new Error(`GET ${url}: content-type ${res.headers.get("content-type")}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    let id = lastEventId;
    let event = "";
    let data: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { ended: false, aborted: false, lastEventId: id };
      const chunkAt = Date.now();
      buf += decoder.decode(value, { stream: true });
      let pos = 0;
      for (;;) {
        const nl = buf.indexOf("\n", pos);
        if (nl < 0) break;
        let line = buf.slice(pos, nl);
        pos = nl + 1;
        if (line.endsWith("\r")) line = line.slice(0, -1);
        if (line === "") {
          // Dispatch.
          if (event === "lines" && data.length) {
            c.add(JSON.parse(data.join("\n")) as LogLineTuple[], chunkAt);
            if (stopAt !== null && c.unique >= stopAt) {
              ac.abort();
              await reader.cancel().catch(() => {});
              return { ended: false, aborted: true, lastEventId: id };
            }
          } else if (event === "end") {
            const status = (JSON.parse(data.join("\n")) as { status: string }).status;
            await reader.cancel().catch(() => {});
            return { ended: true, status, aborted: false, lastEventId: id };
          }
          event = "";
          data = [];
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let v = colon < 0 ? "" : line.slice(colon + 1);
        if (v.startsWith(" ")) v = v.slice(1);
        if (field === "id") id = v;
        else if (field === "event") event = v;
        else if (field === "data") data.push(v);
      }
      buf = buf.slice(pos);
    }
  } finally {
    clearTimeout(timeout);
  }
}

/** The baseline: followBuildLog in this process, with a Redis connection of its own, as the route uses it. */
async function directSession(buildId: string, afterSeq: number, c: Collector, stopAt: number | null): Promise<SessionEnd> {
  const redis = createRedis(env.REDIS_URL);
  const ac = new AbortController();
  const timeout = setTimeout(() => ac.abort(), RUN_TIMEOUT_MS);
  try {
    for await (const ev of followBuildLog({ db: db(), redis, prefix: PREFIX, buildId, afterSeq, signal: ac.signal })) {
      if (ev.type === "end") return { ended: true, status: ev.status, aborted: false, lastEventId: String(c.last) };
      c.add(ev.lines.map(toTuple), Date.now());
      if (stopAt !== null && c.unique >= stopAt) {
        ac.abort();
        return { ended: false, aborted: true, lastEventId: String(c.last) };
      }
    }
    return { ended: false, aborted: false, lastEventId: String(c.last) };
  } finally {
    clearTimeout(timeout);
    redis.disconnect();
  }
}

let dbClient: ReturnType<typeof createDb> | undefined;
const db = () => (dbClient ??= createDb(env.DATABASE_URL));

interface RunResult {
  mode: Mode;
  ok: boolean;
  endStatus: string | null;
  received: number;
  duplicates: number;
  outOfOrder: number;
  missing: number;
  badText: number;
  firstBadText?: string;
  events: number;
  reconnects: number;
  unplannedReconnects: number;
  lastEventIdMatched: boolean;
  linesPerSecond: number;
  emitSeconds: number;
  emitLinesPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  latencyBeforeReconnectMs: { p50: number; p95: number; p99: number };
  latencyAfterReconnectMs: { p50: number; p95: number; p99: number };
  reconnectGapMs: number;
  readerBehindAtLastEmitMs: number;
  writerEndS: number;
  writerCpuS: number;
  chunks: { count: number; minLines: number; meanLines: number; maxLines: number };
  streamEntriesAfterEnd: number;
}

function startWriter(): ChildProcess {
  return fork(path.join(import.meta.dirname, "log-pipeline-writer.ts"), [], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env, BENCH_ROLE: "log-writer", BENCH_LINES: String(LINES), BENCH_BURST: String(BURST), BENCH_PAUSE_MS: String(PAUSE_MS) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

function nextMessage<T extends WriterMessage["type"]>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<WriterMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: WriterMessage) => {
      if (m.type === type) {
        cleanup();
        resolve(m as Extract<WriterMessage, { type: T }>);
      } else if (m.type === "error") {
        cleanup();
        reject(new Error(`writer: ${m.message}`));
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`writer exited (${code}) before "${type}"`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`writer sent no "${type}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

const pcts = (xs: Float64Array) => ({ p50: round(percentile(xs, 50), 1), p95: round(percentile(xs, 95), 1), p99: round(percentile(xs, 99), 1) });

async function runOnce(mode: Mode, base: string | null): Promise<RunResult> {
  const writer = startWriter();
  const exited = new Promise<void>((r) => writer.once("exit", () => r()));
  try {
    const { buildId } = await nextMessage(writer, "ready", 120_000);
    const done = nextMessage(writer, "done", RUN_TIMEOUT_MS);
    done.catch(() => {}); // awaited below; a failure before then must not be unhandled
    const c = new Collector();
    const url = `${base}/api/v1/builds/${buildId}/log`;
    let reconnects = 0;
    let unplanned = 0;
    let abortedAt = 0;
    let resumeFrom = 0;
    let lastEventIdMatched = true;
    let end: SessionEnd | undefined;
    let lastEventId: string | null = null;

    const session = (stopAt: number | null) =>
      mode === "sse" ? sseSession(url, lastEventId, c, stopAt) : directSession(buildId, c.last, c, stopAt);
    // The first session connects before the writer starts, as a browser on the build page would.
    let current = session(RECONNECT_AT);
    if (mode === "sse") await sleep(300); // the response headers and ": connected" are out by then
    writer.send({ type: "go" });
    for (let i = 0; i < MAX_UNPLANNED_RECONNECTS + 2; i++) {
      end = await current;
      lastEventId = end.lastEventId;
      if (end.ended) break;
      if (end.aborted) {
        reconnects++;
        abortedAt = Date.now();
        resumeFrom = c.last;
        if (mode === "sse" && lastEventId !== String(c.last)) lastEventIdMatched = false;
      } else {
        unplanned++;
      }
      current = session(null);
    }
    if (!end?.ended) throw new Error(`${mode}: the log did not end after ${MAX_UNPLANNED_RECONNECTS} reconnects`);
    const { stats } = await done;
    await exited;
    return await summarize(mode, buildId, c, stats, end, { reconnects, unplanned, abortedAt, resumeFrom, lastEventIdMatched });
  } finally {
    if (writer.exitCode === null && writer.signalCode === null) {
      writer.kill("SIGKILL");
      await exited;
    }
  }
}

async function summarize(
  mode: Mode,
  buildId: string,
  c: Collector,
  w: WriterStats,
  end: SessionEnd,
  r: { reconnects: number; unplanned: number; abortedAt: number; resumeFrom: number; lastEventIdMatched: boolean },
): Promise<RunResult> {
  const all = c.latencies();
  const chunkRows = await db().logChunk.findMany({ where: { buildId }, select: { firstSeq: true, lastSeq: true } });
  const sizes = chunkRows.map((ch) => ch.lastSeq - ch.firstSeq + 1);
  const redis = createRedis(env.REDIS_URL);
  const key = keys.log(PREFIX, buildId);
  const streamEntriesAfterEnd = await redis.xlen(key);
  await redis.del(key);
  redis.disconnect();
  await db().build.delete({ where: { id: buildId } }); // its steps and log chunks go with it
  const lastRecv = c.recvAt[LINES] || Number.NaN;
  return {
    mode,
    ok: c.ok && end.status === "succeeded" && r.reconnects === 1 && r.lastEventIdMatched,
    endStatus: end.status ?? null,
    received: c.unique,
    duplicates: c.duplicates,
    outOfOrder: c.outOfOrder,
    missing: c.missing,
    badText: c.badText,
    ...(c.firstBadText ? { firstBadText: c.firstBadText } : {}),
    events: c.events,
    reconnects: r.reconnects,
    unplannedReconnects: r.unplanned,
    lastEventIdMatched: r.lastEventIdMatched,
    linesPerSecond: Math.round(LINES / ((lastRecv - w.firstEmitAt) / 1000)),
    emitSeconds: round((w.lastEmitAt - w.firstEmitAt) / 1000),
    emitLinesPerSecond: Math.round(LINES / ((w.lastEmitAt - w.firstEmitAt) / 1000)),
    latencyMs: { ...pcts(all), max: round(all.reduce((x, y) => Math.max(x, y), Number.NEGATIVE_INFINITY), 1) },
    latencyBeforeReconnectMs: pcts(c.latencies(1, r.resumeFrom)),
    latencyAfterReconnectMs: pcts(c.latencies(r.resumeFrom + 1, LINES)),
    reconnectGapMs: r.resumeFrom < LINES ? round(c.recvAt[r.resumeFrom + 1]! - r.abortedAt, 1) : Number.NaN,
    readerBehindAtLastEmitMs: round(lastRecv - w.lastEmitAt, 1),
    writerEndS: round((w.endedAt - w.firstEmitAt) / 1000),
    writerCpuS: round(w.writeCpuS),
    chunks: {
      count: sizes.length,
      minLines: sizes.length ? Math.min(...sizes) : 0,
      meanLines: sizes.length ? Math.round(sizes.reduce((x, y) => x + y, 0) / sizes.length) : 0,
      maxLines: sizes.length ? Math.max(...sizes) : 0,
    },
    streamEntriesAfterEnd,
  };
}

// ---------------------------------------------------------------------------
// The web app
// ---------------------------------------------------------------------------

interface Web {
  base: string | null;
  child: Child | null;
  /** What serves the SSE endpoint. */
  server: string | null;
  note: string | null;
}

/** The log route answers an unknown build with the API's JSON 404, not the app's HTML page. */
async function hasLogRoute(base: string): Promise<string | null> {
  apiHeaders = await benchSessionHeaders(base);
  const probe = await fetch(`${base}/api/v1/builds/00000000-0000-4000-8000-000000000000/log`, { headers: apiHeaders });
  const type = probe.headers.get("content-type") ?? "";
  await probe.body?.cancel();
  return probe.status === 404 && type.includes("application/json") ? null : `HTTP ${probe.status}, ${type}`;
}

async function startWeb(): Promise<Web> {
  const given = argValue("web-url");
  if (given) {
    // A server someone else started, with this bench's environment (database, Redis db, prefix).
    const missing = await hasLogRoute(given);
    if (missing) throw new Error(`${given} has no log route (${missing})`);
    return { base: given.replace(/\/$/, ""), child: null, server: given, note: null };
  }
  const { base, child, port } = await startNextServer(env, argFlag("build"));
  const missing = await hasLogRoute(base);
  if (missing) {
    await child.stop();
    return { base: null, child: null, server: null, note: `the web app has no log route (probe: ${missing}); the direct reader (followBuildLog) only` };
  }
  return { base, child, server: `next start -p ${port}`, note: null };
}

// ---------------------------------------------------------------------------

async function main() {
  installSignalHandlers(stopChildren);
  console.error(`bench database ${env.DATABASE_URL}, Redis ${env.REDIS_URL}, prefix ${PREFIX}`);
  await resetDatabase(env.DATABASE_URL);
  await clearRedisPrefix(env.REDIS_URL);

  const web: Web = READER === "direct" ? { base: null, child: null, server: null, note: "--reader direct" } : await startWeb();
  try {
    const modes: Mode[] = web.base ? (READER === "both" ? ["sse", "direct"] : [READER]) : ["direct"];
    if (web.note) console.error(`note: ${web.note}`);

    // Loads the route's modules in the server and warms the connections; its numbers are not used.
    console.error("warm-up: one run of each reader (not counted)");
    for (const m of modes) await runOnce(m, web.base).catch((e) => Promise.reject(new Error(`warm-up ${m}: ${(e as Error).message}`)));

    const results: Record<Mode, RunResult[]> = { sse: [], direct: [] };
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 === 0 ? modes : [...modes].reverse();
      for (const m of order) {
        const r = await runOnce(m, web.base);
        results[m].push(r);
        console.error(
          `run ${i + 1}/${RUNS} ${m.padEnd(6)} ${r.ok ? "ok " : "BAD"} ${r.linesPerSecond} lines/s, latency p50 ${r.latencyMs.p50} ms p95 ${r.latencyMs.p95} ms ` +
            `p99 ${r.latencyMs.p99} ms max ${r.latencyMs.max} ms; reconnect gap ${r.reconnectGapMs} ms; ` +
            `${r.chunks.count} chunks (${r.chunks.minLines}..${r.chunks.maxLines} lines)`,
        );
        if (!r.ok) console.error(`  verification failed: ${JSON.stringify(r)}`);
      }
    }

    const med = (m: Mode, f: (r: RunResult) => number) => median(results[m].map(f));
    const summaryOf = (m: Mode) =>
      results[m].length
        ? {
            runs: results[m].length,
            allVerified: results[m].every((r) => r.ok),
            linesPerSecond: Math.round(med(m, (r) => r.linesPerSecond)),
            latencyMs: {
              p50: round(med(m, (r) => r.latencyMs.p50), 1),
              p95: round(med(m, (r) => r.latencyMs.p95), 1),
              p99: round(med(m, (r) => r.latencyMs.p99), 1),
              max: round(med(m, (r) => r.latencyMs.max), 1),
            },
            latencyBeforeReconnectP95Ms: round(med(m, (r) => r.latencyBeforeReconnectMs.p95), 1),
            latencyAfterReconnectP95Ms: round(med(m, (r) => r.latencyAfterReconnectMs.p95), 1),
            reconnectGapMs: round(med(m, (r) => r.reconnectGapMs), 1),
            readerBehindAtLastEmitMs: round(med(m, (r) => r.readerBehindAtLastEmitMs), 1),
            emitLinesPerSecond: Math.round(med(m, (r) => r.emitLinesPerSecond)),
            writerEndS: round(med(m, (r) => r.writerEndS)),
          }
        : null;
    const pairs = web.base && READER === "both" ? results.sse.map((s, i) => [s, results.direct[i]!] as const) : [];
    const sse = summaryOf("sse");
    const summary = {
      bench: "log-pipeline",
      machine: machine(),
      lines: LINES,
      burst: BURST,
      pauseMs: PAUSE_MS,
      reconnectAfter: RECONNECT_AT,
      runs: RUNS,
      reader: web.base ? `SSE GET /api/v1/builds/:id/log, served by ${web.server}` : "followBuildLog directly (no web app)",
      note: web.note,
      sse,
      direct: summaryOf("direct"),
      sseOverDirect: pairs.length
        ? {
            p95Latency: round(median(pairs.map(([s, d]) => s.latencyMs.p95 / d.latencyMs.p95)), 3),
            p50Latency: round(median(pairs.map(([s, d]) => s.latencyMs.p50 / d.latencyMs.p50)), 3),
            linesPerSecond: round(median(pairs.map(([s, d]) => s.linesPerSecond / d.linesPerSecond)), 3),
          }
        : null,
      goal: {
        p95Ms: GOAL_P95_MS,
        met: sse ? sse.latencyMs.p95 <= GOAL_P95_MS : null,
      },
      perRun: results,
    };
    console.log(JSON.stringify(summary, null, 2));
    console.log("");
    console.log(`log pipeline: ${LINES} lines (bursts of ${BURST}, ${PAUSE_MS} ms pause), one forced reconnect after ${RECONNECT_AT}, ${RUNS} interleaved runs`);
    if (web.note) console.log(`  NOTE: ${web.note}`);
    for (const m of ["sse", "direct"] as const) {
      const s = summaryOf(m);
      if (!s) continue;
      console.log(
        `  ${m === "sse" ? `SSE (${web.server})` : "direct followBuildLog"}: ${s.allVerified ? "every run verified (1..N once, in order, texts match)" : "VERIFICATION FAILED"}; ` +
          `median ${s.linesPerSecond} lines/s; latency p50 ${s.latencyMs.p50} ms, p95 ${s.latencyMs.p95} ms, p99 ${s.latencyMs.p99} ms, max ${s.latencyMs.max} ms; ` +
          `reconnect gap ${s.reconnectGapMs} ms`,
      );
    }
    if (summary.sseOverDirect) {
      console.log(`  SSE / direct (median of pairs): p95 latency ×${summary.sseOverDirect.p95Latency}, p50 ×${summary.sseOverDirect.p50Latency}, lines/s ×${summary.sseOverDirect.linesPerSecond}`);
    }
    if (sse) console.log(`  goal p95 ≤ ${GOAL_P95_MS} ms: ${summary.goal.met ? "met" : "NOT met"}`);
    await mkdir(path.join(import.meta.dirname, "results"), { recursive: true });
    await writeFile(path.join(import.meta.dirname, "results", "log-pipeline.json"), JSON.stringify(summary, null, 2) + "\n");
    if (!Object.values(results).flat().every((r) => r.ok)) process.exitCode = 2;
  } finally {
    await web.child?.stop();
    if (web.child) {
      const errors = web.child.output.filter((l) => /error|\[api\]/i.test(l));
      if (errors.length) console.error(`next start reported:\n${errors.slice(0, 20).join("\n")}`);
    }
    await dbClient?.$disconnect();
    await clearRedisPrefix(env.REDIS_URL).catch(() => {});
  }
}

runBench("log-pipeline", main);
