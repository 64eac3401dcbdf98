import os from "node:os";
import path from "node:path";
import { TEST_ENV } from "../test/env";

/** The end-to-end suite's own database, Redis database, prefix and port, next to the integration suites'. */
export const E2E_PORT = Number(process.env.KBUILD_E2E_PORT ?? 3107);
export const E2E_RUN_DIR = process.env.KBUILD_E2E_RUN_DIR ?? path.join(os.tmpdir(), "kbuild-e2e");

export const E2E_ENV: Record<string, string> = {
  ...TEST_ENV,
  DATABASE_URL: process.env.KBUILD_E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kbuild_e2e",
  REDIS_URL: process.env.KBUILD_E2E_REDIS_URL ?? "redis://127.0.0.1:6379/8",
  KBUILD_PREFIX: process.env.KBUILD_E2E_PREFIX ?? "kbuild-e2e",
  KBUILD_WORK_DIR: path.join(E2E_RUN_DIR, "work"),
  KBUILD_ARTIFACTS_DIR: path.join(E2E_RUN_DIR, "artifacts"),
  KBUILD_WORKER_ID: "e2e-worker",
  // The suite's kernel build runs in a container, as users' builds do where an engine answers.
  KBUILD_RUNTIME: "docker",
  // The kernel build runs beside the short configure-only builds of the other specs; with a
  // third slot it seldom waits behind them (the history spec alone submits three at once).
  KBUILD_WORKER_CONCURRENCY: "3",
};

/**
 * The suite's first user: the setup project signs them up on the freshly reset
 * database (so they inherit the default team as its owner) and saves their
 * session here; every other project starts signed in with it.
 */
export const E2E_FIRST_USER = { name: "First Owner", email: "owner@e2e.kbuild.local", password: "owner-password-1" };
export const E2E_STORAGE_STATE = path.join(E2E_RUN_DIR, "first-user.storage.json");
