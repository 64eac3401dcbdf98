import os from "node:os";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { moveBuild } from "../lib/builds/transition";
import type { PrismaClient } from "../lib/db/client";
import { type BuildJob, enqueueBuild } from "../lib/queue";
import { keys } from "../lib/redis";

/** A heartbeat lives this long; a worker refreshes it three times as often. */
export const HEARTBEAT_TTL_SECONDS = 10;

/**
 * Announces this worker (the pages show who is online) and proves it is alive:
 * a build whose worker's heartbeat is gone is marked `error` by any worker.
 */
export function startHeartbeat(redis: Redis, prefix: string, workerId: string, activeBuilds: () => string[]): () => Promise<void> {
  const startedAt = new Date().toISOString();
  const key = keys.worker(prefix, workerId);
  const beat = () =>
    redis
      .set(key, JSON.stringify({ id: workerId, host: os.hostname(), pid: process.pid, startedAt, activeBuilds: activeBuilds() }), "EX", HEARTBEAT_TTL_SECONDS)
      .catch(() => {});
  void beat();
  const timer = setInterval(beat, (HEARTBEAT_TTL_SECONDS * 1000) / 3);
  return async () => {
    clearInterval(timer);
    await redis.del(key).catch(() => {});
  };
}

/** Whether the worker still has a heartbeat (a record without a worker never had one). */
export async function workerAlive(redis: Redis, prefix: string, workerId: string | null): Promise<boolean> {
  return workerId !== null && (await redis.exists(keys.worker(prefix, workerId))) > 0;
}

/** Running builds whose worker no longer has a heartbeat end in `error`, with the reason. */
export async function reapOrphanedBuilds(db: PrismaClient, redis: Redis, prefix: string): Promise<string[]> {
  const running = await db.build.findMany({ where: { status: "running" }, select: { id: true, workerId: true } });
  const reaped: string[] = [];
  for (const build of running) {
    if (await workerAlive(redis, prefix, build.workerId)) continue;
    const reason = `the worker running this build (${build.workerId ?? "unknown"}) stopped responding; the log up to that point is kept`;
    if (await moveBuild(db, build.id, "error", { statusReason: reason, finishedAt: new Date() })) {
      await db.buildStep.updateMany({
        where: { buildId: build.id, status: { in: ["running", "pending"] } },
        data: { status: "error", reason, finishedAt: new Date() },
      });
      reaped.push(build.id);
    }
  }
  return reaped;
}

/**
 * Redis keeps nothing on disk here: after a restart or flush the queue is empty
 * while PostgreSQL still has queued records. Put back every one whose job is
 * gone (or finished without running it), oldest first.
 */
export async function requeueLost<T>(queuedIds: string[], queue: Queue<T>, enqueue: (queue: Queue<T>, id: string) => Promise<unknown>): Promise<string[]> {
  const requeued: string[] = [];
  for (const id of queuedIds) {
    const job = await queue.getJob(id);
    if (job) {
      const state = await job.getState();
      if (state !== "completed" && state !== "failed") continue;
      await job.remove().catch(() => {});
    }
    await enqueue(queue, id);
    requeued.push(id);
  }
  return requeued;
}

export async function requeueLostBuilds(db: PrismaClient, queue: Queue<BuildJob>): Promise<string[]> {
  const queued = await db.build.findMany({ where: { status: "queued" }, select: { id: true }, orderBy: { createdAt: "asc" } });
  return requeueLost(queued.map((b) => b.id), queue, enqueueBuild);
}
