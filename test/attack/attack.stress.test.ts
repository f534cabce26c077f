import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHostileServer, ROUTES, type HostileServer } from "./hostile-server.js";
import { tmpRoot, type Tally } from "./fuzz.js";
import { fileCases, hostileFiles, KNOWN_ELSEWHERE, makeHostileFiles } from "./hostile-files.js";
import { badArguments, decodeErrorFuzz, hostileCallbacks, hostileResponses, type Sizes } from "./scenarios.js";

/**
 * The attack suite at size (`npm run test:stress`): many more inputs, every token command and
 * output format against every hostile route. Each scenario stops early at its time budget and
 * says so in its summary line.
 */
const SIZES: Sizes = { sweep: Infinity, perCommand: 80, decodeInputs: 3000, callbackRounds: 12, scenarioBudgetMs: 240_000, seed: 4242 };

let server: HostileServer;
let root: string;
beforeAll(async () => {
  server = await startHostileServer();
  root = tmpRoot();
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function expectClean(tally: Tally): void {
  expect(tally.findings).toEqual([]);
  expect({ exit70: tally.exit70, hangs: tally.hangs, leaks: tally.leaks, lost: tally.lost, other: tally.other }).toEqual({ exit70: 0, hangs: 0, leaks: 0, lost: 0, other: 0 });
}

describe("attack suite, stress size", () => {
  it("bad arguments to every command", { timeout: 300_000 }, async () => expectClean(await badArguments(server, root, SIZES)));
  it("decode-error on hostile input", { timeout: 300_000 }, async () => expectClean(await decodeErrorFuzz(root, SIZES)));
  it("hostile server responses, every command and format", { timeout: 300_000 }, async () =>
    expectClean(await hostileResponses(server, root, Object.keys(ROUTES).filter((r) => r !== "/drip/token"))));
  it("slow drip", { timeout: 60_000 }, async () =>
    expectClean(await hostileResponses(server, root, ["/drip/token"], { name: "slow drip", variants: [[], ["-v"]], timeout: "1", expectExits: [3] })));
  it("hostile callback requests", { timeout: 300_000 }, async () => expectClean(await hostileCallbacks(server, root, SIZES)));
  it("hostile files of every kind to every flag that reads one, sandbox included", { timeout: 600_000 }, async () => {
    const files = makeHostileFiles(root);
    const { unexpected } = await hostileFiles(fileCases(files, ["fifo", "zero", "dir", "loop", "random", "escapes", "empty"], { sandbox: true }), root, { budgetMs: 4000, known: KNOWN_ELSEWHERE });
    expect(unexpected).toEqual([]);
  });
});
