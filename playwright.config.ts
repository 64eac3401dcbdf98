import { defineConfig } from "@playwright/test";
import { E2E_ENV, E2E_PORT, E2E_STORAGE_STATE } from "./e2e/env";

/**
 * End-to-end tests drive Debian's Chromium (Playwright cannot download its own
 * browsers here) against the built app (`next build` first) and a real worker.
 */
export default defineConfig({
  testDir: "e2e",
  timeout: 10 * 60_000,
  expect: { timeout: 60_000 },
  // The kernel build starts first and runs while the other specs do.
  workers: 2,
  fullyParallel: true,
  // Every project but `setup` runs signed in as the install's first user, whom `setup` signs up.
  projects: [
    { name: "setup", testMatch: "auth.setup.ts" },
    { name: "kernel-build", testMatch: "kernel-build.spec.ts", dependencies: ["setup"], use: { storageState: E2E_STORAGE_STATE } },
    {
      name: "built-kernel",
      testMatch: ["module-kit.spec.ts", "module-build.spec.ts"],
      dependencies: ["kernel-build"],
      use: { storageState: E2E_STORAGE_STATE },
    },
    {
      name: "app",
      testIgnore: ["kernel-build.spec.ts", "module-kit.spec.ts", "module-build.spec.ts", "auth.setup.ts"],
      dependencies: ["setup"],
      use: { storageState: E2E_STORAGE_STATE },
    },
  ],
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.KBUILD_CHROMIUM ?? "/usr/bin/chromium",
      // Without the background-networking flags Chromium floods the closed network.
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: [
    {
      name: "worker",
      command: "node --import tsx e2e/reset.ts && exec node --import tsx worker/main.ts",
      env: E2E_ENV,
      wait: { stdout: /waiting for builds/ },
      stdout: "pipe",
      timeout: 10 * 60_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
      reuseExistingServer: false,
    },
    {
      name: "web",
      command: `npx next start -p ${E2E_PORT}`,
      env: E2E_ENV,
      url: `http://127.0.0.1:${E2E_PORT}/api/v1/profiles`,
      timeout: 120_000,
      reuseExistingServer: false,
    },
  ],
});
