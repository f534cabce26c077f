import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { BASIC, startTestProvider } from "../support/provider.js";
import { makeTempDir, testHome } from "../support/temp.js";

/**
 * The start-up rule: a command line loads the module of the subcommand it names (and what that
 * shares), never another subcommand's. Checked on dist/ (tsc's module-per-file output, built by
 * npm test) under a Node loader hook that makes every module record itself when it is evaluated.
 */
const DIST = fileURLToPath(new URL("../../dist/", import.meta.url));

let preload: string;
beforeAll(() => {
  if (!existsSync(join(DIST, "main.js"))) throw new Error("dist/ is missing: run npm run build first (npm test does)");
  const dir = makeTempDir("modules");
  const hooks = join(dir, "hooks.mjs");
  writeFileSync(hooks, [
    "export async function load(url, context, next) {",
    "  const result = await next(url, context);",
    `  if (!url.startsWith(${JSON.stringify(pathToFileURL(DIST).href)}) || result.format !== "module") return result;`,
    "  const source = String(result.source) + '\\n;(globalThis.__loaded ??= []).push(import.meta.url);\\n';",
    "  return { ...result, source };",
    "}",
  ].join("\n"));
  preload = join(dir, "preload.mjs");
  writeFileSync(preload, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
});

/** The dist/ modules (relative paths) one in-process command line evaluated, and its exit code. */
function loadedBy(argv: string[], env: Record<string, string> = {}): Promise<{ modules: string[]; exitCode: number }> {
  const script = [
    `const { main } = await import(${JSON.stringify(pathToFileURL(join(DIST, "main.js")).href)});`,
    `const { systemContext } = await import(${JSON.stringify(pathToFileURL(join(DIST, "system-context.js")).href)});`,
    `const exitCode = await main(${JSON.stringify(argv)}, systemContext());`,
    `process.stderr.write("\\nLOADED " + JSON.stringify({ exitCode, modules: globalThis.__loaded }) + "\\n");`,
    "process.exit(0);",
  ].join("\n");
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", pathToFileURL(preload).href, "--input-type=module", "-e", script], { env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", HOME: testHome(), ...env } }, (error, _stdout, stderr) => {
      const line = /\nLOADED (.*)\n/.exec(stderr)?.[1];
      if (!line) return reject(new Error(`no module list (${String(error)}): ${stderr}`));
      const { exitCode, modules } = JSON.parse(line) as { exitCode: number; modules: string[] };
      resolve({ exitCode, modules: modules.map((url) => fileURLToPath(url).slice(DIST.length)) });
    });
  });
}

