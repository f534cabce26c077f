#!/usr/bin/env node
// A tiny shim: the program is the bundle in dist/bundle/ (build.mjs); only this file sets the exit code.
import module from "node:module";

// Node ≥ 22.1 can keep V8's compiled code for our modules on disk (in the OS temp dir by default,
// or NODE_COMPILE_CACHE), which saves compiling commander and undici again on every run.
module.enableCompileCache?.();

const { runProcess } = await import("../dist/bundle/oauth-cli.js");
process.exitCode = await runProcess(process.argv.slice(2));
