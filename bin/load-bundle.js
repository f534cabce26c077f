// Loads the bundle dist/bundle/oauth-cli.cjs (build.mjs) through V8's code cache; used by oauth-cli.js.
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { Script } = require("node:vm");
const { openCodeCache } = require("./code-cache.js");

const BUNDLE = join(__dirname, "..", "dist", "bundle", "oauth-cli.cjs");

/**
 * Compiling the bundle (~0.8 MB), and then the parts of commander and undici a run uses, is most of
 * what a run costs beyond Node's own start-up. V8 can keep that compiled code: the code cache
 * (code-cache.js checks it before V8 sees it). Node's module.enableCompileCache() saves it as a
 * module loads, so without the functions compiled later; Node 20 has none. This cache is made after
 * a run, per subcommand, since what a run compiles depends on it.
 * OAUTH_CLI_DEBUG_CACHE=1 says on stderr what became of the cache.
 */
function loadWithCodeCache(argv) {
  // build.mjs keeps the bundle ASCII, wraps it as Node wraps a CommonJS module and ends it with a hash of itself.
  const source = readFileSync(BUNDLE, "latin1");
  const buildHash = /\/\/ oauth-cli build ([0-9a-f]{16})\n$/.exec(source.slice(-64))?.[1];
  const cache = openCodeCache({ buildHash, argv });
  const script = new Script(source, { filename: BUNDLE, cachedData: cache.data });
  const debug = process.env.OAUTH_CLI_DEBUG_CACHE ? (line) => process.stderr.write(`code cache: ${line}\n`) : () => {};
  // A cache that passed our check but that V8 turns down (made under other V8 flags, say) is replaced.
  debug(cache.data && script.cachedDataRejected ? "rejected: by V8" : cache.status);
  // import() cannot work in this vm.Script; the bundle takes this one for its outside packages.
  const bundle = { exports: {}, importExternal: (specifier) => import(specifier) };
  // This file's require(): it resolves outside packages from bin/ just as from dist/bundle/ (the same
  // package), and unlike module.createRequire() needs no node:module (~2 ms on Node 20).
  script.runInThisContext()(bundle.exports, require, bundle, BUNDLE, join(BUNDLE, ".."));
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

/** src/errors/cli-error.ts ExitCode.usage and src/main.ts INTERNAL_ERROR_EXIT. */
const USAGE_EXIT = 2;
const INTERNAL_EXIT = 70;

module.exports = { loadWithCodeCache };
