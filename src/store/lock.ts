import { randomBytes } from "node:crypto";
import { accessSync, constants, lstatSync, readdirSync, type Stats, statSync, unlinkSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { CliError, ExitCode, InterruptedError, UsageError } from "../errors/cli-error.js";
import { createExclusive, describeFileType, describeForeignFile, isTempFileOf, readBoundedRegularFile, UnsafeFileError, writeFileAtomically } from "../fs/safe-file.js";

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
 * kubelogin #627). Waits up to `timeoutMs`; a lock whose holder died on this host, or dated more
 * than `staleMs` from now (either way), is removed with a message. Held across read → refresh →
 * write (databricks/cli #6051). Every turn of the wait sleeps or ends, so the deadline and the
 * abort signal are always honoured; a lock that is not a file we made (another user's, a
 * directory, a FIFO, a symlink) is refused at once, never opened.
 */
export async function acquireStoreLock(storePath: string, options: LockOptions): Promise<StoreLock> {
  const path = lockPathFor(storePath);
  const staleMs = options.staleMs ?? STALE_LOCK_MS;
  const nonce = randomBytes(8).toString("hex");
  const deadline = options.now() + options.timeoutMs;
  let delay = 5;
  let seen: SeenLock | undefined;
  for (;;) {
    if (options.signal?.aborted) throw new InterruptedError();
    seen = inspectLock(path);
    if (seen === undefined) {
      const body = JSON.stringify({ pid: process.pid, hostname: hostname(), created_at: new Date(options.now()).toISOString(), nonce });
      if (tryCreate(path, body)) return { path, release: () => releaseLock(path, nonce) };
    } else {
      const stale = describeStale(seen.holder, options.now(), staleMs);
      if (stale !== undefined && breakLock(path, seen)) {
        options.onStale(`recovered a stale lock on ${storePath} (${stale}); removed ${path}`);
        sweepOrphanTemps(storePath);
        continue;
      }
    }
    const left = deadline - options.now();
    if (left <= 0) throw lockTimeout(storePath, path, seen?.holder, options.timeoutMs);
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
  try {
    // Not durable: after a power cut a lost lock is what we want.
    writeFileAtomically(path, body, { exclusive: true, durable: false });
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    // File systems without hard links: O_EXCL on the lock itself (content follows at once).
    if (code === "EPERM" || code === "ENOTSUP" || code === "EMLINK") return createLockDirectly(path, body);
    throw cannotCreate(path, error);
  }
}

function createLockDirectly(path: string, body: string): boolean {
  try {
    createExclusive(path, body, 0o600, false);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw cannotCreate(path, error);
  }
}

function cannotCreate(path: string, error: unknown): UsageError {
  return new UsageError(`cannot create the lock file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
    hint: "The store's folder must be writable by you: the lock lives beside the store.",
    cause: error,
  });
}

interface SeenLock {
  readonly holder: LockHolder;
  readonly raw: string;
  readonly ino: number;
}

/** Lock files are a line of JSON; a bigger one is not ours. */
const MAX_LOCK_BYTES = 4096;

/**
 * The lock as it is now, or undefined when there is none. Its type and owner are checked with
 * lstat before anything opens it (opening a FIFO blocks; a symlink may point anywhere).
 * @throws UsageError (exit 2) for a lock that is not a file of ours: we can neither trust nor remove it
 */
function inspectLock(path: string): SeenLock | undefined {
  let stat: Stats;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError(`cannot inspect the lock file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (!stat.isFile()) {
    const remove = stat.isDirectory() ? `rmdir ${shellQuote(path)}` : `rm ${shellQuote(path)}`;
    throw new UsageError(`the lock file ${path} is ${describeFileType(stat)}, not a lock oauth-cli made`, {
      hint: `oauth-cli will not wait on it or remove it. If no oauth-cli run is using the store, remove it: ${remove}`,
    });
  }
  const foreign = describeForeignFile(stat);
  if (foreign) {
    throw new UsageError(`the lock file ${path} ${foreign.message}: oauth-cli neither trusts nor removes it`, {
      hint: `If no oauth-cli run is using the store, remove it: ${canRemove(path) ? "" : "sudo "}rm -f ${shellQuote(path)}`,
    });
  }
  try {
    const { text, stat: opened } = readBoundedRegularFile(path, MAX_LOCK_BYTES, { requireOwner: true });
    return { holder: parseHolder(text, opened.mtimeMs), raw: text, ino: opened.ino };
  } catch (error) {
    if (error instanceof UnsafeFileError && error.problem === "missing") return undefined;
    // Ours but unreadable (mode 000) or swapped meanwhile: judge it by its mtime alone.
    return { holder: { createdAt: stat.mtimeMs }, raw: "", ino: stat.ino };
  }
}

const STICKY = 0o1000;

/** Whether we may unlink `path`: a folder we can write, and no sticky bit guarding another user's file. */
function canRemove(path: string): boolean {
  try {
    accessSync(dirname(path), constants.W_OK | constants.X_OK);
    const dir = statSync(dirname(path));
    return (dir.mode & STICKY) === 0 || dir.uid === process.geteuid?.() || lstatSync(path).uid === process.geteuid?.();
  } catch {
    return false;
  }
}

/** For a command the user can paste. */
function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
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
  // No clock is that far off: a date from the future would otherwise hold the lock for ever.
  if (-age > staleMs) return `it is dated ${Math.round(-age / 1000)} s in the future, over the ${Math.round(staleMs / 1000)} s limit`;
  return undefined;
}

/**
 * Removes a stale lock, but only the very one judged stale: two waiters judging at once must not
 * remove the fresh lock a third just took. A short-lived `.break` file serialises the breakers.
 * @throws CliError (exit 3) when the stale lock cannot be removed, naming it and how to clear it
 */
function breakLock(path: string, seen: SeenLock): boolean {
  const guard = `${path}.break`;
  let guarded: boolean;
  try {
    guarded = tryCreate(guard, String(process.pid));
  } catch (error) {
    // A folder we cannot create files in is one we cannot remove the lock from either.
    throw cannotRemove(path, error);
  }
  if (!guarded) {
    const left = inspectLock(guard); // refuses a foreign or odd guard file as it refuses a lock
    if (left !== undefined && Date.now() - left.holder.createdAt > STALE_BREAKER_MS) removeQuietly(guard);
    return false;
  }
  try {
    const again = inspectLock(path);
    if (again === undefined || again.raw !== seen.raw || again.ino !== seen.ino) return false;
    try {
      unlinkSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return false;
      throw cannotRemove(path, error);
    }
    return true;
  } finally {
    removeQuietly(guard);
  }
}

/** Exit 3, like a lock that is held: the store is busy until someone with the rights clears it. */
function cannotRemove(path: string, error: unknown): CliError {
  const errnoError = (error instanceof CliError ? error.cause : error) as NodeJS.ErrnoException | undefined;
  const cause = errnoError?.code ?? String(errnoError);
  return new CliError(ExitCode.network, `cannot remove the stale lock ${path} (${cause})`, {
    hint: `Its folder does not let you delete it. Once no oauth-cli run is using the store, clear it as a user allowed to: rm -f ${shellQuote(path)}`,
  });
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already, or not ours to remove.
  }
}

/** Temp files of a writer killed mid-write. Only a lock holder writes, so under the lock they are orphans. */
function sweepOrphanTemps(storePath: string): void {
  const dir = dirname(storePath);
  const lockTemps = `.${basename(lockPathFor(storePath))}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // Best effort: a leftover temp file is harmless.
  }
  // One by one: a file we may not remove (another user's, in a sticky folder) must not stop the sweep.
  for (const name of names) if (isTempFileOf(storePath, name) && !name.startsWith(lockTemps)) removeQuietly(join(dir, name));
}

function releaseLock(path: string, nonce: string): void {
  let seen: SeenLock | undefined;
  try {
    seen = inspectLock(path);
  } catch {
    return; // Not ours any more: a release must never hide the command's own result or error.
  }
  // Ours, unless it was judged stale and somebody else holds it now.
  if (seen?.holder.nonce === nonce) removeQuietly(path);
}

function lockTimeout(storePath: string, path: string, holder: LockHolder | undefined, timeoutMs: number): CliError {
  const who = holder?.pid !== undefined ? `process ${holder.pid}${holder.hostname ? ` on ${holder.hostname}` : ""}` : "another process";
  const since = holder === undefined ? "" : ` since ${new Date(holder.createdAt).toISOString()}`;
  return new CliError(ExitCode.network, `timed out after ${timeoutMs / 1000} s waiting for the lock on the token store ${storePath}`, {
    details: [`  held by ${who}${since} (lock file ${path})`],
    hint: `Another oauth-cli run is using this store. Wait longer with --lock-timeout SECONDS; if no run is active, delete it: rm ${shellQuote(path)}`,
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
