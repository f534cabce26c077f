import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error build.mjs is plain JavaScript, without types.
import { DEFERRED, deferLines, onlyCommand } from "../../build.mjs";

type Entry = { file: RegExp; from: string; to: string };
const [H2] = DEFERRED as Entry[];

/**
 * build.mjs rewrites one line of undici (its HTTP/2 client loads on first use, not on every run).
 * These bundle a stand-in undici with esbuild and the real plugin: the rewrite happens when the line
 * is there, and the build fails with what to do when undici has changed it.
 */
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function fakeUndici(clientSource: string | undefined): string {
  dir = mkdtempSync(join(tmpdir(), "oauth-cli-build-test-"));
  const lib = join(dir, "node_modules", "undici", "lib", "dispatcher");
  mkdirSync(lib, { recursive: true });
  writeFileSync(join(lib, "client-h2.js"), "module.exports = () => 'h2';\n");
  if (clientSource !== undefined) writeFileSync(join(lib, "client.js"), clientSource);
  writeFileSync(join(dir, "entry.js"), clientSource === undefined ? "module.exports = 1;\n" : "module.exports = require('undici/lib/dispatcher/client.js');\n");
  return join(dir, "entry.js");
}

function bundle(entry: string) {
  return build({ entryPoints: [entry], bundle: true, platform: "node", format: "cjs", write: false, logLevel: "silent", plugins: [deferLines(DEFERRED)] });
}

describe("the undici rewrite in build.mjs", () => {
  it("targets a line the installed undici has, exactly once", () => {
    const real = readFileSync(join("node_modules", "undici", "lib", "dispatcher", "client.js"), "utf8");
    expect(real.split(H2!.from)).toHaveLength(2);
  });

  it("defers the require when the line is there", async () => {
    const result = await bundle(fakeUndici(`${H2!.from}\nmodule.exports = connectH2;\n`));
    const text = result.outputFiles[0]!.text;
    expect(text).toContain("function connectH2(...args)");
    expect(text).not.toMatch(/const connectH2 = require/);
  });

  it("fails the build, saying what to do, when undici changed the line", async () => {
    const changed = `${H2!.from.replace(/'/g, '"')}\nmodule.exports = connectH2;\n`;
    const failure = await bundle(fakeUndici(changed)).then(() => undefined, (error: { errors: { text: string; notes: { text: string }[] }[] }) => error);
    expect(failure?.errors).toHaveLength(1);
    expect(failure!.errors[0]!.text).toContain(`expected the line \`${H2!.from}\` once`);
    expect(failure!.errors[0]!.notes[0]!.text).toMatch(/update DEFERRED in build\.mjs/);
  });

  it("fails the build when undici no longer has the file", async () => {
    const failure = await bundle(fakeUndici(undefined)).then(() => undefined, (error: { errors: { text: string }[] }) => error);
    expect(failure?.errors[0]?.text).toMatch(/no bundled file matched/);
  });
});

/**
 * A command's own bundle (build.mjs OWN_BUNDLES): src/program.ts's loaders of the other commands
 * become stubs. Checked on a stand-in program.ts with two commands.
 */
function fakeProgram(program: string): string {
  dir = mkdtempSync(join(tmpdir(), "oauth-cli-build-test-"));
  for (const name of ["alpha", "beta"]) {
    mkdirSync(join(dir, "src", "commands", name), { recursive: true });
    writeFileSync(join(dir, "src", "commands", name, "command.ts"), `export const word = "${name}-module";\n`);
  }
  writeFileSync(join(dir, "src", "program.ts"), program);
  return join(dir, "src", "program.ts");
}

const PROGRAM = `export const loaders = {
  alpha: () => import("./commands/alpha/command.js"),
  beta: () => import("./commands/beta/command.js"),
};
`;

function bundleOnly(entry: string, name: string) {
  return build({ entryPoints: [entry], bundle: true, platform: "node", format: "cjs", write: false, logLevel: "silent", plugins: [onlyCommand(name)] });
}

describe("a command's own bundle in build.mjs", () => {
  it("keeps that command's module and leaves the others out, their loaders rejecting with what happened", async () => {
    const text = (await bundleOnly(fakeProgram(PROGRAM), "beta")).outputFiles[0]!.text;
    expect(text).toContain("beta-module");
    expect(text).not.toContain("alpha-module");
    expect(text).toContain("alpha: not in the beta bundle");
  });

  it("fails the build when program.ts no longer loads the command that way", async () => {
    const failure = await bundleOnly(fakeProgram(PROGRAM.replace('import("./commands/beta/command.js")', 'import(`./commands/${"beta"}/command.js`)')), "beta").then(
      () => undefined,
      (error: { errors: { text: string }[] }) => error,
    );
    expect(failure?.errors[0]?.text).toMatch(/expected src\/program\.ts to load \.\/commands\/beta\/command\.js once, found it 0 times/);
  });
});
