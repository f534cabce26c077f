#!/usr/bin/env node
// A tiny shim: the program is the bundle dist/bundle/oauth-cli.cjs (build.mjs); only this file sets the exit code.
import { readFileSync } from "node:fs";
import module from "node:module";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  // Answered before the bundle loads: parsing it costs more than all of Node's own start-up on Node 20.
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
} else {
  // Node ≥ 22.1 can keep V8's compiled code on disk (in the OS temp dir by default, or
  // NODE_COMPILE_CACHE), which saves compiling commander and undici again on every run.
  module.enableCompileCache?.();
  const { runProcess } = module.createRequire(import.meta.url)("../dist/bundle/oauth-cli.cjs");
  process.exitCode = await runProcess(argv);
}
