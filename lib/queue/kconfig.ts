import { type Job, Queue } from "bullmq";
import type { Redis } from "ioredis";

/**
 * Jobs that prepare a configurator model for (source, arch, profile): the
 * macros must run in the profile's sandbox, which only workers can open. The
 * job id is the model key, so asking twice while it runs adds nothing.
 */
export const KCONFIG_QUEUE = "kconfig-models";

export interface KconfigModelJob {
  key: string;
  sourceId: string;
  arch: string;
  profile: string;
}

export function kconfigQueue(connection: Redis, prefix: string): Queue<KconfigModelJob> {
  return new Queue<KconfigModelJob>(KCONFIG_QUEUE, { connection, prefix: `${prefix}:bull` });
}

export async function enqueueKconfigModel(queue: Queue<KconfigModelJob>, data: KconfigModelJob): Promise<Job<KconfigModelJob>> {
  return queue.add("kconfig-model", data, {
    jobId: data.key,
    attempts: 1,
    removeOnComplete: { age: 600 },
    // A failure stays visible for a while; asking again (POST) removes it and starts over.
    removeOnFail: { age: 3600 },
  });
}
