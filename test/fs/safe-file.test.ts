import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBoundedRegularFile, UnsafeFileError, writeFileAtomically } from "../../src/fs/safe-file.js";
import { makeTempDir } from "../support/temp.js";

const dir = () => makeTempDir("safe-file");
const NOBODY = 65534;
/** chown to another user needs root (these suites run as root; elsewhere those tests are skipped). */
const AS_ROOT = process.geteuid?.() === 0;

function problemOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof UnsafeFileError) return error.problem;
    throw error;
  }
}

describe("readBoundedRegularFile", () => {
  it("reads a regular file within the bound", () => {
    const path = join(dir(), "f");
    writeFileSync(path, "hello");
    expect(readBoundedRegularFile(path, 5).text).toBe("hello");
  });

  it("refuses, without blocking or reading on: a FIFO, a device, a directory, a file over the bound, /proc's unbounded files", () => {
    const d = dir();
    execFileSync("mkfifo", [join(d, "fifo")]);
    expect(problemOf(() => readBoundedRegularFile(join(d, "fifo"), 100))).toBe("not-regular");
    expect(problemOf(() => readBoundedRegularFile("/dev/zero", 100, { followSymlinks: true }))).toBe("not-regular");
    expect(problemOf(() => readBoundedRegularFile(d, 100))).toBe("not-regular");
    writeFileSync(join(d, "big"), "x".repeat(101));
    expect(problemOf(() => readBoundedRegularFile(join(d, "big"), 100))).toBe("too-large");
    // Says size 0, yet never ends: the read stops at the bound.
    expect(problemOf(() => readBoundedRegularFile("/proc/self/maps", 10))).toBe("too-large");
    expect(problemOf(() => readBoundedRegularFile(join(d, "none"), 100))).toBe("missing");
  });

  it("a symlink is refused unless following was asked for", () => {
    const d = dir();
    writeFileSync(join(d, "real"), "x");
    symlinkSync(join(d, "real"), join(d, "link"));
    expect(problemOf(() => readBoundedRegularFile(join(d, "link"), 10))).toBe("symlink");
    expect(readBoundedRegularFile(join(d, "link"), 10, { followSymlinks: true }).text).toBe("x");
  });

  it.runIf(AS_ROOT)("requireOwner: another user's file, or one group/others can write, is refused", () => {
    const d = dir();
    const path = join(d, "f");
    writeFileSync(path, "x", { mode: 0o600 });
    expect(readBoundedRegularFile(path, 10, { requireOwner: true }).text).toBe("x");
    chmodSync(path, 0o620);
    expect(problemOf(() => readBoundedRegularFile(path, 10, { requireOwner: true }))).toBe("loose-mode");
    chmodSync(path, 0o600);
    chownSync(path, NOBODY, NOBODY);
    expect(problemOf(() => readBoundedRegularFile(path, 10, { requireOwner: true }))).toBe("foreign-owner");
    expect(readBoundedRegularFile(path, 10).text).toBe("x"); // only on request
  });
});

describe("writeFileAtomically", () => {
  it("writes 0600 by default, replaces atomically, leaves no temp file", () => {
    const d = dir();
    const path = join(d, "f.json");
    writeFileAtomically(path, "one");
    writeFileAtomically(path, "two");
    expect(readFileSync(path, "utf8")).toBe("two");
    expect(readdirSync(d)).toEqual(["f.json"]);
  });

  it("removes its temp file when the final step fails (the temp holds the new secret)", () => {
    const d = dir();
    const target = join(d, "target");
    mkdirSync(target);
    writeFileSync(join(target, "inside"), "x"); // renaming a file over a non-empty folder fails
    expect(() => writeFileAtomically(target, "secret")).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(d)).toEqual(["target"]);

    writeFileSync(join(d, "taken"), "first");
    expect(() => writeFileAtomically(join(d, "taken"), "second", { exclusive: true })).toThrow(/EEXIST/);
    expect(readFileSync(join(d, "taken"), "utf8")).toBe("first");
    expect(readdirSync(d).sort()).toEqual(["taken", "target"]);
  });

  it("exclusive refuses a dangling symlink at the target instead of writing through it", () => {
    const d = dir();
    symlinkSync(join(d, "elsewhere"), join(d, "f"));
    expect(() => writeFileAtomically(join(d, "f"), "x", { exclusive: true })).toThrow(/EEXIST/);
    expect(existsSync(join(d, "elsewhere"))).toBe(false);
  });

  it.runIf(AS_ROOT)("backup: kept as a hard link; something odd at the backup's name is reported and left alone", () => {
    const d = dir();
    const path = join(d, "store.json");
    writeFileAtomically(path, "v1");
    expect(writeFileAtomically(path, "v2", { backup: `${path}.bak` })).toEqual({});
    expect(readFileSync(`${path}.bak`, "utf8")).toBe("v1");

    chownSync(`${path}.bak`, NOBODY, NOBODY);
    const result = writeFileAtomically(path, "v3", { backup: `${path}.bak` });
    expect(result.backupSkipped).toMatch(/store\.json\.bak is owned by another user \(uid 65534/);
    expect(readFileSync(path, "utf8")).toBe("v3");
    expect(readFileSync(`${path}.bak`, "utf8")).toBe("v1");
    expect(readdirSync(d).sort()).toEqual(["store.json", "store.json.bak"]);
  });

  it("a folder at the backup's name is reported and left alone; the write goes ahead", () => {
    const d = dir();
    const path = join(d, "store.json");
    writeFileAtomically(path, "old-secret");
    mkdirSync(`${path}.bak`);
    writeFileSync(join(`${path}.bak`, "x"), "");
    const result = writeFileAtomically(path, "new", { backup: `${path}.bak` });
    expect(result.backupSkipped).toMatch(/store\.json\.bak is a directory/);
    expect(readFileSync(path, "utf8")).toBe("new");
    expect(readdirSync(d).sort()).toEqual(["store.json", "store.json.bak"]);
  });
});
