import { describe, expect, it } from "vitest";
import type { CommandHelp } from "../../src/commands/shared/help.js";
import { COMMANDS } from "../../src/program.js";
import { runCli } from "../support/cli.js";

/** Every subcommand's --help is built from its module's own help data (src/commands/help.ts). */
describe("--help of every command", () => {
  const visible = COMMANDS.filter((entry) => !entry.hidden);

  it.each(visible.map((entry) => [entry.name, entry] as const))("%s: its purpose, ≥ 2 examples and its own exit codes, 70 included", async (name, entry) => {
    const help: CommandHelp = (await entry.load()).help;
    const run = await runCli([name, "--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout.replace(/\s+/g, " ")).toContain(help.purpose); // commander wraps it to 80 columns
    expect(help.examples.length).toBeGreaterThanOrEqual(2);
    const examples = /\nExamples:\n((?: {2}.*\n)+)/.exec(run.stdout)?.[1] ?? "";
    expect(examples.match(/^ {2}(\S.*)?oauth-cli /gm)?.length ?? 0).toBeGreaterThanOrEqual(2);
    const table = new RegExp(`\\nExit codes of ${name}:\\n((?: {2}\\d+ +.*\\n)+)`).exec(run.stdout)?.[1];
    expect(table, "an exit-code table named after the command").toBeDefined();
    const codes = [...table!.matchAll(/^ {2}(\d+) +(.*)$/gm)].map((m) => ({ code: Number(m[1]), meaning: m[2] }));
    expect(codes).toEqual(help.exitCodes.map(({ code, meaning }) => ({ code, meaning })));
    expect(codes.map((c) => c.code)).toEqual(expect.arrayContaining([0, 2, 70]));
    expect(codes.find((c) => c.code === 70)?.meaning).toBe("internal error (a bug: please report it)");
    expect(run.stdout).not.toMatch(/seed/i);
  });

  it("commands that save no tokens do not list the token commands' exit codes", async () => {
    for (const name of ["decode-error", "sandbox", "profile"]) {
      const { stdout } = await runCli([name, "--help"]);
      expect(stdout).not.toContain("tokens received but not saved");
      expect(stdout).not.toMatch(/^ {2}4 {4}/m);
    }
  });

  it("own options come first, then the shared ones under endpoint, client, request and output headings", async () => {
    const { stdout } = await runCli(["authorize", "--help"]);
    const at = (text: string) => {
      const i = stdout.indexOf(text);
      expect(i, text).toBeGreaterThan(-1);
      return i;
    };
    // --pkce is authorize's own; --issuer, --client-id, --scope and -o are shared.
    expect(at("--pkce <method>")).toBeLessThan(at("\nEndpoint options:\n"));
    expect(at("\nEndpoint options:\n")).toBeLessThan(at("--issuer <url>"));
    expect(at("--issuer <url>")).toBeLessThan(at("\nClient options:\n"));
    expect(at("\nClient options:\n")).toBeLessThan(at("--client-id <id>"));
    expect(at("--client-id <id>")).toBeLessThan(at("\nRequest options:\n"));
    expect(at("\nRequest options:\n")).toBeLessThan(at("--scope <scopes>"));
    expect(at("--scope <scopes>")).toBeLessThan(at("\nOutput options:\n"));
    expect(at("\nOutput options:\n")).toBeLessThan(at("-o, --output <format>"));
  });

  it("the program's --help lists every command's purpose and exit 70", async () => {
    const { stdout } = await runCli(["--help"]);
    for (const entry of COMMANDS.filter((e) => !e.hidden)) expect(stdout).toMatch(new RegExp(`^ {2}${entry.name}\\b`, "m"));
    expect(stdout).toContain("70   internal error (a bug: please report it)");
  });
});
