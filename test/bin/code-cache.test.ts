import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SeedServer, startSeedServer } from "../support/seed-server.js";

/**
 * bin/ runs the bundle through a V8 code cache it keeps per bundle and subcommand (bin/oauth-cli.js). V8 runs a
 * cache file without a checksum of its own, so a damaged or swapped one must be caught before V8
 * sees it. These run the built binary (`npm test` builds first) with its own temp dir (TMPDIR) and
 * OAUTH_CLI_DEBUG_CACHE=1, which says on stderr what became of the cache.
 */
const BIN = fileURLToPath(new URL("../../bin/oauth-cli.js", import.meta.url));
const require = createRequire(import.meta.url);
const { checksum, MAX_FILES } = require("../../bin/oauth-cli.js") as { checksum: (key: Uint8Array, parts: Uint8Array[]) => number; MAX_FILES: number };

let temp: string;
let folder: string;
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), "oauth-cli-cache-test-"));
  folder = join(temp, `oauth-cli-code-cache-${process.getuid!()}`);
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The code cache lines OAUTH_CLI_DEBUG_CACHE printed. */
  cache: string[];
}

let seed: SeedServer;
beforeAll(async () => {
  seed = await startSeedServer();
});
afterAll(async () => {
  await seed.close();
});

function runBin(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", TMPDIR: temp, OAUTH_CLI_DEBUG_CACHE: "1", ...env } }, (error, stdout, stderr) => {
      const cache = stderr.split("\n").filter((line) => line.startsWith("code cache: ")).map((line) => line.slice("code cache: ".length));
      resolve({ exitCode: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr, cache });
    });
  });
}

const DECODE = ["decode-error", "invalid_grant"];
const cacheFiles = () => (existsSync(folder) ? readdirSync(folder).filter((name) => name !== "key") : []);
const cacheFileOf = (word: string) => join(folder, cacheFiles().find((name) => name.endsWith(`-${word}`)) ?? `missing-${word}`);

async function expectDecodeWorks(cache: string[]) {
  const run = await runBin(DECODE);
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toMatch(/^invalid_grant — /);
  expect(run.cache).toEqual(cache);
  return run;
}

