// Build step (package.json "build", after tsc and build.mjs): writes the manual page
// dist/man/oauth-cli.1 (package.json "man") from the same command tree and help data as --help,
// using tsc's module-per-file output in dist/. Generated, never committed.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { buildProgram } from "../dist/program.js";
import { systemContext } from "../dist/system-context.js";
import { commandTree } from "../dist/docs/tree.js";
import { manPage } from "../dist/docs/man.js";

const OUT = "dist/man/oauth-cli.1";
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
// Nothing runs: the program is only built, to read its commands, flags and help.
const program = await buildProgram(systemContext(), undefined, { runCommandLine: async () => 0 });
const overview = `${program.description()} Each command prints its own options, examples and exit codes with --help; this page has them all.`;
mkdirSync("dist/man", { recursive: true });
writeFileSync(`${OUT}.tmp`, manPage(commandTree(program), version, overview));
renameSync(`${OUT}.tmp`, OUT);
