import { Redis } from "ioredis";
import { recreateDatabase } from "../test/database";

/** Empties the end-to-end database and Redis database, then migrates: every run starts clean. */
await recreateDatabase(process.env.DATABASE_URL!);
const redis = new Redis(process.env.REDIS_URL!);
await redis.flushdb();
redis.disconnect();
