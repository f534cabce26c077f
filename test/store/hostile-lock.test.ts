import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { startTestProvider, type Sandbox } from "../support/provider.js";
import { assertBuilt, type Running, runCliGuarded, startCli } from "./spawn.js";
import { AS_ROOT, NOBODY, seedStore, sharedDir, tempDir, tempFilesIn } from "./support.js";

/*
 * Locks and files beside the store that someone else put there. Each of these used to hang
 * (a busy wait deaf to --lock-timeout and signals, or an open() blocked on a FIFO) or end in
 * exit 70. Runs that hang are real processes killed by a guard, so a regression fails instead of
 * stalling the suite. "Another user" is nobody (uid 65534): the tests run as root and chown.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  assertBuilt();
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

const asNobody = { uid: NOBODY, gid: NOBODY };
const lockBody = (createdAt: Date, pid = process.pid) => JSON.stringify({ pid, hostname: hostname(), created_at: createdAt.toISOString(), nonce: "planted" });

/** A store the user `nobody` owns, in a folder of the given kind. */
async function storeOfNobody(dir: string): Promise<string> {
  const store = join(dir, "tokens.json");
  await seedStore(sandbox, store);
  chownSync(store, NOBODY, NOBODY);
  return store;
}

/**
 * Resolves once `store` has been read by the run (its atime moved), then gives the run a moment
 * to go from that read into the lock's wait (a few ms of work, generous for a loaded machine).
 */
