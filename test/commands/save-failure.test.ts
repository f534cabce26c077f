import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../../src/http/send.js";
import type { HttpClient } from "../../src/http/types.js";
import { rescueOf, rescuePath } from "../../src/commands/shared/save-tokens.js";
import { runCli } from "../support/cli.js";
import { introspect, PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { seedStore, tempDir } from "../store/support.js";

/**
 * The provider has answered (and, rotating, retired the old refresh token) but the tokens cannot
 * be written where asked: exit 5, a message saying where they are instead, and nothing lost.
 * The failing write must fail for root too (tests run as root), and only after the lock, the read
 * and the request have all succeeded: the moment the provider has answered, the stored set is
 * moved aside and a directory takes the store's place, so the save meets EISDIR whoever runs it.
 * (A directory at `<store>.bak` no longer does: a backup in the way is skipped with a warning, and
 * the store is saved regardless — test/store/hostile-lock.test.ts.)
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

/** Real HTTP; once the token endpoint has answered, a directory sits where the store was (the old set in `<store>.old`). */
function blockStoreOnAnswer(store: string): HttpClient {
  const real = createHttpClient({}, () => Date.now());
  return {
    async send(request, options) {
      const exchange = await real.send(request, options);
      if (request.url.endsWith("/token") && exchange.response !== undefined) {
        renameSync(store, `${store}.old`);
        mkdirSync(store);
      }
      return exchange;
    },
    close: async () => real.close?.(),
  };
}

async function storeThatCannotBeReplaced(): Promise<{ store: string; seeded: Record<string, unknown>; http: HttpClient }> {
  const store = join(tempDir(), "tokens.json");
  const seeded = await seedStore(sandbox, store);
  return { store, seeded, http: blockStoreOnAnswer(store) };
}

/** The failed save wrote nothing: the directory in the way is empty, no temp file is left, the old set is as it was. */
function expectNothingWritten(store: string, seeded: Record<string, unknown>): void {
  expect(readdirSync(store)).toEqual([]);
  expect(readdirSync(dirname(store)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  expect(readJson(`${store}.old`).refresh_token).toBe(seeded.refresh_token);
}

describe("tokens received but not saved (exit 5)", () => {
  it("refresh --store: the new set goes to the rescue file, the output is as asked, and the message says where", async () => {
    const { store, seeded, http } = await storeThatCannotBeReplaced();
    const state = tempDir("oauth-cli-state-");
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token"], { env: { XDG_STATE_HOME: state }, http });
    expect(run.exitCode, run.stderr).toBe(5);
    expect(run.stderr).toContain(`could not save the tokens to ${store}: a directory is in the way (EISDIR)`);
    const rescue = /they are saved in (\S+) \(mode 0600\) instead/.exec(run.stderr)?.[1];
    expect(rescue, run.stderr).toBeDefined();
    expect(rescue!.startsWith(join(state, "oauth-cli"))).toBe(true);
    expect(run.stderr).not.toMatch(/usage|\n\s+at /);
    // -o token still prints the access token alone; the rotated refresh token is in the rescue file, and it is live.
    const rescued = readJson(rescue!);
    expect(run.stdout).toBe(`${String(rescued.access_token)}\n`);
    expect(rescued.refresh_token).not.toBe(seeded.refresh_token);
    expect(await introspect(sandbox, rescued.refresh_token as string)).toMatchObject({ active: true });
    // The store itself is untouched: still the old set.
    expectNothingWritten(store, seeded);
  });

  it("the rescue file is the grant's own and never overwrites one already there; the hint is the command that carries on", async () => {
    const { store, seeded, http } = await storeThatCannotBeReplaced();
    const state = tempDir("oauth-cli-state-");
    // Named after the endpoint, the client and the refresh token spent; something already there is kept.
    const tokenEndpoint = `${sandbox.issuer}/token`;
    const spent = { endpoints: { tokenEndpoint }, grant: { grant_type: "refresh_token", refresh_token: String(seeded.refresh_token) } };
    const first = rescuePath(rescueOf({ env: { XDG_STATE_HOME: state }, homedir: tempDir() }, spent), { tokenEndpoint, clientId: PUBLIC.id });
    mkdirSync(dirname(first), { recursive: true });
    writeFileSync(first, "an earlier rescue\n", { mode: 0o600 });
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token"], { env: { XDG_STATE_HOME: state }, http });
    expect(run.exitCode, run.stderr).toBe(5);
    const rescue = /they are saved in (\S+) \(mode 0600\) instead/.exec(run.stderr)?.[1];
    expect(rescue).toBe(first.replace(/\.json$/, "-2.json"));
    expect(readFileSync(first, "utf8")).toBe("an earlier rescue\n");
    expect(readJson(rescue!).access_token).toBe(run.stdout.trim());
    expect(run.stderr).toContain(`Carry on from there (oauth-cli refresh --store ${rescue} -o token)`);
  });

  it("when the rescue file cannot be written either, the whole set is printed on stdout as JSON, even with -o token", async () => {
    const { store, seeded, http } = await storeThatCannotBeReplaced();
    // A state folder below a regular file: ENOTDIR, for root too.
    const blocker = join(tempDir(), "a-file");
    writeFileSync(blocker, "");
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token"], { env: { XDG_STATE_HOME: join(blocker, "state") }, http });
    expect(run.exitCode, run.stderr).toBe(5);
    expect(run.stderr).toContain(`could not save the tokens to ${store}: a directory is in the way (EISDIR); they were printed on stdout as JSON instead`);
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(printed.refresh_token).not.toBe(seeded.refresh_token);
    expect(await introspect(sandbox, printed.refresh_token as string)).toMatchObject({ active: true });
    expectNothingWritten(store, seeded);
  });

  it("refresh -o token without a store: a rotated refresh token that cannot be saved comes out whole on stdout", async () => {
    const seeded = await seedStore(sandbox, join(tempDir(), "tokens.json"));
    const blocker = join(tempDir(), "a-file");
    writeFileSync(blocker, "");
    const run = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", "sandbox-public", "--refresh-token", String(seeded.refresh_token), "-o", "token"], {
      env: { XDG_STATE_HOME: join(blocker, "state") },
    });
    expect(run.exitCode, run.stderr).toBe(5);
    expect(run.stderr).toMatch(/could not save the tokens to \S+: a part of the path is not a folder \(ENOTDIR\); they were printed on stdout as JSON instead/);
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(await introspect(sandbox, printed.refresh_token as string)).toMatchObject({ active: true });
  });

  it("the exit-code table in --help documents exit 5", async () => {
    const help = await runCli(["client-credentials", "--help"]);
    expect(help.stdout).toMatch(/\n {2}5 {4}tokens received but not saved/);
  });
});
