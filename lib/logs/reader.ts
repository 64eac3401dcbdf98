import type { Redis } from "ioredis";
import type { PrismaClient } from "../db/client";
import { isTerminal } from "../builds/status";
import { type LogLine, type LogLineTuple, fromTuple } from "./line";
import { type LogTarget, buildLogTarget } from "./target";
import { END_FIELD } from "./writer";

/** Lines persisted in PostgreSQL with afterSeq < seq < beforeSeq, in order. */
export async function readPersistedLines(
  db: PrismaClient,
  buildId: string,
  afterSeq: number,
  beforeSeq = 2 ** 31 - 1, // PostgreSQL integer: no log has more lines
  maxChunks = 50,
): Promise<LogLine[]> {
  return readTargetLines(buildLogTarget(db, "", buildId), afterSeq, beforeSeq, maxChunks);
}

/** The same for any log's owner. */
export async function readTargetLines(target: LogTarget, afterSeq: number, beforeSeq = 2 ** 31 - 1, maxChunks = 50): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for (const tuples of await target.chunks(afterSeq, beforeSeq, maxChunks)) {
    for (const tuple of tuples) {
      if (tuple[0] > afterSeq && tuple[0] < beforeSeq) lines.push(fromTuple(tuple));
    }
  }
  return lines;
}

export type LogEvent = { type: "lines"; lines: LogLine[] } | { type: "end"; status: string };

export interface FollowOptions {
  db: PrismaClient;
  /** A connection of its own: XREAD BLOCK holds it. */
  redis: Redis;
  prefix: string;
  buildId: string;
  /** Resume after this line (the SSE Last-Event-ID); 0 from the start. */
  afterSeq: number;
  signal: AbortSignal;
  /** How long one XREAD waits before checking PostgreSQL for the build's end. */
  blockMs?: number;
  /** Whose log; by default the build's. */
  target?: LogTarget;
}

/**
 * Follows a build's log from any line until the build ends. History comes from
 * PostgreSQL, live lines from the Redis Stream; a gap between the two (a reader
 * that fell behind a trim, Redis losing its data) is filled from PostgreSQL,
 * and lines are never skipped or reordered: if a gap cannot be filled yet, the
 * reader waits for the writer to persist it.
 */
export async function* followBuildLog(o: FollowOptions): AsyncGenerator<LogEvent> {
  const target = o.target ?? buildLogTarget(o.db, o.prefix, o.buildId);
  const key = target.streamKey;
  let last = o.afterSeq;
  const blockMs = o.blockMs ?? 2000;

  // Catch up from durable storage first: a long log is cheaper to read from there. The first read is one
  // chunk, so a reader shows the first screen without waiting for 100,000 lines; later reads grow to 50.
  for (let chunks = 1; ; chunks = Math.min(50, chunks * 4)) {
    const lines = await readTargetLines(target, last, undefined, chunks);
    if (!lines.length) break;
    last = lines.at(-1)!.seq;
    yield { type: "lines", lines };
  }
  // A finished log ends here: waiting on the stream first would hold every reader of an old build one block time.
  const ended = await endOf(target, last);
  if (ended) {
    if (ended !== "gone") yield ended;
    return;
  }

  while (!o.signal.aborted) {
    const reply = (await o.redis.xread("COUNT", 2000, "BLOCK", blockMs, "STREAMS", key, `0-${last}`)) as
      | [string, [string, string[]][]][]
      | null;
    const entries = reply?.[0]?.[1] ?? [];
    if (o.signal.aborted) return;

    if (!entries.length) {
      // Quiet stream: the build may have ended with its end marker gone (expired, Redis flushed).
      const persisted = await readTargetLines(target, last);
      if (persisted.length) {
        last = persisted.at(-1)!.seq;
        yield { type: "lines", lines: persisted };
        continue;
      }
      const ended = await endOf(target, last);
      if (ended) {
        if (ended !== "gone") yield ended;
        return;
      }
      continue;
    }

    const batch: LogLine[] = [];
    for (const [, fields] of entries) {
      if (fields[0] === END_FIELD) {
        const lastSeq = Number(fields[3]);
        if (lastSeq > last + batch.length) break; // lines missing before the end: fill them first
        if (batch.length) yield { type: "lines", lines: batch };
        yield { type: "end", status: fields[1]! };
        return;
      }
      const line = fromTuple(JSON.parse(fields[1]!) as LogLineTuple);
      const expected = last + batch.length + 1;
      if (line.seq < expected) continue;
      if (line.seq > expected) break; // a gap: stop here and fill it from PostgreSQL
      batch.push(line);
    }
    if (batch.length) {
      last = batch.at(-1)!.seq;
      yield { type: "lines", lines: batch };
      continue;
    }
    const filled = await readTargetLines(target, last);
    if (filled.length) {
      last = filled.at(-1)!.seq;
      yield { type: "lines", lines: filled };
    } else {
      // Not persisted yet; the writer persists within a second.
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The end event when the log's owner has ended and every line up to `last` was read; "gone" when the owner no longer exists. */
async function endOf(target: LogTarget, last: number): Promise<LogEvent | "gone" | null> {
  const owner = await target.state();
  if (!owner) return "gone";
  return isTerminal(owner.status) && owner.logLines <= last ? { type: "end", status: owner.status } : null;
}

/** The whole log as text (persisted lines, then any the stream has that are not persisted yet). */
export async function readWholeLog(db: PrismaClient, redis: Redis, prefix: string, buildId: string, target = buildLogTarget(db, prefix, buildId)): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  let last = 0;
  for (;;) {
    const batch = await readTargetLines(target, last, undefined, 200);
    if (!batch.length) break;
    lines.push(...batch);
    last = batch.at(-1)!.seq;
  }
  const live = (await redis.xrange(target.streamKey, `0-${last + 1}`, "+")) as [string, string[]][];
  for (const [, fields] of live) {
    if (fields[0] === END_FIELD) break;
    const line = fromTuple(JSON.parse(fields[1]!) as LogLineTuple);
    if (line.seq === last + 1) {
      lines.push(line);
      last = line.seq;
    }
  }
  return lines;
}
