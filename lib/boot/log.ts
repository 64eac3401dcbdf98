import type { PrismaClient } from "../db/client";
import type { LogLineTuple } from "../logs/line";
import { toTuple } from "../logs/line";
import type { LogTarget } from "../logs/target";
import { keys } from "../redis";

/** A boot test's console log: its own stream and chunks, the same numbering and readers as a build log. */
export function bootLogTarget(db: PrismaClient, prefix: string, bootTestId: string): LogTarget {
  return {
    streamKey: keys.bootLog(prefix, bootTestId),
    async save(lines, cutAt) {
      await db.$transaction([
        db.bootTestLogChunk.create({ data: { bootTestId, firstSeq: lines[0]!.seq, lastSeq: lines.at(-1)!.seq, lines: lines.map(toTuple) } }),
        db.bootTest.update({ where: { id: bootTestId }, data: { logLines: lines.at(-1)!.seq, ...(cutAt === null ? {} : { logTruncatedAt: cutAt }) } }),
      ]);
    },
    async chunks(afterSeq, beforeSeq, maxChunks) {
      const rows = await db.bootTestLogChunk.findMany({
        where: { bootTestId, lastSeq: { gt: afterSeq }, firstSeq: { lt: beforeSeq } },
        orderBy: { firstSeq: "asc" },
        take: maxChunks,
      });
      return rows.map((r) => r.lines as LogLineTuple[]);
    },
    state: () => db.bootTest.findUnique({ where: { id: bootTestId }, select: { status: true, logLines: true } }),
  };
}

/** Artifact store keys of a boot test's files; names are kbuild's own. */
export function bootArtifactKey(bootTestId: string, name: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(bootTestId)) throw new Error(`bad boot test id ${JSON.stringify(bootTestId)}`);
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === "." || name === "..") throw new Error(`bad artifact name ${JSON.stringify(name)}`);
  return `boot-tests/${bootTestId}/${name}`;
}
