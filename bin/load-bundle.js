// Loads the bundle dist/bundle/oauth-cli.cjs (build.mjs) through V8's code cache; used by oauth-cli.js.
"use strict";
const { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const { Script } = require("node:vm");

const BUNDLE = join(__dirname, "..", "dist", "bundle", "oauth-cli.cjs");

/**
 * Compiling the bundle (~0.8 MB), and then the parts of commander and undici a run uses, is most of
 * what a run costs beyond Node's own start-up. V8 can keep that compiled code: the code cache.
 * Node's module.enableCompileCache() (≥ 22.1) saves it as a module loads, so without the functions
 * compiled later; Node 20 has none. This cache is made after a run, per subcommand (what a run
 * compiles depends on it), and kept in a folder of our own under the temp dir: 0700 and ours, else
 * no cache (a cache file is code that would run). The key has the hash build.mjs puts at the end of
 * the bundle, since V8 checks only the source's length; a cache V8 rejects (other flags) is replaced.
 */
function loadWithCodeCache(argv) {
  // build.mjs keeps the bundle ASCII and wraps it as Node wraps a CommonJS module.
  const source = readFileSync(BUNDLE, "latin1");
  const uid = process.getuid?.();
  const folder = join(tmpdir(), `oauth-cli-code-cache${uid === undefined ? "" : `-${uid}`}`);
  const hash = /\/\/ oauth-cli build ([0-9a-f]{16})\n$/.exec(source.slice(-64))?.[1];
  const build = `${process.version}-${process.arch}-${hash}`;
  const file = join(folder, `${build}-${/^[a-z][a-z-]{0,40}$/.test(argv[0] ?? "") ? argv[0] : "other"}`);
  const ours = () => {
    const info = lstatSync(folder);
    return hash !== undefined && info.isDirectory() && (uid === undefined || (info.uid === uid && (info.mode & 0o077) === 0));
  };
  let cachedData;
  try {
    if (ours()) cachedData = readFileSync(file);
  } catch {
    // No cache yet.
  }
  const script = new Script(source, { filename: BUNDLE, cachedData });
  // import() cannot work in this vm.Script; the bundle takes this one for its outside packages.
  const bundle = { exports: {}, importExternal: (specifier) => import(specifier) };
  // This file's require(): it resolves outside packages from bin/ just as from dist/bundle/ (the same
  // package), and unlike module.createRequire() needs no node:module (~2 ms on Node 20).
  script.runInThisContext()(bundle.exports, require, bundle, BUNDLE, join(BUNDLE, ".."));
  const saveCache = () => {
    if (cachedData && !script.cachedDataRejected) return;
    try {
      mkdirSync(folder, { mode: 0o700 });
    } catch {
      // Already there: checked next.
    }
    try {
      if (!ours()) return;
      // V8 takes a cache only under the flags it was made with. The first request sets
      // --liftoff-only on Node < 24 (src/http/undici.ts); undo it and what it implies.
      if (Number(process.versions.node.split(".")[0]) < 24) require("node:v8").setFlagsFromString("--no-liftoff-only --wasm-tier-up --wasm-dynamic-tiering");
      const temp = `${file}.${process.pid}`;
      writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
      renameSync(temp, file);
      // Caches of earlier builds for this Node are dead weight now.
      for (const name of readdirSync(folder)) if (name.startsWith(`${process.version}-${process.arch}-`) && !name.startsWith(`${build}-`)) rmSync(join(folder, name), { force: true });
    } catch {
      // A cache is an optimisation; never a reason to fail.
    }
  };
  return { runProcess: bundle.exports.runProcess, saveCache };
}

module.exports = { loadWithCodeCache };
