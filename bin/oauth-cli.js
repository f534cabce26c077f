#!/usr/bin/env node
// The program is a bundle (build.mjs): dist/bundle/commands/<name>.cjs for a command that has one
// of its own, else the whole program, dist/bundle/oauth-cli.cjs. This file picks it, runs it
// through a V8 code cache it checks first, and sets the exit code. One CommonJS file
// (bin/package.json), like the bundle: each further file costs a resolve, a read and a compile,
// and an ES module entry point would set up Node's ES module loader on every run (~5 ms on Node 20).
"use strict";
const { linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const BUNDLES = join(__dirname, "..", "dist", "bundle");
/** src/errors/cli-error.ts ExitCode.usage and src/main.ts INTERNAL_ERROR_EXIT. */
const USAGE_EXIT = 2;
const INTERNAL_EXIT = 70;

async function run(argv) {
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    // The one shortcut for the version, answered before any bundle loads (6-8 ms of CPU less, on
    // Node 20 and 24). Everything else about --version, -V in --help included, is commander's
    // .version() in src/program.ts; both read package.json.
    process.stdout.write(`${JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")).version}\n`);
    return;
  }
  // Node ≥ 22.1 keeps compiled code of outside packages the same way: ~7 % of loading
  // oidc-provider (sandbox, demo) on Node 24. module.constructor is node:module's export, without
  // loading node:module (~2 ms on Node 20, which has no enableCompileCache).
  module.constructor.enableCompileCache?.();
  const { runProcess, saveCache } = loadWithCodeCache(argv);
  process.exitCode = await runProcess(argv);
  saveCache(process.exitCode);
}

/** The word a command line starts with, if it may name a command (and a file): else undefined. */
function firstWord(argv) {
  return /^[a-z][a-z0-9-]{0,40}$/.test(argv[0] ?? "") ? argv[0] : undefined;
}

/**
 * The bundle for this command line and its text: the command's own when the first word names one
 * (src/program.ts then loads only that command), else the whole program (no command, options
 * first, `help`, an unknown word, a command without a bundle of its own).
 */
function readBundle(argv) {
  const word = firstWord(argv);
  if (word !== undefined) {
    const file = join(BUNDLES, "commands", `${word}.cjs`);
    try {
      return { file, source: readFileSync(file, "latin1") };
    } catch (error) {
      if (error?.code !== "ENOENT") throw error;
    }
  }
  const file = join(BUNDLES, "oauth-cli.cjs");
  return { file, source: readFileSync(file, "latin1") };
}

/**
 * Compiling the bundle, and then the parts of commander and undici a run uses, is most of what a
 * run costs beyond Node's own start-up. V8 can keep that compiled code: the code cache (checked
 * here before V8 sees it): it saves 8-18 ms of CPU a run (decode-error, --help, client-credentials;
 * Node 20 and 24). Node's module.enableCompileCache() would need no check of ours, but it saves the
 * cache as a module loads, so without the functions compiled later (decode-error on Node 24: ~3 ms
 * of CPU more per run than this one), and on Node 24.22 it wrote none for the bundle after a
 * client-credentials run (~15 ms more); Node 20 has none. This cache is made after a run, per bundle and
 * subcommand, since what a run compiles depends on them. OAUTH_CLI_DEBUG_CACHE=1 says on stderr
 * what became of the cache.
 */
function loadWithCodeCache(argv) {
  // build.mjs keeps each bundle ASCII, wraps it as Node wraps a CommonJS module and ends it with a hash of itself.
  const { file, source } = readBundle(argv);
  const buildHash = /\/\/ oauth-cli build ([0-9a-f]{16})\n$/.exec(source.slice(-64))?.[1];
  const cache = openCodeCache({ buildHash, argv });
  const { Script } = require("node:vm");
  const script = new Script(source, { filename: file, cachedData: cache.data });
  const debug = process.env.OAUTH_CLI_DEBUG_CACHE ? (line) => process.stderr.write(`code cache: ${line}\n`) : () => {};
  // A cache that passed our check but that V8 turns down (made under other V8 flags, say) is replaced.
  debug(cache.data && script.cachedDataRejected ? "rejected: by V8" : cache.status);
  // import() cannot work in this vm.Script; the bundle takes this one for its outside packages.
  const bundle = { exports: {}, importExternal: (specifier) => import(specifier) };
  // This file's require(): it resolves outside packages from bin/ just as from dist/bundle/ (the same
  // package), and unlike module.createRequire() needs no node:module (~2 ms on Node 20).
  script.runInThisContext()(bundle.exports, require, bundle, file, join(file, ".."));
  /** After the run: a run that was a usage error (an unknown subcommand, say) leaves no cache. */
  const saveCache = (exitCode) => {
    if (!cache.save || (cache.data && !script.cachedDataRejected)) return;
    if (exitCode === USAGE_EXIT || exitCode === INTERNAL_EXIT) return debug(`not saved: exit ${exitCode}`);
    // The cache must match the next run's flags at start-up, before the bundle changes any.
    bundle.exports.restoreV8Flags();
    debug(cache.save(script.createCachedData()));
  };
  return { runProcess: bundle.exports.runProcess, saveCache };
}

