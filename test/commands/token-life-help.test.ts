import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

describe("--help of introspect, revoke, userinfo and request", () => {
  it.each([
    ["introspect", ["--introspection-endpoint", "--token-type-hint", "--require-active", "--store"]],
    ["revoke", ["--revocation-endpoint", "--token-type-hint", "--store"]],
    ["userinfo", ["--userinfo-endpoint", "--access-token", "--store", "--min-ttl"]],
    ["request", ["-X, --method", "-H, --header", "-d, --data", "-i, --include", "--out <file>", "--access-token", "--min-ttl"]],
  ])("%s --help lists its flags, examples and its own exit codes", async (command, flags) => {
    const run = await runCli([command, "--help"]);
    expect(run.exitCode).toBe(0);
    for (const flag of flags) expect(run.stdout).toContain(flag);
    expect(run.stdout).toContain("Examples:");
    expect(run.stdout.match(/^ {2}(echo .*\| )?(OAUTH_\w+=… )?oauth-cli /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(run.stdout).toContain(`Exit codes of ${command}:`);
    expect(run.stdout).not.toMatch(/seed/i);
  });

  it("the program's --help lists the four commands", async () => {
    const run = await runCli(["--help"]);
    for (const command of ["introspect", "revoke", "userinfo", "request"]) expect(run.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, "m"));
  });

  it("secret values typed on the command line are warned about, naming the safer ways", async () => {
    const run = await runCli(["userinfo", "--access-token", "abc.def", "--userinfo-endpoint", "http://127.0.0.1:1/me"]);
    expect(run.stderr).toContain("--access-token: use OAUTH_ACCESS_TOKEN or --access-token -");
  });

  it("request has no -o (it is the output format elsewhere): a clear usage error, exit 2", async () => {
    const run = await runCli(["request", "https://api.example.com/x", "-o", "file.bin", "--access-token", "-"], { stdin: "t0k3n" });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/unknown option '-o'/);
  });
});