describe("the code cache of the built binary", () => {
  it("is made after the first run, in a 0700 folder with a 0600 key, and used by the next", async () => {
    await expectDecodeWorks(["miss", "saved"]);
    expect(cacheFiles()).toEqual([expect.stringMatching(new RegExp(`^${process.version}-${process.arch}-[0-9a-f]{16}-decode-error$`))]);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(folder, "key")).mode & 0o777).toBe(0o600);
    expect(statSync(cacheFileOf("decode-error")).mode & 0o777).toBe(0o600);
    await expectDecodeWorks(["hit"]);
  });

  it("is used by the next run after a run that sent a request (V8's flags were put back before it was made)", async () => {
    const args = ["client-credentials", "--token-endpoint", `${seed.url}/echo/token`, "--client-id", "app", "-o", "json"];
    for (const cache of [["miss", "saved"], ["hit"]]) {
      const run = await runBin(args, { OAUTH_CLIENT_SECRET: "s3cret" });
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ access_token: "seed-access-token-1" });
      expect(run.cache).toEqual(cache);
    }
  });

  it.each([
    ["truncated", (bytes: Buffer) => bytes.subarray(0, bytes.length - 1000)],
    ["with 64 bytes flipped", (bytes: Buffer) => Buffer.from(bytes.map((byte, at) => (at >= bytes.length / 2 && at < bytes.length / 2 + 64 ? byte ^ 0xff : byte)))],
    ["with its checksum forged", (bytes: Buffer) => Buffer.concat([randomBytes(4), bytes.subarray(4)])],
  ])("is rejected and made again when %s", async (_, damage) => {
    await expectDecodeWorks(["miss", "saved"]);
    const file = cacheFileOf("decode-error");
    const good = readFileSync(file);
    writeFileSync(file, damage(good));
    await expectDecodeWorks(["rejected: checksum", "saved"]);
    // Made again from this run: a whole file with a good checksum (the next run says hit).
    expect(readFileSync(file).length).toBeGreaterThan(8);
    await expectDecodeWorks(["hit"]);
  });

  it("makes a new key when the key file is damaged, and the cache again", async () => {
    await expectDecodeWorks(["miss", "saved"]);
    const key = readFileSync(join(folder, "key"));
    writeFileSync(join(folder, "key"), key.subarray(0, 3));
    await expectDecodeWorks(["rejected: checksum", "saved"]);
    expect(readFileSync(join(folder, "key"))).toHaveLength(8);
    await expectDecodeWorks(["hit"]);
  });

  it("rejects another subcommand's cache put in its place (the same bundle, so V8 alone would take it)", async () => {
    await expectDecodeWorks(["miss", "saved"]);
    const help = await runBin(["help"]);
    expect(help.cache).toEqual(["miss", "saved"]);
    writeFileSync(cacheFileOf("decode-error"), readFileSync(cacheFileOf("help")));
    await expectDecodeWorks(["rejected: checksum", "saved"]);
    await expectDecodeWorks(["hit"]);
  });

  it("is not used from a folder others can write to, and the run still works", async () => {
    mkdirSync(folder, { mode: 0o700 });
    chmodSync(folder, 0o777);
    const run = await expectDecodeWorks([`off: ${folder} is open to others (mode 777)`]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(cacheFiles()).toEqual([]);
  });

  it("is not used from a folder owned by another user", async () => {
    // Running as root, the test can give the folder away; otherwise it can only be found so.
    mkdirSync(folder, { mode: 0o700 });
    if (process.getuid!() === 0) chownSync(folder, 65534, 65534);
    const owner = statSync(folder).uid;
    if (owner === process.getuid!()) return expect(process.getuid!()).not.toBe(0);
    await expectDecodeWorks([`off: ${folder} is owned by uid ${owner}`]);
    expect(readdirSync(folder)).toEqual([]);
  });

  it("is not used through a symbolic link", async () => {
    const real = join(temp, "elsewhere");
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, folder);
    await expectDecodeWorks([`off: ${folder} is not a directory`]);
    expect(readdirSync(real)).toEqual([]);
  });

  it("adds no file for an unknown subcommand", async () => {
    await expectDecodeWorks(["miss", "saved"]);
    const run = await runBin(["frobnicate"]);
    expect(run.exitCode).toBe(2);
    expect(run.cache).toEqual(["miss", "not saved: exit 2"]);
    expect(cacheFiles()).toEqual([expect.stringMatching(/-decode-error$/)]);
  });

  it(`keeps at most ${MAX_FILES} files in its folder, making room by removing the oldest and leftovers`, async () => {
    await expectDecodeWorks(["miss", "saved"]);
    const past = (seconds: number) => new Date(Date.now() - seconds * 1000);
    // Caches for another Node, the oldest first, to fill the folder; and a file a dead run half wrote.
    const fillers = Array.from({ length: MAX_FILES - 1 }, (_, i) => `v0.0.0-${process.arch}-0000000000000000-filler${String(i).padStart(2, "0")}`);
    for (const [i, name] of fillers.entries()) {
      writeFileSync(join(folder, name), "");
      utimesSync(join(folder, name), past(1000 - i), past(1000 - i));
    }
    const leftover = `${cacheFiles().find((name) => name.endsWith("-decode-error"))}.12345`;
    writeFileSync(join(folder, leftover), "half");
    utimesSync(join(folder, leftover), past(120), past(120));
    expect(cacheFiles()).toHaveLength(MAX_FILES + 1);

    const run = await runBin(["help"]);
    expect(run.exitCode).toBe(0);
    expect(run.cache).toEqual(["miss", "saved"]);
    expect(cacheFiles()).toHaveLength(MAX_FILES);
    expect(cacheFiles()).not.toContain(leftover);
    expect(cacheFiles()).not.toContain(fillers[0]);
    expect(cacheFiles()).toContain(fillers[1]);
    // The caches it kept are still used.
    await expectDecodeWorks(["hit"]);
  });
});

describe("the code caches of several bundles and builds", () => {
  it("a new build of a bundle replaces that bundle's cache for the word; other words' caches (other bundles) stay", async () => {
    mkdirSync(folder, { mode: 0o700 });
    const earlier = (word: string) => `${process.version}-${process.arch}-0123456789abcdef-${word}`;
    for (const word of ["decode-error", "help", "client-credentials"]) writeFileSync(join(folder, earlier(word)), "cache of an earlier build");
    await expectDecodeWorks(["miss", "saved"]);
    expect(cacheFiles()).toHaveLength(3);
    expect(cacheFiles()).toEqual(expect.arrayContaining([earlier("client-credentials"), earlier("help"), expect.stringMatching(/-[0-9a-f]{16}-decode-error$/)]));
    expect(cacheFiles()).not.toContain(earlier("decode-error"));
    // The whole program's cache for `help` does not take decode-error's away, nor the other way round.
    expect((await runBin(["help"])).cache).toEqual(["miss", "saved"]);
    expect(cacheFiles()).not.toContain(earlier("help"));
    await expectDecodeWorks(["hit"]);
    expect((await runBin(["help"])).cache).toEqual(["hit"]);
  });
});

describe("the code cache's checksum", () => {
  it("changes with the key, the name and any one byte", () => {
    const key = Buffer.from("01234567");
    const name = Buffer.from("v20-x64-abc-decode-error");
    const bytes = randomBytes(4096);
    const sum = checksum(key, [name, bytes]);
    expect(checksum(Buffer.from("01234568"), [name, bytes])).not.toBe(sum);
    expect(checksum(key, [Buffer.from("v20-x64-abc-decode-errox"), bytes])).not.toBe(sum);
    expect(checksum(key, [name, bytes.subarray(0, 4095)])).not.toBe(sum);
    for (const at of [0, 1000, 4095]) {
      const flipped = Buffer.from(bytes);
      flipped[at]! ^= 1;
      expect(checksum(key, [name, flipped])).not.toBe(sum);
    }
  });
});