async function reachedWait(store: string, running: Running): Promise<void> {
  let exited = false;
  void running.done.then(() => (exited = true));
  while (statSync(store).atimeMs === 0) {
    if (exited) throw new Error(`the run ended before it read the store: ${(await running.done).stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}

function nobodysDir(): string {
  const dir = tempDir();
  chownSync(dir, NOBODY, NOBODY);
  return dir;
}

describe("a lock that is not a lock file", () => {
  it("a dangling symlink: exit 2 at once, named, never followed", async () => {
    const store = join(tempDir(), "tokens.json");
    await seedStore(sandbox, store);
    symlinkSync(join(tempDir(), "nowhere"), `${store}.lock`);
    const run = await runCliGuarded(["refresh", "--store", store, "--force", "-o", "token", "--lock-timeout", "2"]);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the lock file ${store}.lock is a symbolic link, not a lock oauth-cli made`);
    expect(run.stderr).toContain(`rm ${store}.lock`);
    expect(lstatSync(`${store}.lock`).isSymbolicLink()).toBe(true);
  });

  it("a FIFO: exit 2, never opened (an open would block until a writer came)", async () => {
    const store = join(tempDir(), "tokens.json");
    await seedStore(sandbox, store);
    execFileSync("mkfifo", [`${store}.lock`]);
    const run = await runCliGuarded(["refresh", "--store", store, "--force", "-o", "token", "--lock-timeout", "2"]);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the lock file ${store}.lock is a FIFO (named pipe), not a lock oauth-cli made`);
  });

  it("a directory: exit 2 with the command that clears it (was exit 70)", async () => {
    const store = join(tempDir(), "tokens.json");
    await seedStore(sandbox, store);
    mkdirSync(`${store}.lock`);
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token", "--lock-timeout", "2"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`the lock file ${store}.lock is a directory, not a lock oauth-cli made`);
    expect(run.stderr).toContain(`rmdir ${store}.lock`);
    expect(run.stderr).not.toMatch(/internal error/);
  });
});

describe("the wait honours its deadline and signals", () => {
  it.runIf(AS_ROOT)("a lock of one's own that one cannot read (mode 000): judged by its age, exit 3 at --lock-timeout", async () => {
    const dir = nobodysDir();
    const store = await storeOfNobody(dir);
    writeFileSync(`${store}.lock`, lockBody(new Date()));
    chownSync(`${store}.lock`, NOBODY, NOBODY);
    chmodSync(`${store}.lock`, 0o000);
    const run = await runCliGuarded(["refresh", "--store", store, "--force", "-o", "token", "--lock-timeout", "0.5"], asNobody);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`timed out after 0.5 s waiting for the lock on the token store ${store}`);
    expect(run.stderr).toContain(`rm ${store}.lock`);
  });

  it.runIf(AS_ROOT)("SIGTERM during that wait ends the run with exit 130", async () => {
    const dir = nobodysDir();
    const store = await storeOfNobody(dir);
    writeFileSync(`${store}.lock`, lockBody(new Date()));
    chownSync(`${store}.lock`, NOBODY, NOBODY);
    chmodSync(`${store}.lock`, 0o000);
    // The run reads the store just before it takes the lock: an access time older than the file's
    // mtime is updated by that first read (relatime), which tells us the run is at the wait without
    // guessing its start-up time. A signal that came before start-up would kill the process
    // instead of testing the wait.
    utimesSync(store, new Date(0), statSync(store).mtime);
    const running = startCli(["refresh", "--store", store, "--force", "-o", "token", "--lock-timeout", "60"], asNobody);
    await reachedWait(store, running);
    running.child.kill("SIGTERM");
    const guard = setTimeout(() => running.child.kill("SIGKILL"), 20_000);
    const done = await running.done;
    clearTimeout(guard);
    expect(done.signal).toBe(null);
    expect(done.code).toBe(130);
    expect(done.stderr).toContain("interrupted");
  });

  it("a lock dated in the future counts as stale beyond the age bound (it held the store for ever)", async () => {
    const store = join(tempDir(), "tokens.json");
    await seedStore(sandbox, store);
    writeFileSync(`${store}.lock`, lockBody(new Date(Date.now() + 365 * 24 * 3600_000)), { mode: 0o600 });
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token", "--lock-timeout", "2"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/recovered a stale lock on .* \(it is dated \d+ s in the future, over the 120 s limit\)/);
    expect(existsSync(`${store}.lock`)).toBe(false);
  });
});

describe("files another user left beside the store", () => {
  it.runIf(AS_ROOT)("another user's lock (a sudo run's, say) in a shared folder: exit 2, named, with the command to clear it (was exit 70 once stale)", async () => {
    const dir = sharedDir();
    const store = await storeOfNobody(dir);
    writeFileSync(`${store}.lock`, lockBody(new Date(Date.now() - 3600_000)), { mode: 0o600 }); // root's, stale, unreadable to nobody
    const run = await runCliGuarded(["refresh", "--store", store, "--force", "-o", "token", "--lock-timeout", "2"], asNobody);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the lock file ${store}.lock is owned by another user (uid 0; you are uid ${NOBODY})`);
    expect(run.stderr).toContain(`sudo rm -f ${store}.lock`);
    expect(existsSync(`${store}.lock`)).toBe(true);
  });

  it.runIf(AS_ROOT)("another user's lock in one's own folder: exit 2 all the same (never trusted), and the hint needs no sudo", async () => {
    const store = join(tempDir(), "tokens.json");
    await seedStore(sandbox, store);
    writeFileSync(`${store}.lock`, lockBody(new Date(Date.now() - 3600_000)), { mode: 0o600 });
    chownSync(`${store}.lock`, NOBODY, NOBODY);
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token", "--lock-timeout", "2"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`the lock file ${store}.lock is owned by another user (uid ${NOBODY}`);
    expect(run.stderr).toContain(`remove it: rm -f ${store}.lock`);
  });

  it.runIf(AS_ROOT)("a stale lock of one's own that the folder does not let one remove: exit 3 naming it and the command", async () => {
    const dir = tempDir(); // root's, 0700 → 0755: nobody may read it, not write it
    chmodSync(dir, 0o755);
    const store = await storeOfNobody(dir);
    writeFileSync(`${store}.lock`, lockBody(new Date(Date.now() - 3600_000)), { mode: 0o600 });
    chownSync(`${store}.lock`, NOBODY, NOBODY);
    const run = await runCliGuarded(["refresh", "--store", store, "--force", "-o", "token", "--lock-timeout", "2"], asNobody);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`cannot remove the stale lock ${store}.lock (EACCES)`);
    expect(run.stderr).toContain(`rm -f ${store}.lock`);
  });

  it.runIf(AS_ROOT)("another user's empty STORE.bak in a shared folder: reported, the refresh is saved, no temp file is left", async () => {
    const dir = sharedDir();
    const store = await storeOfNobody(dir);
    writeFileSync(`${store}.bak`, "", { mode: 0o644 }); // root's
    const before = JSON.parse(readFileSync(store, "utf8")) as { refresh_token: string };
    const run = await runCliGuarded(["refresh", "--store", store, "--force", "-o", "token"], asNobody);
    expect(run.killed).toBe(false);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`warning: the token store ${store} was saved, but without a backup: ${store}.bak is owned by another user (uid 0`);
    const after = JSON.parse(readFileSync(store, "utf8")) as { access_token: string; refresh_token: string };
    expect(after.access_token).toBe(run.stdout.trim());
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(readFileSync(`${store}.bak`, "utf8")).toBe("");
    // The temp link that held the old refresh token is gone too.
    expect(tempFilesIn(dir)).toEqual([]);
  });
});
