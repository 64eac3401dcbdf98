import { Redis } from "ioredis";
import { config } from "./config";

/** A new connection. BullMQ workers and blocking reads need one of their own. */
export function createRedis(url = config().redisUrl): Redis {
  // BullMQ requires maxRetriesPerRequest: null on connections its workers use.
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

const holder = globalThis as unknown as { kbuildRedis?: Redis };

/** The process's shared connection for non-blocking commands. */
export function redis(): Redis {
  holder.kbuildRedis ??= createRedis();
  return holder.kbuildRedis;
}

/** Every Redis key kbuild owns, under the configured prefix. */
export const keys = {
  log: (prefix: string, buildId: string) => `${prefix}:log:${buildId}`,
  bootLog: (prefix: string, bootTestId: string) => `${prefix}:boot-log:${bootTestId}`,
  worker: (prefix: string, workerId: string) => `${prefix}:worker:${workerId}`,
  workers: (prefix: string) => `${prefix}:worker:*`,
  cancelChannel: (prefix: string) => `${prefix}:cancel`,
  /** Sources registered or removed through the API: every worker prepares or forgets them. */
  sourcesChannel: (prefix: string) => `${prefix}:sources`,
};
