import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { TEST_ENV } from "./env";

/** Starts every integration run from an empty, freshly migrated database. */
export default async function setup() {
  Object.assign(process.env, TEST_ENV);
  const url = new URL(TEST_ENV.DATABASE_URL!);
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await admin.end();
  await migrate(TEST_ENV.DATABASE_URL!);
}
