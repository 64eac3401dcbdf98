import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { lineBytes } from "./cap";
import type { LogLine } from "./line";

export interface ArchivedLog {
  /** Bytes of log text the file holds (uncompressed, the last line included). */
  bytes: number;
  /** Lines it holds, the last line included. */
  lines: number;
  /** The number of the first line it lacks, when the cap stopped it; null when it holds every line. */
  cutAt: number | null;
}

/** Text is handed to gzip in batches of about this size: one stream write per line would cost more than the compression. */
const BATCH_BYTES = 64 * 1024;

/**
 * The whole log as a gzip file, written as the lines come (nothing but the
 * current batch is held in memory), up to `maxBytes` of text: past it the file
 * ends with a line saying so, and later lines are not written.
 *
 * Writes do not wait for gzip (the writer's `write` is synchronous): a build
 * prints far more slowly than a disk takes compressed text, so what waits in
 * gzip's buffer stays small.
 */
export class LogArchive {
  private pending: string[] = [];
  private pendingBytes = 0;
  private readonly summary: ArchivedLog = { bytes: 0, lines: 0, cutAt: null };
  private readonly gzip = createGzip();
  private readonly done: Promise<void>;
  private failure: Error | undefined;
  private closed = false;

  constructor(
    readonly file: string,
    private readonly maxBytes: number,
  ) {
    this.done = pipeline(this.gzip, createWriteStream(file)).catch((err: Error) => {
      this.failure = err;
    });
  }

  write(line: LogLine): void {
    if (this.closed || this.summary.cutAt !== null) return;
    const size = lineBytes(line.text);
    if (this.summary.bytes + size > this.maxBytes) {
      this.summary.cutAt = line.seq;
      this.add(`… this file stops at line ${line.seq - 1}: the log reached its limit of ${this.maxBytes} bytes (KBUILD_LOG_ARTIFACT_MAX_BYTES); the build's page keeps its diagnostics and last lines`);
      return;
    }
    this.add(line.text, size);
  }

  /** Finishes the file; what it holds. Throws when it could not be written. */
  async close(): Promise<ArchivedLog> {
    if (!this.closed) {
      this.closed = true;
      this.send();
      this.gzip.end();
    }
    await this.done;
    if (this.failure) throw this.failure;
    return { ...this.summary };
  }

  private add(text: string, size = lineBytes(text)): void {
    this.pending.push(text);
    this.pendingBytes += size;
    this.summary.bytes += size;
    this.summary.lines++;
    if (this.pendingBytes >= BATCH_BYTES) this.send();
  }

  private send(): void {
    if (!this.pending.length || this.failure) return;
    this.gzip.write(this.pending.join("\n") + "\n");
    this.pending = [];
    this.pendingBytes = 0;
  }
}
