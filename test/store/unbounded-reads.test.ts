import { execFileSync } from "node:child_process";
import { closeSync, openSync, ftruncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, runCliGuarded } from "./spawn.js";
import { tempDir } from "./support.js";

/*
 * Files that are not what a flag expects: a device that never ends, a FIFO nobody writes, a
 * store grown huge, /proc. Each used to hang, eat memory or end in exit 70; now each is exit 2
 * naming the file, without reading more than a real one holds. Real processes behind a hang
 * guard, since the old behaviour is a hang.
 */
beforeAll(() => assertBuilt());

// Never reached: every run must stop at the file.
const NOWHERE = ["--token-endpoint", "http://127.0.0.1:9/token", "--client-id", "some-client"];

function fifo(): string {
  const path = join(tempDir(), "pipe");
  execFileSync("mkfifo", [path]);
  return path;
}

describe("flags that read a file", () => {
  it.each([
    ["--client-secret-file /dev/zero", ["client-credentials", ...NOWHERE, "--client-secret-file", "/dev/zero"], `--client-secret-file: "/dev/zero" is a character device, not a regular file`],
    ["--client-secret-file FIFO", ["client-credentials", ...NOWHERE, "--client-secret-file", "@pipe"], `--client-secret-file: "@pipe" is a FIFO (named pipe), not a regular file`],
    ["--ca-file /dev/zero", ["client-credentials", ...NOWHERE, "--auth-method", "none", "--ca-file", "/dev/zero"], `--ca-file: "/dev/zero" is a character device, not a regular file`],
    ["--store FIFO", ["refresh", "--store", "@pipe", "-o", "token"], `the token store @pipe is a FIFO (named pipe), not a regular file`],
    ["--config FIFO", ["profile", "set", "x", "--issuer", "https://id.example", "--config", "@pipe"], `the config file @pipe is a FIFO (named pipe), not a regular file`],
    ["--store /proc/self/mem", ["refresh", "--store", "/proc/self/mem", "-o", "token"], `the token store /proc/self/mem cannot be read (EIO)`],
  ])("%s → exit 2 naming the file", async (_name, args, message) => {
    const pipe = fifo();
    const argv = args.map((a) => (a === "@pipe" ? pipe : a));
    const run = await runCliGuarded(argv, { env: { OAUTH_CLIENT_SECRET: "s" } });
    expect(run.killed).toBe(false);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(message.replace("@pipe", pipe));
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it("a 500 MB store is refused by its size, unread", async () => {
    const store = join(tempDir(), "huge.json");
    const fd = openSync(store, "w", 0o600);
    ftruncateSync(fd, 500 * 1024 * 1024); // sparse: costs no disk
    closeSync(fd);
    const run = await runCliGuarded(["refresh", "--store", store, "-o", "token"]);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the token store ${store} is larger than 1 MiB`);
  });

  it("a secret file of sane size still works, through a symlink too (Kubernetes mounts secrets as links)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "real"), "the-secret\n", { mode: 0o600 });
    execFileSync("ln", ["-s", join(dir, "real"), join(dir, "link")]);
    // The secret is read; the run then fails on the network (nothing listens on port 9): exit 3, not 2.
    const run = await runCliGuarded(["client-credentials", ...NOWHERE, "--client-secret-file", join(dir, "link"), "--timeout", "5"]);
    expect(run.code, run.stderr).toBe(3);
  });
});
