import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeedServer, startSeedServer } from "../support/seed-server.js";

/**
 * The other tests run src/ in-process; users run bin/oauth-cli.js, which loads the esbuild bundle
 * (build.mjs) with its deferred built-ins and lazily initialised modules. `npm test` builds first.
 */
const BIN = fileURLToPath(new URL("../../bin/oauth-cli.js", import.meta.url));
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
