import type { Redis } from "ioredis";
import type { PrismaClient } from "../db/client";
import { StoredCopyCap } from "./cap";
import { type LogLine, clampLine, toTuple } from "./line";
import { type LogTarget, buildLogTarget } from "./target";

export interface BuildLogWriterOptions {
  /** How long lines may wait before they are pushed to the live stream. */
  streamDelayMs?: number;
  /** How often lines are persisted to PostgreSQL. */
  persistIntervalMs?: number;
  /** Persist early once this many lines are waiting. */
  persistBatch?: number;
  /** Live-stream entries kept after they are persisted, for readers just behind. */
  streamTail?: number;
  /** How long the stream of a finished build lives on in Redis. */
  endedStreamTtlSeconds?: number;
  /** Whose log this is; by default the build's (a boot test's console passes its own). */
  target?: LogTarget;
  /** Bytes of text the live stream and the database copy hold at most; past it, a marker, then the last lines at the end. */
  storedMaxBytes?: number;
  /** Lines kept for the end of a cut log. */
  tailLines?: number;
  /** Where the whole log is kept when the stored copy is cut (the markers name it). */
  fullLogName?: string;
}

/** Where every line goes as well, cut or not: the whole log's file. */
export interface LogSink {
  write(line: LogLine): void;
}

/** The entry that tells readers the build is over; its fields carry the final status. */
export const END_FIELD = "end";

/**
 * Numbers a build's output lines and sends them two ways: to a per-build Redis
 * Stream right away (live readers), and in batches to PostgreSQL (durable).
 * Redis entries get the id `0-<seq>`, so a reader resumes from any line with a
 * plain XREAD. Lines stay in memory until PostgreSQL has them: if Redis loses
 * its data mid-build, nothing is lost.
 *
 * A log longer than `storedMaxBytes` is cut in the stored copy (see
 * StoredCopyCap): `write` still returns every line with its number, for the
 * diagnostics, and the archive (`archiveTo`) still gets every line.
 */
