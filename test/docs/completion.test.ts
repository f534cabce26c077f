import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { AUTH_METHODS } from "../../src/oauth/client-auth.js";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp.js";

/**
 * `oauth-cli completion SHELL` scripts, run by the real shells: each completes a partial command
 * line and the candidates are checked. Profile names come from the built binary, which the
 * scripts call as `oauth-cli` on PATH (npm test builds first), reading a real config file.
 */
const BIN = fileURLToPath(new URL("../../bin/oauth-cli.js", import.meta.url));
const has = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;

let env: Record<string, string>;
let dir: string;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL("../../dist/bundle/oauth-cli.cjs", import.meta.url)))) throw new Error("dist/ is missing: run npm run build first (npm test does)");
  dir = makeTempDir("completion");
  mkdirSync(join(dir, "bin"));
  symlinkSync(BIN, join(dir, "bin", "oauth-cli"));
  env = { PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`, XDG_CONFIG_HOME: join(dir, "xdg"), HOME: dir, NO_COLOR: "1" };
  for (const name of ["ci", "staging"]) {
    const run = await runCli(["profile", "set", name, "--issuer", "https://id.example.com", "--client-id", "app"], { env });
    expect(run.exitCode).toBe(0);
  }
  for (const shell of ["bash", "zsh", "fish"]) {
    const run = await runCli(["completion", shell]);
    expect(run.exitCode).toBe(0);
    scripts[shell] = join(dir, `completion.${shell}`);
    writeFileSync(scripts[shell], run.stdout);
  }
});

function bash(words: string[]): string[] {
  const script = `source ${scripts.bash}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; COMPREPLY=()
# The function bash itself would call for oauth-cli, as the script registered it.
spec=$(complete -p oauth-cli) || exit 9
fn=\${spec#*-F }; fn=\${fn%% *}
"$fn" oauth-cli "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync("bash", ["-c", script], { env, encoding: "utf8" }).split("\n").filter(Boolean);
}

/** zsh's completion builtins work only inside its completion system; stand-ins print what would be offered. */
function zsh(words: string[]): string[] {
  const script = `compdef() { :; }
compadd() { shift; local x; for x in "$@"; do [[ $x == \${cur}* ]] && print -r -- $x; done; return 0 }
_describe() { local x; for x in "\${(@P)\${@[-1]}}"; do x=\${x%%:*}; [[ $x == \${cur}* ]] && print -r -- $x; done; return 0 }
_files() { print -r -- FILES; }
source ${scripts.zsh}
words=(${words.map((w) => `'${w}'`).join(" ")}); CURRENT=${words.length}
_oauth_cli`;
  return execFileSync("zsh", ["-f", "-c", script], { env, encoding: "utf8" }).split("\n").filter(Boolean);
}

function fish(line: string): string[] {
  return execFileSync("fish", ["--no-config", "-c", `source ${scripts.fish}; complete -C ${JSON.stringify(line)}`], { env, encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((candidate) => candidate.split("\t")[0]!);
}

describe("completion scripts", () => {
  it("profile list --names: only the names, and quietly none when there is no config", async () => {
    expect(await runCli(["profile", "list", "--names"], { env })).toMatchObject({ exitCode: 0, stdout: "ci\nstaging\n", stderr: "" });
    const empty = { ...env, XDG_CONFIG_HOME: join(dir, "nowhere") };
    expect(await runCli(["profile", "list", "--names"], { env: empty })).toMatchObject({ exitCode: 0, stdout: "", stderr: "" });
  });

  it("an unknown shell is a usage error naming the choices", async () => {
    const run = await runCli(["completion", "powershell"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/powershell[\s\S]*bash, zsh, fish/);
  });

  it("bash: the script parses, and completes commands, flags, enum values and profile names", () => {
    execFileSync("bash", ["-n", scripts.bash!]);
    expect(bash(["oauth-cli", "re"])).toEqual(["refresh", "revoke", "request"]);
    expect(bash(["oauth-cli", "refresh", "--auth-"])).toEqual(["--auth-method"]);
    // Every method the client can authenticate with, the key- and certificate-based ones too.
    expect(bash(["oauth-cli", "refresh", "--auth-method", ""])).toEqual([...AUTH_METHODS]);
    expect(bash(["oauth-cli", "ke"])).toEqual(["keys"]);
    expect(bash(["oauth-cli", "keys", ""])).toContain("generate");
    expect(bash(["oauth-cli", "keys", "generate", "--alg", ""])).toEqual(["ES256", "RS256", "EdDSA"]);
    // inspect's -o takes fewer modes than the token commands'.
    expect(bash(["oauth-cli", "inspect", "-o", ""])).toEqual(["pretty", "json"]);
    expect(bash(["oauth-cli", "refresh", "-o", ""])).toEqual(["pretty", "json", "env", "token"]);
    expect(bash(["oauth-cli", "refresh", "--issuer", "https://id.example.com", "--profile", ""])).toEqual(["ci", "staging"]);
    expect(bash(["oauth-cli", "profile", ""])).toEqual(expect.arrayContaining(["list", "show", "set", "delete"]));
    expect(bash(["oauth-cli", "profile", "show", "s"])).toEqual(["staging"]);
    // A flag's value is not the command: after --issuer URL, refresh's flags are still offered.
    expect(bash(["oauth-cli", "refresh", "--issuer", "https://id.example.com", "--min"])).toEqual(["--min-ttl"]);
  });

  it.runIf(has("zsh"))("zsh: the script parses, and completes commands, flags, enum values and profile names", () => {
    execFileSync("zsh", ["-n", scripts.zsh!]);
    expect(zsh(["oauth-cli", "re"])).toEqual(["refresh", "revoke", "request"]);
    expect(zsh(["oauth-cli", "refresh", "--auth-"])).toEqual(["--auth-method"]);
    expect(zsh(["oauth-cli", "refresh", "--auth-method", ""])).toEqual([...AUTH_METHODS]);
    expect(zsh(["oauth-cli", "keys", "generate", "--alg", ""])).toEqual(["ES256", "RS256", "EdDSA"]);
    expect(zsh(["oauth-cli", "client-credentials", "--profile", ""])).toEqual(["ci", "staging"]);
    expect(zsh(["oauth-cli", "refresh", "--store", ""])).toEqual(["FILES"]);
  });

  it.runIf(has("fish"))("fish: complete -C offers commands, flags, enum values and profile names", () => {
    expect(fish("oauth-cli re")).toEqual(expect.arrayContaining(["refresh", "revoke", "request"]));
    expect(fish("oauth-cli re")).not.toContain("authorize");
    expect(fish("oauth-cli refresh --auth-")).toEqual(["--auth-method"]);
    expect(fish("oauth-cli refresh --auth-method ")).toEqual([...AUTH_METHODS].sort());
    expect([...fish("oauth-cli keys generate --alg ")].sort()).toEqual(["ES256", "EdDSA", "RS256"]);
    expect(fish("oauth-cli refresh --profile ")).toEqual(["ci", "staging"]);
    expect(fish("oauth-cli profile ")).toEqual(expect.arrayContaining(["list", "show", "set", "delete"]));
  });
});
