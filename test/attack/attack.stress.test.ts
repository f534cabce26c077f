import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROUTES } from "./hostile-server.js";
import { fileCases, hostileFiles, KNOWN_ELSEWHERE, makeHostileFiles } from "./hostile-files.js";
import { badArguments, decodeErrorFuzz, expectClean, hostileCallbacks, hostileResponses, type Sizes, useAttackSetup } from "./scenarios.js";

/**
 * The attack suite at size (`npm run test:stress`): many more inputs, every token command and
 * output format against every hostile route. Each scenario stops early at its time budget and
 * says so in its summary line.
 */
const SIZES: Sizes = { sweep: Infinity, perCommand: 80, decodeInputs: 3000, callbackRounds: 12, scenarioBudgetMs: 240_000, seed: 4242 };

const { server, root } = useAttackSetup();

describe("attack suite, stress size", () => {
  it("bad arguments to every command, and no file outside the run's folder", { timeout: 300_000 }, async () => {
    const before = readdirSync(process.cwd());
    expectClean(await badArguments(server(), root(), SIZES));
    expect(readdirSync(process.cwd()).filter((name) => !before.includes(name))).toEqual([]);
  });
  it("decode-error on hostile input", { timeout: 300_000 }, async () => expectClean(await decodeErrorFuzz(root(), SIZES)));
  it("hostile server responses, every command and format", { timeout: 300_000 }, async () =>
    expectClean(await hostileResponses(server(), root(), Object.keys(ROUTES).filter((r) => r !== "/drip/token"))));
  it("slow drip", { timeout: 60_000 }, async () =>
    expectClean(await hostileResponses(server(), root(), ["/drip/token"], { name: "slow drip", variants: [[], ["-v"]], timeout: "1", expectExits: [3] })));
  it("hostile callback requests", { timeout: 300_000 }, async () => expectClean(await hostileCallbacks(server(), root(), SIZES)));
  it("hostile files of every kind to every flag that reads one, sandbox included", { timeout: 600_000 }, async () => {
    const files = makeHostileFiles(root());
    const { tally, unexpected } = await hostileFiles(fileCases(files, ["fifo", "zero", "dir", "loop", "random", "escapes", "empty"], { sandbox: true }), root(), { budgetMs: 4000, known: KNOWN_ELSEWHERE });
    expect(unexpected).toEqual([]);
    expect(tally.findings).toEqual([]);
  });
});
