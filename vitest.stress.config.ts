import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/** `npm run test:stress`: the long runs (many SIGKILLs, many processes at once) that `npm test` keeps short. */
export default defineConfig({
  ...base,
  test: { ...base.test, include: ["test/**/*.stress.test.ts"], exclude: ["**/node_modules/**"] },
});
