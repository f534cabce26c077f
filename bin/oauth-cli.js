#!/usr/bin/env node
// A tiny shim: the program is the bundle dist/bundle/oauth-cli.cjs (build.mjs); only this file sets
// the exit code. CommonJS (bin/package.json), like the bundle: an ES module entry point would set
// up Node's ES module loader on every run (~5 ms on Node 20).
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

async function run(argv) {
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    // The one shortcut for the version, answered before the bundle loads (6-8 ms of CPU less, on
    // Node 20 and 24). Everything else about --version, -V in --help included, is commander's
    // .version() in src/program.ts; both read package.json.
    process.stdout.write(`${JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")).version}\n`);
  } else {
    // Node ≥ 22.1 keeps compiled code of outside packages the same way: ~7 % of loading
    // oidc-provider (sandbox, demo) on Node 24. module.constructor is node:module's export, without
    // loading node:module (~2 ms on Node 20, which has no enableCompileCache).
    module.constructor.enableCompileCache?.();
    const { runProcess, saveCache } = require("./load-bundle.js").loadWithCodeCache(argv);
    process.exitCode = await runProcess(argv);
    saveCache(process.exitCode);
  }
}

run(process.argv.slice(2));
