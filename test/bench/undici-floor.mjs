// `node test/bench/undici-floor.mjs [--node PATH]... [--runs N]`: how much of `client-credentials`
// is undici itself. Builds the smallest program that makes the same request through undici
// (test/bench/undici-floor-entry.ts), bundled as build.mjs bundles the CLI (one CommonJS file, lazy
// chunks, node: imports as lazy requires, crypto and child_process deferred, the same undici
// rewrite) and run by a copy of bin/ (so the same V8 code cache), then times it beside the bare
// node:http script of run.mjs and the CLI. A report, not a test: prints figures, exits 0.
// Run after `npm run build` (the CLI is measured as built).
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { DEFERRED, deferLines } from "../../build.mjs";
import { BARE_CLIENT, median } from "./common.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function readArgs(argv) {
  const args = { nodes: [], runs: 15 };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === "--node" && argv[i + 1]) args.nodes.push(argv[i + 1]);
    else if (argv[i] === "--runs" && argv[i + 1]) args.runs = Math.max(1, Number(argv[i + 1]) | 0);
    else {
      console.error(`usage: node test/bench/undici-floor.mjs [--node PATH]... [--runs N]  (unknown: ${argv[i]})`);
      process.exit(2);
    }
  }
  if (args.nodes.length === 0) args.nodes.push(process.execPath);
  return args;
}

/** What build.mjs does to built-ins, for a bundle with no outside package: see there. */
const builtins = {
  name: "floor-builtins",
  setup(b) {
    b.onResolve({ filter: /^(node:)?(crypto|child_process)$/ }, (args) =>
      args.namespace === "lazy" ? { path: `node:${args.path.replace(/^node:/, "")}`, external: true } : { path: args.path.replace(/^node:/, ""), namespace: "lazy" },
    );
    b.onLoad({ filter: /.*/, namespace: "lazy" }, (args) => ({
      loader: "js",
      contents: `let real; const load = () => (real ??= require("node:${args.path}"));
module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load(), ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => { const d = Reflect.getOwnPropertyDescriptor(load(), key); return d && { ...d, configurable: true }; } });`,
    }));
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === "dynamic-import" && args.namespace === "file" ? { path: args.path, namespace: "by-require" } : { path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: "by-require" }, (args) => ({ loader: "js", contents: `module.exports = require(${JSON.stringify(args.path)});` }));
  },
};

/** The floor program in `dir`: bin/ copied, the bundle where bin/ looks for it. */
async function buildFloor(dir) {
  cpSync(join(ROOT, "bin"), join(dir, "bin"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ version: "0.0.0-floor" }));
  const result = await build({
    entryPoints: [join(ROOT, "test/bench/undici-floor-entry.ts")],
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20.18",
    plugins: [builtins, deferLines(DEFERRED)],
    minifyWhitespace: true,
    logLevel: "warning",
    write: false,
  });
  const text = result.outputFiles[0].text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
  mkdirSync(join(dir, "dist", "bundle"), { recursive: true });
  writeFileSync(join(dir, "dist", "bundle", "oauth-cli.cjs"), `(function (exports, require, module, __filename, __dirname) {${text}\n})\n// oauth-cli build ${hash}\n`);
  return { bin: join(dir, "bin", "oauth-cli.js"), bytes: text.length };
}

const CLIENT_ID = "bench-client";
const CLIENT_SECRET = "bench secret";

function startServer() {
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/.well-known/oauth-authorization-server") {
      const issuer = `http://${req.headers.host}`;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ issuer, token_endpoint: `${issuer}/token`, grant_types_supported: ["client_credentials"] }));
      return;
    }
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ access_token: "floor-access-token", token_type: "Bearer", expires_in: 3600 }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function runOnce(node, c) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(node, c.args, { env: c.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0 || !out.includes("floor-access-token")) return reject(new Error(`${c.name} failed (exit ${code}):\n${out}${err}`));
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}


async function main() {
  const { nodes, runs } = readArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), "oauth-cli-floor-"));
  const server = await startServer();
  try {
    const floor = await buildFloor(join(dir, "floor"));
    const bare = join(dir, "bare-client.cjs");
    writeFileSync(bare, BARE_CLIENT);
    const issuer = `http://127.0.0.1:${server.address().port}`;
    // TMPDIR of its own per program: each keeps its code cache there (bin/oauth-cli.js).
    const env = (name) => ({ PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", TMPDIR: join(dir, `tmp-${name}`), OAUTH_CLIENT_SECRET: CLIENT_SECRET });
    for (const name of ["bare", "floor", "cli"]) mkdirSync(join(dir, `tmp-${name}`));
    console.log(`undici floor: bundle ${(floor.bytes / 1024).toFixed(0)} KB; median wall ms of ${runs} runs after 2 warm-ups, alternating; load average at start ${loadavg()[0].toFixed(2)}`);
    for (const node of nodes) {
      console.log(`\nNode ${spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim()} (${node})`);
      for (const how of [["--token-endpoint"], ["--issuer"]]) {
        const discover = how[0] === "--issuer";
        const where = discover ? issuer : `${issuer}/token`;
        const cases = [
          { name: "bare node:http script", args: [bare, ...(discover ? ["--discover"] : []), where, CLIENT_ID, CLIENT_SECRET], env: env("bare") },
          { name: "undici floor (bundled, code cache)", args: [floor.bin, ...(discover ? ["--discover"] : []), where, CLIENT_ID, CLIENT_SECRET], env: env("floor") },
          { name: `oauth-cli client-credentials ${how[0]}`, args: [join(ROOT, "bin", "oauth-cli.js"), "client-credentials", how[0], where, "--client-id", CLIENT_ID, "-o", "json"], env: env("cli") },
        ];
        const times = cases.map(() => []);
        for (let i = 0; i < runs + 2; i++) for (const [k, c] of cases.entries()) {
          const ms = await runOnce(node, c);
          if (i >= 2) times[k].push(ms);
        }
        const [b, f, c] = times.map(median);
        for (const [k, { name }] of cases.entries()) console.log(`  ${name.padEnd(44)}${median(times[k]).toFixed(1).padStart(8)} ms  (min ${Math.min(...times[k]).toFixed(1)})`);
        console.log(`  floor / bare ${(f / b).toFixed(2)}×   cli / floor ${(c / f).toFixed(2)}×   cli / bare ${(c / b).toFixed(2)}× (the target is 1.2×)`);
      }
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
