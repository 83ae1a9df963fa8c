// Test projects: fast unit tests of pure logic, integration tests against real containers, and the regression zoo's fixed releases (not in npm test).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "./test/support/retried-tests-reporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/integration/global-setup.ts"],
          // Keep this process's reaper to itself, so a harness child killed by a test is reaped at once
          // rather than when the test process ends.
          env: { TESTCONTAINERS_RYUK_TEST_LABEL: "true" },
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Containers share one Docker engine on two cores: run integration files one at a time.
          fileParallelism: false,
          // A real cluster on two shared cores occasionally misses a timing a test relies on; one retry
          // keeps that from failing CI, and the reporter above names every test that needed it.
          retry: 1,
        },
      },
      {
        test: {
          // The nightly-style job (npm run test:regressions): every regression scenario on its fixed release.
          name: "regressions",
          include: ["test/regressions/**/*.test.ts"],
          globalSetup: ["test/integration/global-setup.ts"],
          env: { TESTCONTAINERS_RYUK_TEST_LABEL: "true" },
          testTimeout: 900_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
