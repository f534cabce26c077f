import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/main.js";
import { createTestContext } from "../support/cli.js";

/**
 * Every line a run prints passes the one sink (src/output/sink.ts), set up in main(): so known
 * secrets are redacted and control characters shown whatever code path prints. That holds only
 * while nothing in src writes to the process's streams itself.
 */
const SRC = fileURLToPath(new URL("../../src", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Where writing to the real streams is the point: the context itself, built once per process. */
const ALLOWED = new Set(["system-context.ts"]);

describe("one output path", () => {
  it("no module writes to process.stdout/stderr or the console directly: everything goes through ctx", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const name = relative(SRC, file);
      if (ALLOWED.has(name)) continue;
      const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      for (const match of code.matchAll(/process\.std(?:out|err)\.write|console\.(?:log|error|info|debug)\(/g)) offenders.push(`${name}: ${match[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it("commander's own error lines pass the sink too: an escape in an unknown option is shown, not obeyed", async () => {
    const ctx = createTestContext();
    const code = await main(["client-credentials", "--bogus\u001b]0;pwned\u0007"], ctx);
    expect(code).toBe(2);
    expect(ctx.err()).toContain("--bogus\\u001b]0;pwned\\u0007");
    expect(ctx.err()).not.toContain("\u001b");
  });
});
