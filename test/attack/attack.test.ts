import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/program.js";
import { createTestContext } from "../support/cli.js";
import { COMMANDS } from "./fuzz.js";
import { ROUTES } from "./hostile-server.js";
import { fileCases, hostileFiles, KNOWN_ELSEWHERE, makeHostileFiles } from "./hostile-files.js";
import { badArguments, decodeErrorFuzz, expectClean, hostileCallbacks, hostileResponses, type Sizes, useAttackSetup } from "./scenarios.js";

/**
 * The attack suite, sampled small enough for every `npm test` (the same scenarios with many more
 * inputs run as attack.stress.test.ts). Each scenario prints one summary line on stderr:
 * inputs tried, exit-70s, hangs, secrets leaked, tokens lost. Goal: all zero.
 */
const SIZES: Sizes = { sweep: 40, perCommand: 4, decodeInputs: 120, callbackRounds: 2, scenarioBudgetMs: 60_000, seed: 20261130 };

const { server, root } = useAttackSetup();

describe("attack suite", () => {
  it("the bad-argument fuzz covers every command the program has, with every flag, read from the program itself", async () => {
    const program = await buildProgram(createTestContext(), undefined, { runCommandLine: async () => 0 });
    const visible = program.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
    const names = visible.flatMap((c) => (c.commands.length ? c.commands.map((sub) => `${c.name()} ${sub.name()}`) : [c.name()]));
    expect(Object.keys(COMMANDS).filter((name) => name !== "").sort()).toEqual(names.sort());
    // Those added after the suite was written, by name, so a broken enumeration cannot pass empty.
    expect(COMMANDS.inspect!.flags).toContain("--jwks-uri");
    expect(COMMANDS.device!.flags).toContain("--device-authorization-endpoint");
    expect(COMMANDS.device!.booleans).toContain("--no-qr");
  });

  it("bad arguments to every command: documented exit codes only, no stack trace, no secret, no file outside the run's folder", { timeout: 120_000 }, async () => {
    // Fuzzed path flags (keys generate --out, --dpop-key, …) write relative to the run's cwd, a temp
    // folder: never into the folder the tests run from.
    const before = readdirSync(process.cwd());
    expectClean(await badArguments(server(), root(), SIZES));
    expect(readdirSync(process.cwd()).filter((name) => !before.includes(name))).toEqual([]);
  });

  it("decode-error on hostile input: never exit 70, nothing raw on the terminal", { timeout: 120_000 }, async () => {
    expectClean(await decodeErrorFuzz(root(), SIZES));
  });

  it("hostile server responses: no secret leaked, tokens once received always printed", { timeout: 180_000 }, async () => {
    const routes = Object.keys(ROUTES).filter((r) => r !== "/drip/token");
    // Every route, -v and pretty; every token command and format run under stress.
    expectClean(await hostileResponses(server(), root(), routes, { commands: ["refresh"], variants: [["-v"], ["--auth-method", "client_secret_post", "-o", "pretty"]] }));
  });

  it("a slow drip ends at --timeout (exit 3), not never", { timeout: 60_000 }, async () => {
    // A byte every 50 ms never lets the body go idle: 0.3 s is still the whole-request deadline ending it.
    expectClean(await hostileResponses(server(), root(), ["/drip/token"], { name: "slow drip", commands: ["client-credentials"], variants: [[], ["-v"]], timeout: "0.3", expectExits: [3] }));
  });

  it("hostile requests to the loopback listener, then the real redirect", { timeout: 120_000 }, async () => {
    expectClean(await hostileCallbacks(server(), root(), SIZES));
  });

  it("hostile files (a FIFO, /dev/zero, a directory, a symlink loop, escapes, empty) to every flag that reads one: built binary, no exit 70, no hang", { timeout: 180_000 }, async () => {
    // Every kind once and every flag at least once (kind i with flag i mod 5): each case starts the
    // built binary, so the full kinds × flags product (and the sandbox's state file) runs under stress.
    const all = fileCases(makeHostileFiles(root()), ["fifo", "zero", "dir", "loop", "escapes", "empty"], { sandbox: false });
    const flags = 5;
    const cases = all.filter((_, i) => i % flags === Math.floor(i / flags) % flags);
    expect(new Set(cases.map((c) => c.name.replace(/ \S+$/, ""))).size).toBe(flags);
    const { tally, unexpected } = await hostileFiles(cases, root(), { budgetMs: 8000, known: KNOWN_ELSEWHERE });
    expect(unexpected).toEqual([]);
    expect(tally.findings).toEqual([]);
    expect(tally.inputs).toBe(6);
  });
});
