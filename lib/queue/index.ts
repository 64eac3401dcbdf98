import { Queue } from "bullmq";
import type { Redis } from "ioredis";

/** The queue of builds to run. A job carries only the build id: PostgreSQL holds the rest. */
export const BUILD_QUEUE = "builds";

export interface BuildJob {
  buildId: string;
}

export function buildQueue(connection: Redis, prefix: string): Queue<BuildJob> {
  return new Queue<BuildJob>(BUILD_QUEUE, { connection, prefix: `${prefix}:bull` });
}

/**
 * Adds the build's job. The job id is the build id, so adding it twice (the
 * API and a worker re-enqueuing after Redis lost its data) is harmless.
 * Builds are never retried automatically.
 */
export async function enqueueBuild(queue: Queue<BuildJob>, buildId: string): Promise<void> {
  await queue.add("build", { buildId }, {
    jobId: buildId,
    attempts: 1,
    removeOnComplete: { age: 3600 },
    removeOnFail: { age: 24 * 3600 },
  });
}
