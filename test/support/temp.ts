import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The prefix of every temp folder a test makes (the run's own folder too: see global-setup.ts). */
export const TEMP_PREFIX = "oauth-cli-test-";

const made: string[] = [];

/**
 * A fresh folder under the temp dir, removed when the tests of the calling file end (setup.ts
 * registers that for every file), so no test has to remember to clean up.
 */
export function makeTempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${label}-`));
  made.push(dir);
  return dir;
}

/** Removes every folder makeTempDir made in this file's run. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

let home: string | undefined;

/**
 * A home folder for in-process runs and spawned processes of one test file, so the CLI's
 * config and state (used-grants.json) never land in the user's home or in a shared temp dir.
 */
export function testHome(): string {
  if (home === undefined || !made.includes(home)) home = makeTempDir("home");
  return home;
}
