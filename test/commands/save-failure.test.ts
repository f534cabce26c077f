import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { introspect, startTestProvider, type Sandbox } from "../support/provider.js";
import { seedStore, tempDir } from "../store/support.js";

/**
 * The provider has answered (and, rotating, retired the old refresh token) but the tokens cannot
 * be written where asked: exit 5, a message saying where they are instead, and nothing lost.
 * The failing write must fail for root too (tests run as root): a directory sits where the
 * store's backup (`<store>.bak`) goes, so the save fails only after the lock, the read and the
 * request have all succeeded — EISDIR, whoever runs it.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

async function storeThatCannotBeReplaced(): Promise<{ store: string; seeded: Record<string, unknown> }> {
  const store = join(tempDir(), "tokens.json");
  const seeded = await seedStore(sandbox, store);
  mkdirSync(join(`${store}.bak`, "in-the-way"), { recursive: true });
  return { store, seeded };
}

describe("tokens received but not saved (exit 5)", () => {
  it("refresh --store: the new set goes to the rescue file, the output is as asked, and the message says where", async () => {
    const { store, seeded } = await storeThatCannotBeReplaced();
    const state = tempDir("oauth-cli-state-");
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token"], { env: { XDG_STATE_HOME: state } });
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
    expect(readJson(store).refresh_token).toBe(seeded.refresh_token);
  });

  it("when the rescue file cannot be written either, the whole set is printed on stdout as JSON, even with -o token", async () => {
    const { store, seeded } = await storeThatCannotBeReplaced();
    // A state folder below a regular file: ENOTDIR, for root too.
    const blocker = join(tempDir(), "a-file");
    writeFileSync(blocker, "");
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token"], { env: { XDG_STATE_HOME: join(blocker, "state") } });
    expect(run.exitCode, run.stderr).toBe(5);
    expect(run.stderr).toContain(`could not save the tokens to ${store}: a directory is in the way (EISDIR); they were printed on stdout as JSON instead`);
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(printed.refresh_token).not.toBe(seeded.refresh_token);
    expect(await introspect(sandbox, printed.refresh_token as string)).toMatchObject({ active: true });
  });

  it("refresh -o token without a store: a rotated refresh token that cannot be saved comes out whole on stdout", async () => {
    const { seeded } = await storeThatCannotBeReplaced();
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
