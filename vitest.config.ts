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
    // A worker keeps the modules it loaded (src/, oidc-provider, Playwright) from one file to the
    // next instead of loading them again for each: about half the suite's CPU. Safe because no test
    // mocks a module and each file starts and stops its own servers; setup.ts still runs per file.
    isolate: false,
    // Real servers and a real browser: one worker per core on a 2-core machine. A third worker was
    // measured slower (more CPU for its own copy of every module, and no idle core to use).
    maxWorkers: 2,
    // Transformed modules kept on disk (node_modules/.experimental-vitest-cache, keyed by content)
    // for the next run, instead of transforming src/ and test/ again each time.
    experimental: { fsModuleCache: true },
  },
});
