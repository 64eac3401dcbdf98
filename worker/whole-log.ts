import path from "node:path";
import type { PrismaClient } from "../lib/db/client";
import { LogArchive } from "../lib/logs/archive";
import type { BuildLogWriter } from "../lib/logs/writer";

/** How much of a log is kept where (KBUILD_LOG_STREAM_MAX_BYTES, KBUILD_LOG_ARTIFACT_MAX_BYTES). */
export interface LogLimits {
  /** The live stream and the database copy. */
  streamMaxBytes: number;
  /** build.log.gz. */
  artifactMaxBytes: number;
}

/** The file the whole log is written to as it comes: beside the build's mounted directories, so nothing the build runs can touch it. */
export function openWholeLog(log: BuildLogWriter, workDir: string, limits: LogLimits): LogArchive {
  const archive = new LogArchive(path.join(workDir, "build.log.gz"), limits.artifactMaxBytes);
  log.archiveTo(archive);
  return archive;
}

/** Finishes the whole log's file and records on the build where it stops, if it does; its path. */
export async function closeWholeLog(db: PrismaClient, buildId: string, archive: LogArchive): Promise<string> {
  const { cutAt } = await archive.close();
  if (cutAt !== null) await db.build.update({ where: { id: buildId }, data: { logArtifactTruncatedAt: cutAt } });
  return archive.file;
}
