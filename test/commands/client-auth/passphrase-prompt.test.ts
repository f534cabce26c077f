import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prompter } from "../../../src/context.js";
import { runCli } from "../../support/cli.js";
import { introspect, startTestProvider, type Sandbox } from "../../support/provider.js";
import { makeTempDir } from "../../support/temp.js";

// On a terminal with no OAUTH_KEY_PASSPHRASE, an encrypted key's passphrase is asked for, hidden.
const dir = makeTempDir("prompt");
const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
const keyFile = join(dir, "enc.pem");
writeFileSync(keyFile, pair.privateKey.export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "open sesame" }));

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider({ clientJwks: { keys: [{ ...pair.publicKey.export({ format: "jwk" }), kid: "p" }] } });
});
afterAll(async () => sandbox?.close());

function prompterAnswering(answer: string, asked: string[]): Prompter {
  return {
    input: async () => { throw new Error("the passphrase must not be asked with a visible prompt"); },
    checkbox: async () => [],
    password: async (q) => { asked.push(q.message); return answer; },
  };
}

describe("an encrypted --private-key on a terminal", () => {
  it("asks for the passphrase with a hidden prompt naming the file, and signs with the key", async () => {
    const asked: string[] = [];
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", "sandbox-jwt", "--private-key", keyFile, "--key-id", "p", "-o", "json"], {
      stdinTTY: true, stderrTTY: true, prompter: prompterAnswering("open sesame", asked),
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(asked).toEqual([`Passphrase for ${keyFile}`]);
    expect(await introspect(sandbox, JSON.parse(run.stdout).access_token)).toMatchObject({ active: true });
  });

  it("a wrong answer: a usage error saying the passphrase is wrong, exit 2", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", "sandbox-jwt", "--private-key", keyFile], {
      stdinTTY: true, stderrTTY: true, prompter: prompterAnswering("nope", []),
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--private-key: ".*enc\.pem" could not be decrypted: wrong passphrase/);
  });
});