export class BuildLogWriter {
  private seq = 0;
  private toStream: LogLine[] = [];
  private toPersist: LogLine[] = [];
  private streamTimer: NodeJS.Timeout | undefined;
  private persistTimer: NodeJS.Timeout | undefined;
  // Two queues, so that live readers never wait behind a PostgreSQL write; within each queue,
  // operations run one after another so that order is line order. At most one operation
  // waits in each queue: the waiting one takes every line written until it runs.
  private streamChain: Promise<void> = Promise.resolve();
  private persistChain: Promise<void> = Promise.resolve();
  private pushQueued = false;
  private persistQueued = false;
  private failure: Error | undefined;
  private readonly key: string;
  private readonly target: LogTarget;
  private readonly opts: Required<Omit<BuildLogWriterOptions, "target" | "storedMaxBytes" | "tailLines" | "fullLogName">>;
  private readonly cap: StoredCopyCap;
  private archive: LogSink | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly db: PrismaClient,
    private readonly buildId: string,
    prefix: string,
    options: BuildLogWriterOptions = {},
    /** Continue numbering after lines an earlier writer already wrote. */
    startSeq = 0,
  ) {
    this.target = options.target ?? buildLogTarget(db, prefix, buildId);
    this.key = this.target.streamKey;
    this.seq = startSeq;
    const { target: _target, storedMaxBytes, tailLines, fullLogName, ...rest } = options;
    this.cap = new StoredCopyCap(storedMaxBytes ?? Number.POSITIVE_INFINITY, tailLines ?? 200, fullLogName ?? "build.log.gz");
    this.opts = {
      streamDelayMs: 10,
      persistIntervalMs: 500,
      persistBatch: 2000,
      streamTail: 10_000,
      endedStreamTtlSeconds: 600,
      ...rest,
    };
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Every line from now on also goes to `sink` (a runner attaches the whole log's file once its directory exists). */
  archiveTo(sink: LogSink): void {
    this.archive = sink;
  }

  /** Writes one line; text with line breaks is written as several lines. Returns the last. */
  write(step: number, text: string, t = Date.now()): LogLine {
    if (text.includes("\n")) {
      const parts = text.split("\n");
      for (const part of parts.slice(0, -1)) this.write(step, part, t);
      return this.write(step, parts.at(-1)!, t);
    }
    const line: LogLine = { seq: ++this.seq, t, step, text: clampLine(text) };
    this.archive?.write(line);
    const stored = this.cap.admit(line);
    if (stored) this.store(stored);
    return line;
  }

  private store(line: LogLine): void {
    this.toStream.push(line);
    this.toPersist.push(line);
    this.streamTimer ??= setTimeout(() => this.schedulePush(), this.opts.streamDelayMs);
    if (this.toPersist.length >= this.opts.persistBatch) this.schedulePersist();
    else this.persistTimer ??= setTimeout(() => this.schedulePersist(), this.opts.persistIntervalMs);
  }

  /** Pushes and persists everything written so far. */
  async flush(): Promise<void> {
    this.failure = undefined;
    this.schedulePush();
    this.schedulePersist();
    await Promise.all([this.streamChain, this.persistChain]);
    // A persist that failed before this flush re-queued its lines: one more attempt now.
    if (this.failure && this.toPersist.length) {
      this.failure = undefined;
      this.schedulePersist();
      await this.persistChain;
    }
    if (this.failure) throw this.failure;
  }

  /** Stores the tail of a cut log (after its gap marker), flushes, then marks the stream ended so live readers stop, and lets it expire. */
  async end(status: string): Promise<void> {
    for (const line of this.cap.close()) this.store(line);
    await this.flush();
    await this.redis
      .multi()
      .xadd(this.key, `0-${this.seq + 1}`, END_FIELD, status, "lastSeq", String(this.seq))
      .expire(this.key, this.opts.endedStreamTtlSeconds)
      .exec();
  }

  private schedulePush(): void {
    clearTimeout(this.streamTimer);
    this.streamTimer = undefined;
    if (this.pushQueued) return;
    this.pushQueued = true;
    this.streamChain = this.streamChain
      .then(() => {
        this.pushQueued = false;
        return this.pushToStream();
      })
      .catch((err: Error) => {
        this.failure ??= err;
      });
  }

  private schedulePersist(): void {
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    if (this.persistQueued) return;
    this.persistQueued = true;
    this.persistChain = this.persistChain
      .then(() => {
        this.persistQueued = false;
        return this.persist();
      })
      .catch((err: Error) => {
        this.failure ??= err;
      });
  }

  private async pushToStream(): Promise<void> {
    const lines = this.toStream;
    this.toStream = [];
    if (!lines.length) return;
    const pipeline = this.redis.pipeline();
    for (const l of lines) pipeline.xadd(this.key, `0-${l.seq}`, "l", JSON.stringify(toTuple(l)));
    // A stream that already has a later id (Redis restarted and a reader recreated nothing, or we
    // resumed) answers with an error per entry; live readers then fill from PostgreSQL.
    await pipeline.exec();
  }

  private async persist(): Promise<void> {
    const lines = this.toPersist;
    this.toPersist = [];
    if (!lines.length) return;
    try {
      await this.target.save(lines, this.cap.cutAt);
    } catch (err) {
      // Keep the lines and try again later; flush() reports the failure if it persists.
      this.toPersist = [...lines, ...this.toPersist];
      this.persistTimer ??= setTimeout(() => this.schedulePersist(), this.opts.persistIntervalMs);
      throw err;
    }
    const keepFrom = lines.at(-1)!.seq - this.opts.streamTail;
    if (keepFrom <= 0) return;
    // Trim only what the stream has carried: lines still waiting for their push stay readable live.
    this.schedulePush();
    await this.streamChain;
    await this.redis.xtrim(this.key, "MINID", `0-${keepFrom}`);
  }
}
