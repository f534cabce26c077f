// The V8 code cache of the bundle, kept per subcommand in a folder of our own; used by load-bundle.js.
"use strict";
const { linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

/**
 * A code cache file is compiled code that V8 runs without checking it: in a release build V8
 * verifies only the source's length and its own version and flags, not a checksum, so a truncated
 * or bit-flipped file crashes the process (SIGTRAP/SIGSEGV), and a cache made for other code of
 * the same length runs as if it were ours. Hence, before V8 sees a file:
 * - the folder must be ours alone (a directory, our uid, no group/other bits), else no cache;
 * - the file must carry a keyed checksum of its name and its bytes; the key is random, made once
 *   per folder, so a file from anywhere else (another folder, user, build or subcommand) fails it.
 * The checksum is zlib's CRC-32 (node:zlib, ~1-2 ms to load, ~0.2 ms for 0.5 MB), run over the
 * key, the name and the bytes. A CRC catches every burst of damage up to 32 bits and anything else
 * but one time in 2^32; the key and name in it make a file from anywhere else fail too. It detects
 * damage and mix-ups; it is not meant to stop someone who can write to our folder: they can read the
 * key, and are us already.
 */
const FOLDER_MODE = 0o700;
/** Files per folder besides the key, whatever the words on the command line (a cache is made only after a run that was not a usage error). */
const MAX_FILES = 24;
const KEY_FILE = "key";
const KEY_BYTES = 8;
const SUM_BYTES = 4;

/** The checksum of `parts` laid end to end, seeded with the key. */
function checksum(key, parts) {
  const { crc32 } = require("node:zlib");
  return parts.reduce((sum, part) => crc32(part, sum), crc32(key));
}

/** The folder for this user's caches: under the temp dir, named for the uid (several users may share /tmp). */
function cacheFolder() {
  const uid = process.getuid?.();
  return join(tmpdir(), `oauth-cli-code-cache${uid === undefined ? "" : `-${uid}`}`);
}

/** Why the folder may not be used, or undefined if it is ours alone. Throws if it is missing. */
function unsafeReason(folder) {
  const info = lstatSync(folder);
  if (!info.isDirectory()) return "not a directory";
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  if (info.uid !== uid) return `owned by uid ${info.uid}`;
  if ((info.mode & 0o077) !== 0) return `open to others (mode ${(info.mode & 0o777).toString(8)})`;
  return undefined;
}

/** The cache name for a command line: the subcommand word, else "other". */
function nameFor(argv) {
  return /^[a-z][a-z0-9-]{0,40}$/.test(argv[0] ?? "") ? argv[0] : "other";
}

/**
 * Finds the checked cache for this build and command line. `status` says what happened (hit,
 * miss, rejected: why, or off: why); unless off, `save(bytes)` keeps a new cache (call it only
 * when V8 did not take `data`) and says how that went. Never throws: a cache is an optimisation,
 * never a reason to fail.
 */
function openCodeCache({ buildHash, argv, folder = cacheFolder() }) {
  const build = `${process.version}-${process.arch}-${buildHash}`;
  const name = `${build}-${nameFor(argv)}`;
  const file = join(folder, name);
  const identity = Buffer.from(name, "latin1");
  const result = { status: "miss", data: undefined, save: undefined };
  if (buildHash === undefined) {
    result.status = "off: the bundle has no build hash";
    return result;
  }
  let key;
  try {
    const reason = unsafeReason(folder);
    if (reason) {
      result.status = `off: ${folder} is ${reason}`;
      return result;
    }
    key = readFileSync(join(folder, KEY_FILE));
    const stored = readFileSync(file);
    const sum = stored.length > SUM_BYTES && key.length === KEY_BYTES ? checksum(key, [identity, stored.subarray(SUM_BYTES)]) : undefined;
    if (sum !== undefined && sum === stored.readUInt32LE(0)) {
      result.status = "hit";
      result.data = stored.subarray(SUM_BYTES);
    } else result.status = "rejected: checksum";
  } catch (error) {
    // No folder, key or file yet (a miss); anything else: no cache.
    if (error?.code !== "ENOENT") {
      result.status = `off: ${error?.message ?? error}`;
      return result;
    }
  }
  result.save = (bytes) => {
    try {
      try {
        mkdirSync(folder, { mode: FOLDER_MODE });
      } catch {
        // Already there: checked next.
      }
      const reason = unsafeReason(folder);
      if (reason) return `not saved: ${folder} is ${reason}`;
      key = readOrMakeKey(folder);
      makeRoom(folder, build, name);
      const sum = Buffer.alloc(SUM_BYTES);
      sum.writeUInt32LE(checksum(key, [identity, bytes]));
      const temp = `${file}.${process.pid}`;
      writeFileSync(temp, Buffer.concat([sum, bytes]), { mode: 0o600 });
      renameSync(temp, file);
      return "saved";
    } catch (error) {
      return `not saved: ${error?.message ?? error}`;
    }
  };
  return result;
}

/**
 * Keeps the folder bounded, with room for `name`: caches of other builds for this Node go (dead
 * weight now), and so do files half written by a run that died; if the folder is still full, the
 * caches made longest ago go.
 */
function makeRoom(folder, build, name) {
  const kept = [];
  for (const other of readdirSync(folder)) {
    if (other === KEY_FILE || other === name) continue;
    const path = join(folder, other);
    const madeAt = lstatSync(path).mtimeMs;
    const otherBuild = other.startsWith(`${process.version}-${process.arch}-`) && !other.startsWith(`${build}-`);
    const leftover = /\.\d+$/.test(other) && Date.now() - madeAt > 60_000;
    if (otherBuild || leftover) rmSync(path, { force: true });
    else kept.push({ path, madeAt });
  }
  kept.sort((a, b) => a.madeAt - b.madeAt);
  while (kept.length >= MAX_FILES) rmSync(kept.shift().path, { force: true });
}

/** This folder's key, made on first use. Linked into place, so a run never reads half a key and two runs making it at once end up with the same one. */
function readOrMakeKey(folder) {
  const path = join(folder, KEY_FILE);
  try {
    const key = readFileSync(path);
    if (key.length === KEY_BYTES) return key;
    // Never half written (see below), so damaged: a new key, and every cache made again.
    rmSync(path, { force: true });
  } catch (error) {
    if (error?.code !== "ENOENT") throw error;
  }
  const temp = `${path}.${process.pid}`;
  writeFileSync(temp, require("node:crypto").randomBytes(KEY_BYTES), { mode: 0o600 });
  try {
    linkSync(temp, path);
  } catch (error) {
    if (error?.code !== "EEXIST") throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  return checkKey(readFileSync(path));
}

function checkKey(key) {
  if (key.length !== KEY_BYTES) throw new Error(`the key file is ${key.length} bytes, not ${KEY_BYTES}`);
  return key;
}

module.exports = { openCodeCache, cacheFolder, checksum, nameFor, MAX_FILES };
