import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { config } from "../config";

export type Db = PrismaClient;

export function createDb(databaseUrl = config().databaseUrl): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

// One client per process; Next.js dev reloads modules, so keep it on globalThis.
const holder = globalThis as unknown as { kbuildDb?: PrismaClient };

export function db(): PrismaClient {
  holder.kbuildDb ??= createDb();
  return holder.kbuildDb;
}

export * from "./generated/client";
