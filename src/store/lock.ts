import { randomBytes } from "node:crypto";
import { closeSync, constants, fstatSync, linkSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { CliError, ExitCode, InterruptedError, UsageError } from "../errors/cli-error.js";
import { isTempFileOf, O_NOFOLLOW } from "./atomic-write.js";

/** A lock older than this is taken to be abandoned, whoever holds it (a refresh takes seconds). */
export const STALE_LOCK_MS = 120_000;
/** A stale-lock breaker that died mid-break must not wedge everybody either. */
const STALE_BREAKER_MS = 10_000;

/** What a lock file holds: enough to tell whether its holder is still alive. */
export interface LockHolder {
  readonly pid?: number;
  readonly hostname?: string;
  /** ms since epoch. */
  readonly createdAt: number;
  readonly nonce?: string;
}

export interface LockOptions {
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly signal?: AbortSignal;
  /** Told when a stale lock was recovered (goes to stderr). */
  readonly onStale: (message: string) => void;
  readonly staleMs?: number;
}

export interface StoreLock {
  readonly path: string;
  release(): void;
}

export function lockPathFor(storePath: string): string {
  return `${storePath}.lock`;
}

/**
 * Takes `<store>.lock` (O_EXCL, beside the store, never in /tmp where other users could block it:
 * kubelogin #627). Waits up to `timeoutMs`; a lock whose holder died on this host, or older than
 * `staleMs`, is removed with a message. Held across read → refresh → write (databricks/cli #6051).
 */
export async function acquireStoreLock(storePath: string, options: LockOptions): Promise<StoreLock> {
  const path = lockPathFor(storePath);
  const staleMs = options.staleMs ?? STALE_LOCK_MS;
  const nonce = randomBytes(8).toString("hex");
  const deadline = options.now() + options.timeoutMs;
  let delay = 5;
  for (;;) {
    if (options.signal?.aborted) throw new InterruptedError();
    const body = JSON.stringify({ pid: process.pid, hostname: hostname(), created_at: new Date(options.now()).toISOString(), nonce });
    if (tryCreate(path, body)) return { path, release: () => releaseLock(path, nonce) };
    const seen = readHolder(path);
    if (seen === undefined) continue; // released between our two calls: try again at once
    const stale = describeStale(seen.holder, options.now(), staleMs);
    if (stale !== undefined) {
      if (breakLock(path, seen.raw, seen.ino)) {
        options.onStale(`recovered a stale lock on ${storePath} (${stale}); removed ${path}`);
        sweepOrphanTemps(storePath);
      }
      continue;
    }
    const left = deadline - options.now();
    if (left <= 0) throw lockTimeout(storePath, path, seen.holder, options.timeoutMs);
    await sleep(Math.min(left, delay + Math.random() * delay), options.signal);
    delay = Math.min(delay * 2, 200);
  }
}

/**
 * Creates the lock with its content in one step: written to a temp file, then hard-linked into
 * place (link fails if the lock exists). A holder killed between create and write would otherwise
 * leave an empty lock that nobody could judge for 2 minutes.
 */
function tryCreate(path: string, body: string): boolean {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeExclusive(temp, body);
    try {
      linkSync(temp, path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") return false;
      // File systems without hard links: O_EXCL on the lock itself (content follows at once).
      if (code === "EPERM" || code === "ENOTSUP" || code === "EMLINK") return writeExclusive(path, body);
      throw error;
    }
  } catch (error) {
    throw new UsageError(`cannot create the lock file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      hint: "The store's folder must be writable by you: the lock lives beside the store.",
    });
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Never created.
    }
  }
}

/** false when the file exists already. */
function writeExclusive(path: string, body: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, body);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(path: string): { holder: LockHolder; raw: string; ino: number } | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    const raw = readFileSync(fd, "utf8");
    return { holder: parseHolder(raw, stat.mtimeMs), raw, ino: stat.ino };
  } finally {
    closeSync(fd);
  }
}

/** A lock file caught between its creation and its write is empty: judge it by its mtime. */
export function parseHolder(raw: string, mtimeMs: number): LockHolder {
  try {
    const data = JSON.parse(raw) as Record<string, unknown>;
    const created = typeof data.created_at === "string" ? Date.parse(data.created_at) : Number.NaN;
    return {
      pid: typeof data.pid === "number" ? data.pid : undefined,
      hostname: typeof data.hostname === "string" ? data.hostname : undefined,
      createdAt: Number.isNaN(created) ? mtimeMs : created,
      nonce: typeof data.nonce === "string" ? data.nonce : undefined,
    };
  } catch {
    return { createdAt: mtimeMs };
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Why the lock is abandoned, or undefined while its holder may still be working. */
export function describeStale(holder: LockHolder, now: number, staleMs: number): string | undefined {
  if (holder.pid !== undefined && holder.hostname === hostname() && holder.pid !== process.pid && !isAlive(holder.pid)) {
    return `its holder, process ${holder.pid} on this host, is gone`;
  }
  const age = now - holder.createdAt;
  if (age > staleMs) return `it is ${Math.round(age / 1000)} s old, over the ${Math.round(staleMs / 1000)} s limit`;
  return undefined;
}

/**
 * Removes a stale lock, but only the very one judged stale: two waiters judging at once must not
 * remove the fresh lock a third just took. A short-lived `.break` file serialises the breakers.
 */
function breakLock(path: string, raw: string, ino: number): boolean {
  const guard = `${path}.break`;
  if (!tryCreate(guard, String(process.pid))) {
    try {
      if (Date.now() - statSync(guard).mtimeMs > STALE_BREAKER_MS) unlinkSync(guard);
    } catch {
      // Gone already.
    }
    return false;
  }
  try {
    const again = readHolder(path);
    if (again === undefined || again.raw !== raw || again.ino !== ino) return false;
    unlinkSync(path);
    return true;
  } finally {
    unlinkSync(guard);
  }
}

/** Temp files of a writer killed mid-write. Only a lock holder writes, so under the lock they are orphans. */
function sweepOrphanTemps(storePath: string): void {
  const dir = dirname(storePath);
  try {
    const lockTemps = `.${basename(lockPathFor(storePath))}.`;
    for (const name of readdirSync(dir)) if (isTempFileOf(storePath, name) && !name.startsWith(lockTemps)) unlinkSync(join(dir, name));
  } catch {
    // Best effort: a leftover temp file is harmless.
  }
}

function releaseLock(path: string, nonce: string): void {
  const seen = readHolder(path);
  // Ours, unless it was judged stale and somebody else holds it now.
  if (seen?.holder.nonce !== nonce) return;
  try {
    unlinkSync(path);
  } catch {
    // Already gone: a release must never hide the command's own result or error.
  }
}

function lockTimeout(storePath: string, path: string, holder: LockHolder, timeoutMs: number): CliError {
  const who = holder.pid !== undefined ? `process ${holder.pid}${holder.hostname ? ` on ${holder.hostname}` : ""}` : "another process";
  return new CliError(ExitCode.network, `timed out after ${Math.round(timeoutMs / 1000)} s waiting for the lock on the token store ${storePath}`, {
    details: [`  held by ${who} since ${new Date(holder.createdAt).toISOString()} (lock file ${path})`],
    hint: `Another oauth-cli run is using this store. Wait longer with --lock-timeout SECONDS; if no run is active, delete ${basename(path)}.`,
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
