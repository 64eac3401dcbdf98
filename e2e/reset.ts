import pg from "pg";
import { Redis } from "ioredis";
import { migrate } from "../lib/db/migrate";

/** Empties the end-to-end database and Redis database, then migrates: every run starts clean. */
const url = new URL(process.env.DATABASE_URL!);
const name = url.pathname.slice(1);
url.pathname = "/postgres";
const admin = new pg.Client({ connectionString: url.toString() });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
await admin.end();
await migrate(process.env.DATABASE_URL!);
const redis = new Redis(process.env.REDIS_URL!);
await redis.flushdb();
redis.disconnect();
