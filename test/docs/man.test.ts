import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { manPage } from "../../src/docs/man.js";
import { commandTree } from "../../src/docs/tree.js";
import { buildProgram } from "../../src/program.js";
import { createTestContext } from "../support/cli.js";

const ROOT = new URL("../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as { man: string; license: string; files: string[]; scripts: Record<string, string> };

/** The page as groff renders it for a terminal, formatting stripped; groff's warnings must be none. */
function render(page: string): string {
  const check = spawnSync("groff", ["-man", "-Tutf8", "-ww", "-z"], { input: page, encoding: "utf8" });
  expect(check.status).toBe(0);
  expect(check.stderr).toBe(""); // -ww: every warning (a stray non-ASCII byte, a bad request) would be here
  return execFileSync("groff", ["-man", "-Tutf8", "-P-cbou"], { input: page, encoding: "utf8" });
}

describe("the man page", () => {
  it("is built from the same help data: every command, its flags, examples and exit codes, and renders without a warning", async () => {
    const program = await buildProgram(createTestContext(), undefined, { runCommandLine: async () => 0 });
    const tree = commandTree(program);
    const text = render(manPage(tree, "9.9.9", "Overview."));
    expect(text).toMatch(/^OAUTH-CLI\(1\) +User Commands/m);
    expect(text).toContain("oauth-cli 9.9.9");
    for (const sub of tree.subcommands) {
      expect(text).toContain(`oauth-cli ${sub.name.split(" ").slice(1).join(" ")} `);
      for (const example of sub.help?.examples ?? []) expect(text.replace(/\s+/g, " ")).toContain(example.split(/\s+/).slice(0, 3).join(" "));
    }
    const refresh = text.slice(text.indexOf("oauth-cli refresh [options]"), text.indexOf("oauth-cli client-credentials [options]"));
    expect(refresh).toContain("--auth-method <method>");
    expect(refresh).toMatch(/Exit codes\n\n {7}0 +success[\s\S]* {7}70 +internal error \(a bug: please report it\)/);
    expect(text).not.toMatch(/seed/i);
    // Not the hidden demo.
    expect(text).not.toContain("oauth-cli demo");
  });

  it("npm run build writes it where package.json's man field says, and man -l reads it", () => {
    expect(pkg.scripts.build).toContain("scripts/man.mjs");
    const path = fileURLToPath(new URL(pkg.man, ROOT));
    if (!existsSync(path)) throw new Error(`${pkg.man} is missing: run npm run build first (npm test does)`);
    expect(pkg.files.some((entry) => pkg.man.startsWith(`${entry}/`))).toBe(true);
    const shown = execFileSync("man", ["-l", path], { encoding: "utf8", env: { ...process.env, MANWIDTH: "100", MANPAGER: "cat", PAGER: "cat" } });
    expect(shown).toContain("completion");
    expect(shown).toContain("Exit codes");
  });

  it("LICENSE is the MIT licence package.json names, for the oauth-cli contributors", () => {
    expect(pkg.license).toBe("MIT");
    const license = readFileSync(new URL("LICENSE", ROOT), "utf8");
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} oauth-cli contributors\n/);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });
});
