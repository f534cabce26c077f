import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The long SIGKILL and concurrency runs: `npm run test:stress` (vitest.stress.config.ts).
    exclude: ["test/**/*.stress.test.ts", "**/node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real servers and a real browser: keep parallelism modest on a 2-core machine.
    maxWorkers: 2,
  },
});
