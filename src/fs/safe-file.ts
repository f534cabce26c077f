import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  copyFileSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/*
 * The one module that opens, reads and writes files someone else may control (a shared temp
 * folder, a path given on the command line). Everything here refuses rather than follows, blocks
 * or swallows: symlinks where we create files, FIFOs and devices where we read, files larger than
 * a real one ever is, and (on request) files another user owns or can write.
 */

/** 0 where the platform lacks the flag (Windows): there the check it stands for cannot be made at open. */
export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOCTTY = constants.O_NOCTTY ?? 0;

export type FileProblem = "missing" | "symlink" | "not-regular" | "too-large" | "foreign-owner" | "loose-mode" | "unreadable";

/** Why a file was refused. `message` reads after the file's name: `the token store X ${message}`. */
export class UnsafeFileError extends Error {
  constructor(
    readonly problem: FileProblem,
    readonly path: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "UnsafeFileError";
  }
}

/** What a non-regular file is, in words ("a FIFO"), for messages. */
export function describeFileType(stat: Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isSymbolicLink()) return "a symbolic link";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  return "a regular file";
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/**
 * Why a file must not be trusted as ours, or undefined: owned by another user, or writable by
 * group or others (either could have put anything in it). Not checkable on Windows.
 */
export function describeForeignFile(stat: Stats): { problem: "foreign-owner" | "loose-mode"; message: string } | undefined {
  if (process.platform === "win32" || typeof process.geteuid !== "function") return undefined;
  const me = process.geteuid();
  if (stat.uid !== me) return { problem: "foreign-owner", message: `is owned by another user (uid ${stat.uid}; you are uid ${me})` };
  const mode = stat.mode & 0o777;
  if ((mode & 0o022) !== 0) {
    const who = [mode & 0o020 && "its group", mode & 0o002 && "others"].filter(Boolean).join(" and ");
    return { problem: "loose-mode", message: `is writable by ${who} (mode ${mode.toString(8).padStart(4, "0")})` };
  }
  return undefined;
}

export interface ReadOptions {
  /** Refuse a file another user owns or that group/others can write. */
  readonly requireOwner?: boolean;
  /** Follow a symlink (a path the user typed: secret and CA files are often links, e.g. Kubernetes secret mounts). */
  readonly followSymlinks?: boolean;
}

export interface BoundedFile {
  readonly text: string;
  readonly stat: Stats;
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Reads a whole regular file of at most `maxBytes`, as UTF-8. The type is checked before the
 * open (a FIFO or a device is never opened: opening a FIFO blocks until a writer comes), the open
 * is non-blocking and never follows a symlink unless asked, the opened file is checked again, and
 * the read stops at `maxBytes + 1` whatever size the file claims (/proc files say 0).
 * @throws UnsafeFileError naming the problem; `missing` when it does not exist.
 */
export function readBoundedRegularFile(path: string, maxBytes: number, options: ReadOptions = {}): BoundedFile {
  let before: Stats;
  try {
    before = options.followSymlinks ? statSync(path) : lstatSync(path);
  } catch (error) {
    const code = errno(error);
    if (code === "ENOENT" || code === "ENOTDIR") throw new UnsafeFileError("missing", path, "does not exist", code);
    throw new UnsafeFileError("unreadable", path, `cannot be read (${code ?? String(error)})`, code);
  }
  checkOpenable(path, before, maxBytes, options);

  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NONBLOCK | O_NOCTTY | (options.followSymlinks ? 0 : O_NOFOLLOW));
  } catch (error) {
    const code = errno(error);
    if (code === "ENOENT") throw new UnsafeFileError("missing", path, "does not exist", code);
    if (code === "ELOOP") throw new UnsafeFileError("symlink", path, "is a symbolic link; give the real path", code);
    throw new UnsafeFileError("unreadable", path, `cannot be read (${code ?? String(error)})`, code);
  }
  try {
    // Judge what was opened too: the file may have been replaced since (an atomic rename by
    // another run is routine; the non-blocking open made even a swapped-in FIFO harmless).
    const stat = fstatSync(fd);
    checkOpenable(path, stat, maxBytes, options);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        const code = errno(error);
        throw new UnsafeFileError("unreadable", path, `cannot be read (${code ?? String(error)})`, code);
      }
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooLarge(path, maxBytes);
    }
    return { text: Buffer.concat(chunks, total).toString("utf8"), stat };
  } finally {
    closeSync(fd);
  }
}

