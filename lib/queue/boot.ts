import { Queue } from "bullmq";
import type { Redis } from "ioredis";

/** Boot tests to run. A job carries only the test's id: PostgreSQL holds the rest. */
export const BOOT_TEST_QUEUE = "boot-tests";

export interface BootTestJob {
  bootTestId: string;
}

export function bootTestQueue(connection: Redis, prefix: string): Queue<BootTestJob> {
  return new Queue<BootTestJob>(BOOT_TEST_QUEUE, { connection, prefix: `${prefix}:bull` });
}

/** The job id is the test's id, so adding it twice is harmless. Never retried automatically. */
export async function enqueueBootTest(queue: Queue<BootTestJob>, bootTestId: string): Promise<void> {
  await queue.add("boot-test", { bootTestId }, { jobId: bootTestId, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } });
}
