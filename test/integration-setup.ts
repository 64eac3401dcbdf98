import { rm } from "node:fs/promises";
import { recreateDatabase } from "./database";
import { TEST_ENV } from "./env";

/** Starts every integration run from an empty, freshly migrated database and an empty artifact store. */
export default async function setup() {
  Object.assign(process.env, TEST_ENV);
  await recreateDatabase(TEST_ENV.DATABASE_URL!);
  await rm(TEST_ENV.KBUILD_ARTIFACTS_DIR!, { recursive: true, force: true });
}
