import { randomBytes } from "node:crypto";
import { closeSync, constants, copyFileSync, fchmodSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** 0 where the platform has no O_NOFOLLOW (Windows): there we cannot refuse symlinks at open. */
export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

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
  chmodPrivate(dir);
  return true;
}

function chmodPrivate(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY);
  try {
    fchmodSync(fd, 0o700);
  } finally {
    closeSync(fd);
  }
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

/** The temp files this module leaves behind when killed; only their owner's lock holder may sweep them. */
export function isTempFileOf(target: string, name: string): boolean {
  return name.startsWith(`.${basename(target)}.`) && name.endsWith(".tmp");
}

/**
 * Replaces `target` so that a reader (or a crash) sees either the whole old file or the whole new
 * one: temp file in the same folder (O_EXCL, O_NOFOLLOW, 0600) → write → fsync → rename → fsync
 * the folder. With `backup`, the file being replaced stays reachable under that name (a hard link,
 * so the target never disappears, not even for an instant).
 */
export function writeFileAtomic(target: string, content: string, options: { backup?: string } = {}): void {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600);
  try {
    try {
      fchmodSync(fd, 0o600);
      const data = Buffer.from(content, "utf8");
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written, data.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.backup !== undefined) keepBackup(target, options.backup);
    renameSync(temp, target);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed or never created: nothing to clean.
    }
    throw error;
  }
  fsyncDir(dir);
}

/** Links the current target to `backup` (via a temp name, so an old backup is replaced atomically). */
function keepBackup(target: string, backup: string): void {
  const temp = join(dirname(backup), `.${basename(target)}.bak.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    linkSync(target, temp);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    // File systems without hard links (FAT, some network mounts): a copy is second best.
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV" && code !== "EMLINK") throw error;
    copyFileSync(target, temp, constants.COPYFILE_EXCL);
  }
  renameSync(temp, backup);
}
