import type { BuildStatus, PrismaClient } from "../db/client";
import { keys } from "../redis";
import { type LogLine, type LogLineTuple, toTuple } from "./line";

/**
 * Whose log it is: a build's, or a boot test's console. The writer and the
 * reader only need a Redis Stream key, a durable place for batches of lines
 * and the owner's status; the numbering, live fan-out and resume logic are the
 * same for every kind of log.
 */
export interface LogTarget {
  /** The Redis Stream that carries the live lines. */
  readonly streamKey: string;
  /**
   * Stores a batch of lines (in order; numbers may skip where a cut log left lines out) and records
   * the last one on the owner, with the number of the first line a cut log lacks, in one transaction.
   */
  save(lines: LogLine[], cutAt: number | null): Promise<void>;
  /** Persisted batches that hold lines with afterSeq < seq < beforeSeq, in order. */
  chunks(afterSeq: number, beforeSeq: number, maxChunks: number): Promise<LogLineTuple[][]>;
  /** The owner's status and how many lines it has persisted; null when it does not exist. */
  state(): Promise<{ status: BuildStatus; logLines: number } | null>;
}

export function buildLogTarget(db: PrismaClient, prefix: string, buildId: string): LogTarget {
  return {
    streamKey: keys.log(prefix, buildId),
    async save(lines, cutAt) {
      await db.$transaction([
        db.logChunk.create({ data: { buildId, firstSeq: lines[0]!.seq, lastSeq: lines.at(-1)!.seq, lines: lines.map(toTuple) } }),
        db.build.update({ where: { id: buildId }, data: { logLines: lines.at(-1)!.seq, ...(cutAt === null ? {} : { logTruncatedAt: cutAt }) } }),
      ]);
    },
    async chunks(afterSeq, beforeSeq, maxChunks) {
      const rows = await db.logChunk.findMany({
        where: { buildId, lastSeq: { gt: afterSeq }, firstSeq: { lt: beforeSeq } },
        orderBy: { firstSeq: "asc" },
        take: maxChunks,
      });
      return rows.map((r) => r.lines as LogLineTuple[]);
    },
    state: () => db.build.findUnique({ where: { id: buildId }, select: { status: true, logLines: true } }),
  };
}
