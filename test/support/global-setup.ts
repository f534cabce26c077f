import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEMP_PREFIX } from "./temp.js";

/**
 * Left-over check (vitest globalSetup). The run gets a temp folder of its own and TMPDIR points
 * into it for the test workers and everything they start (the CLI, Chromium): whatever a test
 * leaves in the temp dir is found there at the end, named, and fails the run. Then the folder
 * goes, so a run leaves nothing behind, and runs side by side never see each other's files.
 */
export function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}run-`));
  // World-writable and sticky like the temp dir it stands in for: some tests run the CLI as another user.
  chmodSync(root, 0o1777);
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    // The CLI's V8 code cache is meant to stay between runs (bin/oauth-cli.js), and so is Node's own
    // compile cache (module.enableCompileCache, which bin/ turns on, writes $TMPDIR/node-compile-cache
    // on Node >= 22); here both go with the folder.
    const CACHES = /^(?:oauth-cli-code-cache|node-compile-cache$)/;
    const left = readdirSync(root).filter((name) => !CACHES.test(name));
    rmSync(root, { recursive: true, force: true });
    if (left.length > 0) {
      console.error(`error: the tests left ${left.length} entr${left.length === 1 ? "y" : "ies"} in the temp dir (now removed): ${left.join(", ")}`);
      process.exitCode = 1;
    }
  };
}
