import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeedServer, startSeedServer } from "../support/seed-server.js";

/**
 * The other tests run src/ in-process; users run bin/oauth-cli.js, which loads the esbuild bundle
 * (build.mjs) with its deferred built-ins and lazily initialised modules. `npm test` builds first.
 */
const BIN = fileURLToPath(new URL("../../bin/oauth-cli.js", import.meta.url));
const BUNDLES = fileURLToPath(new URL("../../dist/bundle/", import.meta.url));
const { readBundle } = createRequire(import.meta.url)("../../bin/oauth-cli.js") as { readBundle: (argv: string[]) => { file: string; source: string } };
const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

function runBin(args: string[], env: Record<string, string> = {}): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env } }, (error, stdout, stderr) => {
      resolve({ exitCode: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let seed: SeedServer;
beforeAll(async () => {
  seed = await startSeedServer();
});
afterAll(async () => {
  await seed.close();
});

describe("the built binary", () => {
  it("prints the package version for --version and -V", async () => {
    for (const flag of ["--version", "-V"]) {
      const run = await runBin([flag]);
      expect(run).toMatchObject({ exitCode: 0, stdout: `${VERSION}\n` });
    }
  });

  it("lists the commands in --help", async () => {
    const run = await runBin(["--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/client-credentials[\s\S]*Exit codes:/);
  });

  it("gets a token with client-credentials (undici, commander and crypto stand-ins all load)", async () => {
    const run = await runBin(["client-credentials", "--token-endpoint", `${seed.url}/echo/token`, "--client-id", "app", "-o", "json"], { OAUTH_CLIENT_SECRET: "s3cret" });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ access_token: "seed-access-token-1", token_type: "Bearer" });
    expect(seed.requests.at(-1)?.headers.authorization).toBe(`Basic ${Buffer.from("app:s3cret").toString("base64")}`);
  });

  it("colours pretty output on request (chalk, with its subpath imports, is in the bundle)", async () => {
    const run = await runBin(["client-credentials", "--token-endpoint", `${seed.url}/echo/token`, "--client-id", "app", "-o", "pretty"], { OAUTH_CLIENT_SECRET: "s3cret", NO_COLOR: "", FORCE_COLOR: "1" });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/\u001b\[32m.*Bearer access token/);
  });

  it("explains a server error with exit 1 (the lazily loaded explainer is in the bundle)", async () => {
    const run = await runBin(["client-credentials", "--token-endpoint", `${seed.url}/array/token`, "--client-id", "app"], { OAUTH_CLIENT_SECRET: "s3cret" });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("invalid_request");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("names missing flags with exit 2", async () => {
    const run = await runBin(["exchange"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--redirect-uri");
  });
});

describe("a reader that goes away", () => {
  it("`oauth-cli … | true` ends quietly: no EPIPE stack trace", async () => {
    const { spawn } = await import("node:child_process");
    // `true` exits before node has started, so every write meets a closed pipe.
    const child = spawn("sh", ["-c", `"${process.execPath}" "${BIN}" decode-error invalid_grant | true; echo done`], { env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(stdout).toBe("done\n");
    expect(stderr).toBe("");
  });
});

/** The build hash build.mjs ends a bundle with (what bin/ names its code cache after). */
const buildHashOf = (file: string) => /\/\/ oauth-cli build ([0-9a-f]{16})\n$/.exec(readFileSync(file, "latin1"))![1]!;
const WHOLE = join(BUNDLES, "oauth-cli.cjs");
const DECODE_ERROR = join(BUNDLES, "commands", "decode-error.cjs");

describe("the bundle a command line runs", () => {
  it.each([
    [["decode-error", "invalid_grant"], DECODE_ERROR],
    [["decode-error", "--help"], DECODE_ERROR],
    [["decode-error"], DECODE_ERROR],
    // The whole program: no bundle of its own, `help`, options first, an unknown word, nothing.
    [["client-credentials", "--token-endpoint", "http://127.0.0.1/token"], WHOLE],
    [["help", "decode-error"], WHOLE],
    [["--help"], WHOLE],
    [["-v", "decode-error", "invalid_grant"], WHOLE],
    [["completion", "bash"], WHOLE],
    [["frobnicate"], WHOLE],
    [["../commands/decode-error"], WHOLE],
    [[], WHOLE],
  ])("%j runs %s", (argv, file) => {
    expect(readBundle(argv).file).toBe(file);
  });

  it("decode-error's own bundle is what the binary runs for it (its code cache is named after that bundle's build), `help decode-error` the whole one", async () => {
    const temp = mkdtempSync(join(tmpdir(), "oauth-cli-bundle-test-"));
    try {
      const env = { TMPDIR: temp };
      expect(await runBin(["decode-error", "invalid_grant"], env)).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^invalid_grant — /) });
      expect(await runBin(["help", "decode-error"], env)).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/decode-error/) });
      const caches = readdirSync(join(temp, `oauth-cli-code-cache-${process.getuid!()}`)).filter((name) => name !== "key").sort();
      expect(buildHashOf(DECODE_ERROR)).not.toBe(buildHashOf(WHOLE));
      // Two caches, whatever order their names (which start with the build hashes) sort in.
      expect(caches).toHaveLength(2);
      expect(caches).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`-${buildHashOf(DECODE_ERROR)}-decode-error$`)), expect.stringMatching(new RegExp(`-${buildHashOf(WHOLE)}-help$`))]));
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });

  it("decode-error's own bundle answers its --help and its usage errors as the whole program does", async () => {
    const help = await runBin(["decode-error", "--help"]);
    expect(help).toMatchObject({ exitCode: 0, stderr: "" });
    expect(help.stdout).toMatch(/^Usage: oauth-cli decode-error /);
    expect(help.stdout).toBe((await runBin(["help", "decode-error"])).stdout);
    const unknown = await runBin(["decode-error", "--frobnicate"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it("decode-error's own bundle holds no other command and no undici (it sends nothing); the whole one holds both", () => {
    // authorize's purpose, from its module, and undici's HTTP/1 parser.
    const marks = ["sign in through the browser: authorization code flow", "llhttp"];
    const whole = readFileSync(WHOLE, "latin1");
    const own = readFileSync(DECODE_ERROR, "latin1");
    for (const mark of marks) {
      expect(whole).toContain(mark);
      expect(own).not.toContain(mark);
    }
    // Should decode-error ever send a request, undici comes from node_modules, as outside packages do.
    expect(own).toContain('__importExternal("undici/lib/dispatcher/agent.js")');
    expect(() => createRequire(BIN).resolve("undici/lib/dispatcher/agent.js")).not.toThrow();
    // Only the stubs of the other commands' loaders are left of them.
    expect(own).toContain("authorize: not in the decode-error bundle");
    expect(own.length).toBeLessThan(whole.length / 2);
  });
});