function checkOpenable(path: string, stat: Stats, maxBytes: number, options: ReadOptions): void {
  if (stat.isSymbolicLink()) throw new UnsafeFileError("symlink", path, "is a symbolic link; give the real path");
  if (!stat.isFile()) throw new UnsafeFileError("not-regular", path, `is ${describeFileType(stat)}, not a regular file`);
  if (options.requireOwner) {
    const foreign = describeForeignFile(stat);
    if (foreign) throw new UnsafeFileError(foreign.problem, path, foreign.message);
  }
  if (stat.size > maxBytes) throw tooLarge(path, maxBytes);
}

function tooLarge(path: string, maxBytes: number): UnsafeFileError {
  return new UnsafeFileError("too-large", path, `is larger than ${formatSize(maxBytes)}, more than such a file ever holds`);
}

/**
 * Checks, without opening it, that `path` (symlinks followed) is a regular file of at most
 * `maxBytes`: for a file another library reads later (the CA bundle).
 * @throws UnsafeFileError
 */
export function checkRegularFile(path: string, maxBytes: number): Stats {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = errno(error);
    if (code === "ENOENT" || code === "ENOTDIR") throw new UnsafeFileError("missing", path, "does not exist", code);
    throw new UnsafeFileError("unreadable", path, `cannot be read (${code ?? String(error)})`, code);
  }
  if (!stat.isFile()) throw new UnsafeFileError("not-regular", path, `is ${describeFileType(stat)}, not a regular file`);
  if (stat.size > maxBytes) throw tooLarge(path, maxBytes);
  return stat;
}

/**
 * Creates the folder (and missing parents) readable by the owner only. An existing folder is left
 * as it is: it may be shared on purpose, and the files in it are 0600 anyway.
 * @returns true when this call created it.
 */
