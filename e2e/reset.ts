import { Redis } from "ioredis";
import { recreateDatabase } from "../test/database";

/**
 * Empties the end-to-end database and Redis database, then migrates: every run
 * starts clean. KBUILD_E2E_KEEP_DATA=1 keeps them, to rerun the specs that need
 * a built kernel against the last run's (`npx playwright test --project
 * built-kernel --no-deps`).
 */
if (process.env.KBUILD_E2E_KEEP_DATA !== "1") {
  await recreateDatabase(process.env.DATABASE_URL!);
  const redis = new Redis(process.env.REDIS_URL!);
  await redis.flushdb();
  redis.disconnect();
}
