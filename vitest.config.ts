import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Slow tests (an npm install of the packed tarball) run on their own: VITEST_STRESS=1 (.ci/run).
    exclude: [...configDefaults.exclude, ...(process.env.VITEST_STRESS ? [] : ["**/*.stress.test.ts"])],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real servers and a real browser: keep parallelism modest on a 2-core machine.
    maxWorkers: 2,
  },
});
