import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error build.mjs is plain JavaScript, without types.
import { isUpToDate, recordHash } from "../../build.mjs";

const up = isUpToDate as (root: string) => boolean;
const record = recordHash as (root: string) => void;

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A stand-in project: the inputs build.mjs hashes and a bundle, in a temp folder. */
function project(): string {
  dir = mkdtempSync(join(tmpdir(), "oauth-cli-build-hash-"));
  mkdirSync(join(dir, "src", "commands"), { recursive: true });
  mkdirSync(join(dir, "dist", "bundle"), { recursive: true });
  writeFileSync(join(dir, "src", "main.ts"), "export const a = 1;\n");
  writeFileSync(join(dir, "src", "commands", "x.ts"), "export const x = 1;\n");
  writeFileSync(join(dir, "package-lock.json"), "{}\n");
  writeFileSync(join(dir, "package.json"), "{}\n");
  writeFileSync(join(dir, "build.mjs"), "// build\n");
  writeFileSync(join(dir, "dist", "bundle", "oauth-cli.cjs"), "bundle\n");
  return dir;
}

describe("build only when the sources changed (npm run demo, prepare)", () => {
  it("a recorded build is up to date until a source, the lock file or build.mjs changes", () => {
    const root = project();
    expect(up(root)).toBe(false); // never built
    record(root);
    expect(up(root)).toBe(true);
    for (const [file, text] of [["src/commands/x.ts", "export const x = 2;\n"], ["package-lock.json", '{"v":2}\n'], ["build.mjs", "// build 2\n"]] as const) {
      writeFileSync(join(root, file), text);
      expect(up(root), file).toBe(false);
      record(root);
      expect(up(root)).toBe(true);
    }
    writeFileSync(join(root, "src", "new.ts"), "export {};\n");
    expect(up(root), "a new source file").toBe(false);
    record(root);
    rmSync(join(root, "dist", "bundle", "oauth-cli.cjs"));
    expect(up(root), "the bundle was deleted").toBe(false);
  });

  it("after a build, a second `npm run build:if-changed` skips the build and leaves the bundle as it was", () => {
    // npm test builds first (package.json "test"), so this checkout's dist/ records the current hash.
    const bundle = join("dist", "bundle", "oauth-cli.cjs");
    const before = statSync(bundle).mtimeMs;
    const check = spawnSync(process.execPath, ["build.mjs", "--check"], { encoding: "utf8" });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stderr).toContain("build: up to date");
    const run = execFileSync("npm", ["run", "--silent", "build:if-changed"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(run).not.toContain("tsc");
    expect(statSync(bundle).mtimeMs).toBe(before);
  });
});