/*
 * The code cache, kept per bundle and subcommand in a folder of our own.
 *
 * A code cache file is compiled code that V8 runs without checking it: in a release build V8
 * verifies only the source's length and its own version and flags, not a checksum, so a truncated
 * or bit-flipped file crashes the process (SIGTRAP/SIGSEGV), and a cache made for other code of
 * the same length runs as if it were ours. Hence, before V8 sees a file:
 * - the folder must be ours alone (a directory, our uid, no group/other bits), else no cache;
 * - the file must carry a keyed checksum of its name and its bytes; the key is random, made once
 *   per folder, so a file from anywhere else (another folder, user, build, bundle or subcommand)
 *   fails it.
 * The checksum is zlib's CRC-32, run over the key, the name and the bytes. A CRC catches every
 * burst of damage up to 32 bits and anything else but one time in 2^32; the key and name in it make
 * a file from anywhere else fail too. It detects damage and mix-ups; it is not meant to stop someone
 * who can write to our folder: they can read the key, and are us already.
 * Its cost in a run is small (~0.4 ms on Node 20, ~1.6 ms on Node 24, against no check at all):
 * node:zlib loads Node's streams, which writing to stdout and stderr loads anyway. Measured and
 * dropped: V8's own checksum (--verify-snapshot-checksum) needs node:v8 and a changed flag, after
 * which Node compiles its built-in modules from source (+4 ms); a hash in JavaScript runs in the
 * interpreter (6-10 ms for 0.5 MB); one in WebAssembly costs about what zlib does.
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
  return firstWord(argv) ?? "other";
}

/**
 * Finds the checked cache for this bundle and command line. `status` says what happened (hit,
 * miss, rejected: why, or off: why); unless off, `save(bytes)` keeps a new cache (call it only
 * when V8 did not take `data`) and says how that went. Never throws: a cache is an optimisation,
 * never a reason to fail.
 */
function openCodeCache({ buildHash, argv, folder = cacheFolder() }) {
  // Node and architecture, the bundle's build hash, the command word.
  const runtime = `${process.version}-${process.arch}-`;
  const word = nameFor(argv);
  const name = `${runtime}${buildHash}-${word}`;
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
      makeRoom(folder, name, (other) => other.startsWith(runtime) && /^[0-9a-f]{16}-/.test(other.slice(runtime.length)) && other.slice(runtime.length + 17) === word);
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
 * Keeps the folder bounded, with room for `name`: a cache for the same Node and command word but
 * another build of its bundle (`replaced`) goes, dead weight now that bundle is gone, and so do
 * files half written by a run that died; if the folder is still full, the caches made longest ago
 * go. Each bundle has its own build hash, so caches of other words are left alone: they may be of
 * another bundle of this build, which the next run of theirs still uses.
 */
function makeRoom(folder, name, replaced) {
  const kept = [];
  for (const other of readdirSync(folder)) {
    if (other === KEY_FILE || other === name) continue;
    const path = join(folder, other);
    const madeAt = lstatSync(path).mtimeMs;
    const leftover = /\.\d+$/.test(other) && Date.now() - madeAt > 60_000;
    if (replaced(other) || leftover) rmSync(path, { force: true });
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

// Run as the program; test/bin/ requires it for the pieces below.
if (require.main === module) run(process.argv.slice(2));

module.exports = { openCodeCache, cacheFolder, checksum, nameFor, readBundle, MAX_FILES };