export function ensurePrivateDir(dir: string): boolean {
  try {
    if (statSync(dir).isDirectory()) return false;
  } catch {
    // Missing: create below.
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode passes through the umask; be exact about the folder we own.
  const fd = openSync(dir, constants.O_RDONLY | O_NOFOLLOW);
  try {
    fchmodSync(fd, 0o700);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Makes a rename durable: without this a power cut can forget the new directory entry. */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // Some platforms and file systems cannot fsync a folder (Windows, some network mounts).
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A fresh, unguessable temp name beside `target` (a predictable one is a symlink waiting to be planted). */
function tempNameFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(8).toString("hex")}.tmp`);
}

/** The temp files {@link writeFileAtomically} leaves behind only when killed; only the store's lock holder may sweep them. */
export function isTempFileOf(target: string, name: string): boolean {
  return name.startsWith(`.${basename(target)}.`) && name.endsWith(".tmp");
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Never created, or already renamed away.
  }
}

/**
 * Creates `path` with `content`, failing with EEXIST if anything (a file, a dangling symlink) is
 * there: O_CREAT|O_EXCL|O_NOFOLLOW, so a planted symlink is never followed.
 */
export function createExclusive(path: string, content: string | Buffer, mode = 0o600, durable = true): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, mode);
  try {
    fchmodSync(fd, mode);
    const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface WriteOptions {
  /** Permission bits of the new file (default 0600). */
  readonly mode?: number;
  /** Keep the file being replaced reachable under this name. Best effort: see {@link WriteResult.backupSkipped}. */
  readonly backup?: string;
  /** Never replace: fail with EEXIST when `target` exists (the file is linked into place, not renamed). */
  readonly exclusive?: boolean;
  /** fsync the file and its folder (default true); false for files a power cut may lose (a lock). */
  readonly durable?: boolean;
}

export interface WriteResult {
  /** Why no backup was kept (a foreign or odd file sits at the backup's name); the new file is written regardless. */
  readonly backupSkipped?: string;
}

/**
 * Replaces `target` so that a reader (or a crash) sees either the whole old file or the whole new
 * one: a temp file with a random name in the target's folder (O_EXCL|O_NOFOLLOW) → write → fsync
 * → rename (or link, when exclusive) → fsync the folder. The temp file is removed on every path.
 * With `backup`, the replaced file stays reachable under that name (a hard link, so the target
 * never disappears, not even for an instant).
 */
export function writeFileAtomically(target: string, content: string | Buffer, options: WriteOptions = {}): WriteResult {
  const temp = tempNameFor(target);
  let backupSkipped: string | undefined;
  try {
    createExclusive(temp, content, options.mode ?? 0o600, options.durable ?? true);
    if (options.backup !== undefined) backupSkipped = keepBackup(target, options.backup);
    if (options.exclusive) linkSync(temp, target);
    else renameSync(temp, target);
  } finally {
    // After a rename this finds nothing; after a link or any failure it removes the temp copy.
    removeQuietly(temp);
  }
  if (options.durable ?? true) fsyncDir(dirname(target));
  return backupSkipped === undefined ? {} : { backupSkipped };
}

/**
 * Links the current target to `backup` via a random temp name, so an old backup is replaced
 * atomically. A backup is a convenience: anything in the way is reported and left alone.
 * @returns why no backup was kept, or undefined.
 */
function keepBackup(target: string, backup: string): string | undefined {
  try {
    const existing = lstatSync(backup);
    if (!existing.isFile()) return `${backup} is ${describeFileType(existing)}; remove it to get a backup again`;
    const foreign = describeForeignFile(existing);
    if (foreign) return `${backup} ${foreign.message}; remove it to get a backup again`;
  } catch {
    // No backup yet.
  }
  const temp = tempNameFor(backup);
  try {
    try {
      linkSync(target, temp);
    } catch (error) {
      const code = errno(error);
      if (code === "ENOENT") return undefined; // nothing to back up yet
      // File systems without hard links (FAT, some network mounts): a copy is second best.
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV" && code !== "EMLINK") throw error;
      copyFileSync(target, temp, constants.COPYFILE_EXCL);
    }
    renameSync(temp, backup);
    return undefined;
  } catch (error) {
    return `could not update ${backup} (${errno(error) ?? String(error)})`;
  } finally {
    // The temp link holds the old tokens: it must never outlive this call.
    removeQuietly(temp);
  }
}

/** A file written chunk by chunk that appears at its target whole, or not at all. */
export interface AtomicFileWriter {
  write(chunk: Uint8Array): void;
  /** fsync, then rename into place (replacing a regular file there). */
  commit(): void;
  /** Removes the partial copy; the target is left as it was. */
  abort(): void;
}

/**
 * {@link writeFileAtomically} for content that arrives in pieces (a streamed HTTP body): a temp
 * file beside `target` (random name, O_EXCL|O_NOFOLLOW, `mode`), renamed over the target only once
 * complete, so an interrupted download never leaves half a file under the real name. A target that
 * is anything but a regular file (a folder, a FIFO, a device) is refused before anything is written.
 * @throws UnsafeFileError (not-regular) or the open's error (ENOENT for a missing folder, EACCES…)
 */
export function openAtomicFile(target: string, mode = 0o600): AtomicFileWriter {
  try {
    const existing = lstatSync(target);
    if (!existing.isFile() && !existing.isSymbolicLink()) throw new UnsafeFileError("not-regular", target, `is ${describeFileType(existing)}, not a regular file`);
  } catch (error) {
    if (error instanceof UnsafeFileError) throw error;
    if (errno(error) !== "ENOENT") throw error;
  }
  const temp = tempNameFor(target);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, mode);
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    write(chunk) {
      let written = 0;
      while (written < chunk.length) written += writeSync(fd, chunk, written, chunk.length - written);
    },
    commit() {
      try {
        fchmodSync(fd, mode);
        fsyncSync(fd);
        close();
        // A symlink at the target is replaced, never followed (rename acts on the name).
        renameSync(temp, target);
      } finally {
        removeQuietly(temp);
      }
      fsyncDir(dirname(target));
    },
    abort() {
      close();
      removeQuietly(temp);
    },
  };
}
