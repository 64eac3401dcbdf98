import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { type PrismaClient, createDb } from "../lib/db/client";

/**
 * A kernel source record of a test file's own, so that the builds it writes
 * straight into the database never meet another file's: made before the
 * file's tests, removed with its builds after them.
 */
export function useScratchSource(prefix: string): { db: () => PrismaClient; sourceId: string } {
  const sourceId = `${prefix}-${randomUUID().slice(0, 8)}`;
  let db: PrismaClient | undefined;
  beforeAll(async () => {
    db = createDb(process.env.DATABASE_URL!);
    await db.kernelSource.create({ data: { id: sourceId, name: sourceId, kind: "directory", location: "/nonexistent", status: "ready" } });
  });
  afterAll(async () => {
    if (!db) return;
    await db.build.deleteMany({ where: { sourceId } });
    await db.kernelSource.delete({ where: { id: sourceId } });
    await db.$disconnect();
  });
  return { db: () => db!, sourceId };
}
