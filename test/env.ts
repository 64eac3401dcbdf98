import os from "node:os";
import path from "node:path";

/**
 * The environment of the integration suites: their own database, Redis logical
 * database and key prefix (so a developer's running kbuild is never touched),
 * the source cache shared with the product (outside the clone, so a tree is
 * unpacked once per machine), and the test-only toolchain profiles.
 */
const runDir = path.join(os.tmpdir(), `kbuild-test-${process.env.KBUILD_TEST_RUN ?? "run"}`);

export const TEST_ENV: Record<string, string> = {
  DATABASE_URL: process.env.KBUILD_TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kbuild_test",
  REDIS_URL: process.env.KBUILD_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/7",
  // Overridable so that parallel runs on one machine (say the container suite against
  // Docker and against podman at once) never touch each other's queues or containers.
  KBUILD_PREFIX: process.env.KBUILD_TEST_PREFIX ?? "kbuild-test",
  KBUILD_WORK_DIR: path.join(runDir, "work"),
  KBUILD_ARTIFACTS_DIR: path.join(runDir, "artifacts"),
  KBUILD_PROFILE_DIRS: path.join(import.meta.dirname, "profiles"),
  // Every test build compiles what it asks for; the build-directory cache has its own test.
  KBUILD_BUILD_DIR_CACHE_ENTRIES: "0",
};
