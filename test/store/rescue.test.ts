import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveNewStore } from "../../src/store/index.js";
import { runCli } from "../support/cli.js";
import { introspect, PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { seedStore, tempDir } from "./support.js";
import { makeTempDir } from "../support/temp.js";

/*
 * `refresh -o token` without --store prints the access token alone, so a rotated refresh token is
 * saved in a file of its own. That file used to be keyed by endpoint and client only: a second
 * grant of the same client overwrote the first one's new refresh token, lost for good.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;

describe("refresh -o token keeps every rotated refresh token", () => {
  it("two grants of one client: two files, both refresh tokens live, and the printed command carries on from each", async () => {
    const env = { XDG_STATE_HOME: makeTempDir("state") };
    const grants = [await seedStore(sandbox, join(tempDir(), "a.json")), await seedStore(sandbox, join(tempDir(), "b.json"))];
    const saved: string[] = [];
    const commands: string[] = [];
    for (const grant of grants) {
      const run = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--refresh-token", String(grant.refresh_token), "-o", "token"], { env });
      expect(run.exitCode, run.stderr).toBe(0);
      saved.push(/saved in (\S+) \(mode 0600\)/.exec(run.stderr)![1]!);
      commands.push(/Carry on from it with: (.+)\n/.exec(run.stderr)![1]!);
      expect(readJson(saved.at(-1)!).access_token).toBe(run.stdout.trim());
    }
    expect(saved[0]).not.toBe(saved[1]);
    for (const path of saved) {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(await introspect(sandbox, readJson(path).refresh_token!)).toMatchObject({ active: true });
    }
    // The exact command printed works as given (the paths here need no quoting).
    for (const [i, command] of commands.entries()) {
      expect(command).toBe(`oauth-cli refresh --store ${saved[i]} -o token`);
      const words = command.split(" ").slice(1);
      const asPrinted = await runCli(words, { env });
      expect(asPrinted.exitCode, asPrinted.stderr).toBe(0);
      expect(asPrinted.stdout.trim()).toBe(readJson(saved[i]!).access_token); // still fresh: from the file
      const next = await runCli([...words, "--force"], { env });
      expect(next.exitCode, next.stderr).toBe(0);
      expect(readJson(saved[i]!).access_token).toBe(next.stdout.trim());
      expect(await introspect(sandbox, readJson(saved[i]!).refresh_token!)).toMatchObject({ active: true });
    }
  });

  it("never overwrites an unspent token: a second answer for the same spent refresh token gets a file of its own", () => {
    const dir = tempDir();
    const meta = { tokenEndpoint: "https://as.example/token", clientId: "app" };
    const first = saveNewStore(dir, "spent-rt", { access_token: "a1", token_type: "Bearer", refresh_token: "new-1" }, meta, Date.now());
    const second = saveNewStore(dir, "spent-rt", { access_token: "a2", token_type: "Bearer", refresh_token: "new-2" }, meta, Date.now());
    expect(second).not.toBe(first);
    expect(readJson(first).refresh_token).toBe("new-1");
    expect(readJson(second).refresh_token).toBe("new-2");
    // Another spent token (another grant) of the same client: another name altogether.
    const other = saveNewStore(dir, "other-rt", { access_token: "a3", token_type: "Bearer", refresh_token: "new-3" }, meta, Date.now());
    expect(other.replace(/-\d+\.json$/, ".json")).not.toBe(first);
  });
});
