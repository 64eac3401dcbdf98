import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { moveBootTest } from "../lib/boot/transition";
import type { PrismaClient } from "../lib/db/client";
import { type BootTestJob, enqueueBootTest } from "../lib/queue/boot";
import { requeueLost, workerAlive } from "./liveness";

/** Running boot tests whose worker's heartbeat is gone end in `error` (their container is removed with the worker's others). */
export async function reapOrphanedBootTests(db: PrismaClient, redis: Redis, prefix: string): Promise<string[]> {
  const running = await db.bootTest.findMany({ where: { status: "running" }, select: { id: true, workerId: true } });
  const reaped: string[] = [];
  for (const t of running) {
    if (await workerAlive(redis, prefix, t.workerId)) continue;
    const reason = `the worker running this boot test (${t.workerId ?? "unknown"}) stopped responding; the console up to that point is kept`;
    if (await moveBootTest(db, t.id, "error", { statusReason: reason, finishedAt: new Date() })) reaped.push(t.id);
  }
  return reaped;
}

/** Queued boot tests whose job Redis lost are put back, as builds are. */
export async function requeueLostBootTests(db: PrismaClient, queue: Queue<BootTestJob>): Promise<string[]> {
  const queued = await db.bootTest.findMany({ where: { status: "queued" }, select: { id: true }, orderBy: { createdAt: "asc" } });
  return requeueLost(queued.map((t) => t.id), queue, enqueueBootTest);
}
