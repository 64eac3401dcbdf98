import { defineConfig } from "vitest/config";
import { TEST_ENV } from "./test/env";

// Two suites: `unit` needs nothing running; `integration` talks to the real
// PostgreSQL, Redis, kernel tree and worker processes (see README "Tests").
export default defineConfig({
  // The app's "@/..." imports (tsconfig paths), for tests that load route handlers and pages' modules.
  resolve: { alias: [{ find: /^@\//, replacement: `${import.meta.dirname}/` }] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "worker/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts", "cli/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          globalSetup: ["test/integration-setup.ts"],
          env: TEST_ENV,
        },
      },
    ],
  },
});
