import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The long SIGKILL and concurrency runs: `npm run test:stress` (vitest.stress.config.ts).
    exclude: ["test/**/*.stress.test.ts", "**/node_modules/**"],
    // Each file's temp folders are removed when it ends; the run fails naming anything left over.
    setupFiles: ["test/support/setup.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real servers and a real browser: keep parallelism modest on a 2-core machine.
    maxWorkers: 2,
  },
});
