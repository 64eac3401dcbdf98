import { recreateDatabase } from "./database";
import { TEST_ENV } from "./env";

/** Starts every integration run from an empty, freshly migrated database. */
export default async function setup() {
  Object.assign(process.env, TEST_ENV);
  await recreateDatabase(TEST_ENV.DATABASE_URL!);
}
