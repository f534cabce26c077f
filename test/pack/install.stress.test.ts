import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * What a user gets from npm: `npm pack` of this checkout, installed with `npm install <tarball>` in an
 * empty folder (so no devDependencies, no src/, no test/), then the installed `oauth-cli` run as a
 * user runs it. Slow (an npm install), so it is not part of `npm test`: `.ci/run` runs it on its own
 * (files named *.stress.test.ts: vitest.stress.config.ts). The npm cache is used first (--prefer-offline);
 * the registry only for what the cache lacks.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

let work: string;
let tarball: string;
let tarballBytes: number;
let app: string;
let bin: string;
const env = { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };

function run(args: string[], input?: string): { exitCode: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [bin, ...args], { cwd: app, env, encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"], timeout: 60_000 });
    return { exitCode: 0, stdout, stderr: "" };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { exitCode: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "oauth-cli-pack-"));
  // prepare runs as part of pack: it builds only when the sources changed since the last build.
  const packed = JSON.parse(execFileSync(NPM, ["pack", "--json", "--pack-destination", work], { cwd: ROOT, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, packed[0]!.filename);
  tarballBytes = statSync(tarball).size;
  app = join(work, "app");
  execFileSync("mkdir", [app]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "pack-test-app", version: "1.0.0", private: true }));
  execFileSync(NPM, ["install", "--prefer-offline", "--omit=dev", "--no-audit", "--no-fund", tarball], { cwd: app, env, stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 });
  bin = join(app, "node_modules", "oauth-debug-cli", "bin", "oauth-cli.js");
}, 360_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the npm package, installed from its tarball in an empty folder", () => {
  it("ships bin/ and the bundle, and no sources, tests or devDependencies", () => {
    const installed = join(app, "node_modules", "oauth-debug-cli");
    expect(existsSync(join(installed, "dist", "bundle", "oauth-cli.cjs"))).toBe(true);
    // decode-error's own, smaller bundle (build.mjs OWN_BUNDLES), which bin/ runs for it.
    expect(existsSync(join(installed, "dist", "bundle", "commands", "decode-error.cjs"))).toBe(true);
    expect(existsSync(join(installed, "src"))).toBe(false);
    expect(existsSync(join(installed, "test"))).toBe(false);
    // A devDependency would be here if the package's manifest asked for it at run time.
    for (const dev of ["vitest", "esbuild", "typescript", "playwright-core"]) expect(existsSync(join(app, "node_modules", dev)), dev).toBe(false);
    // npm linked the binary under its documented name.
    expect(existsSync(join(app, "node_modules", ".bin", "oauth-cli"))).toBe(true);
  });

  it("stays small to download: every bundle a command may have of its own adds to it (0.44 MB with decode-error's, 0.35 MB without)", () => {
    expect(tarballBytes).toBeLessThan(600_000);
  });

  it("oauth-cli --help, and `npx oauth-debug-cli` runs the same binary", () => {
    const help = run(["--help"]);
    expect(help.exitCode, help.stderr).toBe(0);
    expect(help.stdout).toContain("client-credentials");
    expect(help.stdout).toContain("decode-error");
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    // npx by package name finds the one bin, as `npx oauth-debug-cli` does for users.
    const npx = execFileSync(NPM, ["exec", "--no", "--", "oauth-debug-cli", "--version"], { cwd: app, env, encoding: "utf8" });
    expect(npx.trim()).toBe(version);
  });

  it("decode-error invalid_grant explains the error", () => {
    const decoded = run(["decode-error", "invalid_grant"]);
    expect(decoded.exitCode, decoded.stderr).toBe(0);
    expect(decoded.stdout).toContain("invalid_grant");
    expect(decoded.stdout).toContain("RFC 6749");
  });

  it("the installed sandbox starts (--json), and a client-credentials run against it gets a token", async () => {
    const sandbox: ChildProcess = spawn(process.execPath, [bin, "sandbox", "--port", "0", "--json", "-q"], { cwd: app, env });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        let err = "";
        sandbox.stdout!.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
        });
        sandbox.stderr!.on("data", (c: Buffer) => (err += c.toString()));
        sandbox.on("exit", (code) => reject(new Error(`sandbox exited ${code}: ${err}`)));
      });
      const info = JSON.parse(line) as { issuer: string; clients: { client_id: string }[] };
      expect(info.clients.map((c) => c.client_id)).toContain("sandbox-basic");
      const cc = run(["client-credentials", "--issuer", info.issuer, "--client-id", "sandbox-basic", "--client-secret", "-", "--scope", "api:read", "-o", "json"], "sandbox-basic-secret");
      expect(cc.exitCode, cc.stderr).toBe(0);
      expect(JSON.parse(cc.stdout)).toMatchObject({ token_type: expect.stringMatching(/^bearer$/i) });
    } finally {
      const exited = new Promise((resolve) => sandbox.once("close", resolve));
      sandbox.kill("SIGTERM");
      await exited;
    }
  });
});
