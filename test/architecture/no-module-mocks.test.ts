import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// vitest.config.ts runs files with isolate: false: a worker keeps the modules earlier files loaded,
// so a module mock in one file would not reach a module already loaded, or would leak into the next
// file. Tests observe behaviour instead (see test/output/sink-learns-late.test.ts).
const TEST_ROOT = join(import.meta.dirname, "..");
const MOCK = ["vi", ".mock("].join("");
const DO_MOCK = ["vi", ".doMock("].join("");

describe("no test file mocks a module", () => {
  it("no vi.mock or vi.doMock under test/", () => {
    const offenders = readdirSync(TEST_ROOT, { recursive: true, encoding: "utf8" })
      .filter((file) => /\.ts$/.test(file))
      .filter((file) => {
        const text = readFileSync(join(TEST_ROOT, file), "utf8");
        return text.includes(MOCK) || text.includes(DO_MOCK);
      });
    expect(offenders).toEqual([]);
  });
});