describe("start-up: only the named subcommand's module is loaded", () => {
  it("refresh --help loads refresh's flags and command, no other subcommand's", async () => {
    const { modules, exitCode } = await loadedBy(["refresh", "--help"]);
    expect(exitCode).toBe(0);
    expect(modules).toContain("commands/refresh/command.js");
    expect(modules).toContain("commands/shared/flags.js");
    expect(modules.filter((m) => m.startsWith("commands/") && !/^commands\/(refresh|shared)\//.test(m))).toEqual([]);
    expect(modules).not.toContain("commands/refresh/run.js"); // help needs no run
  });

  it("a refresh that runs (and stops at a missing flag) loads its run module, still nothing of authorize, sandbox or the demo", async () => {
    const { modules, exitCode } = await loadedBy(["refresh"]);
    expect(exitCode).toBe(2);
    expect(modules).toContain("commands/refresh/run.js");
    expect(modules.filter((m) => /^(commands\/(authorize|exchange|client-credentials|sandbox|demo|profile|decode-error)\/|sandbox\/|loopback\/listener)/.test(m))).toEqual([]);
  });

  it("inspect loads its own modules and the JWT layer; refresh and decode-error load no JWT module", async () => {
    const help = await loadedBy(["inspect", "--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.modules).toContain("commands/inspect/command.js");
    expect(help.modules.filter((m) => m.startsWith("jwt/") || m === "commands/inspect/run.js")).toEqual([]);
    const run = await loadedBy(["inspect", "not-a-token"]);
    expect(run.exitCode).toBe(2);
    expect(run.modules).toEqual(expect.arrayContaining(["commands/inspect/run.js", "jwt/jose.js", "jwt/read-token.js"]));
    expect(run.modules.filter((m) => /^(commands\/(authorize|refresh|exchange|sandbox|demo)\/|sandbox\/|loopback\/listener)/.test(m))).toEqual([]);
    for (const argv of [["refresh"], ["decode-error", "invalid_grant"]]) {
      expect((await loadedBy(argv)).modules.filter((m) => m.startsWith("jwt/") || m.startsWith("commands/inspect/"))).toEqual([]);
    }
  });

  it("device --help loads device's flags and command, not its run (nor the QR code renderer) and no other subcommand's", async () => {
    const { modules, exitCode } = await loadedBy(["device", "--help"]);
    expect(exitCode).toBe(0);
    expect(modules).toContain("commands/device/command.js");
    expect(modules.filter((m) => m.startsWith("commands/") && !/^commands\/(device|shared)\//.test(m))).toEqual([]);
    expect(modules.filter((m) => /^commands\/device\/(run|qr|poll)\.js$/.test(m))).toEqual([]);
  });

  it("a client-credentials that gets its token loads no profile (config) module and nothing that explains a failure", async () => {
    const sandbox = await startTestProvider();
    try {
      const { modules, exitCode } = await loadedBy(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "-o", "json"], { OAUTH_CLIENT_SECRET: BASIC.secret });
      expect(exitCode).toBe(0);
      expect(modules).toEqual(expect.arrayContaining(["commands/client-credentials/run.js", "oauth/token-response.js"]));
      expect(modules.filter((m) => /^(config\/|commands\/shared\/(diagnosis|dpop-explain)\.js|errors\/(facts|diagnose|explain|render)\.js|errors\/catalogue\/|jwt\/)/.test(m))).toEqual([]);
    } finally {
      await sandbox.close();
    }
    // Naming a profile still loads what merges it (and says when it is not there).
    const named = await loadedBy(["client-credentials", "--profile", "nowhere", "--token-endpoint", "https://id.example/token", "--client-id", "x"], { XDG_CONFIG_HOME: makeTempDir("no-config") });
    expect(named.exitCode).toBe(2);
    expect(named.modules).toContain("config/apply-profile.js");
  });

  it("the check itself sees other commands when they are loaded (bare --help lists every subcommand)", async () => {
    const { modules } = await loadedBy(["--help"]);
    expect(modules).toEqual(expect.arrayContaining(["commands/authorize/command.js", "commands/sandbox/command.js", "commands/refresh/command.js"]));
  });
});

describe("start-up: what a run builds of what its modules hold", () => {
  it("a command line that names its subcommand makes only that commander command; one that does not makes them all", async () => {
    const { buildProgram, COMMANDS } = await import("../../src/program.js");
    const { createTestContext } = await import("../support/cli.js");
    const host = { runCommandLine: async () => 0 };
    const ctx = createTestContext();
    const named = await buildProgram(ctx, ["client-credentials", "--token-endpoint", "https://id.example/token"], host);
    expect(named.commands.map((c) => c.name())).toEqual(["client-credentials"]);
    const helpFor = await buildProgram(ctx, ["help", "decode-error"], host);
    expect(helpFor.commands.map((c) => c.name())).toEqual(["decode-error"]);
    for (const argv of [["--help"], ["no-such-command"], undefined]) {
      const all = await buildProgram(ctx, argv, host);
      expect(all.commands.map((c) => c.name())).toEqual(COMMANDS.map((entry) => entry.name));
    }
  });

  it("decode-error with a bare code builds the code index only: neither the description rules nor the Entra table, until an input needs them", async () => {
    // A module graph of its own: another test in this process may have built the tables already.
    vi.resetModules();
    const { runCli: runFresh } = await import("../support/cli.js");
    const { tablesBuilt } = await import("../../src/errors/catalogue/tools.js");
    // The home of this file's temp.js, which this file's clean-up knows about.
    const runCli = (argv: string[]) => runFresh(argv, { homedir: testHome() });
    const bare = await runCli(["decode-error", "invalid_grant"]);
    expect(bare.exitCode).toBe(0);
    expect(bare.stdout).toMatch(/^invalid_grant/);
    expect(tablesBuilt()).toEqual(["index"]);
    const described = await runCli(["decode-error", '{"error":"invalid_grant","error_description":"Token has been expired or revoked."}']);
    expect(described.exitCode).toBe(0);
    expect(described.stdout).toContain("Google");
    expect(tablesBuilt()).toEqual(expect.arrayContaining(["rules", "provider rules"]));
    expect(tablesBuilt()).not.toContain("microsoft index");
    const entra = await runCli(["decode-error", "AADSTS54005"]);
    expect(entra.exitCode).toBe(0);
    expect(entra.stdout).toContain("AADSTS54005");
    expect(tablesBuilt()).toContain("microsoft index");
  });
});
