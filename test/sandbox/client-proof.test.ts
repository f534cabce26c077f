import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { startSandboxCommand } from "../support/sandbox-command.js";
import { makeTempDir } from "../support/temp.js";

describe("oauth-cli sandbox --client-jwks", () => {
  it("registers sandbox-jwt with the given public keys: a key from `keys generate` then authenticates", async () => {
    const dir = makeTempDir("sandbox-jwks");
    const key = join(dir, "client.json");
    const generated = await runCli(["keys", "generate", "--out", key]);
    expect(generated.exitCode, generated.stderr).toBe(0);
    writeFileSync(join(dir, "jwks.json"), generated.stdout);
    const sandbox = await startSandboxCommand(["--port", "0", "-q", "--client-jwks", join(dir, "jwks.json")]);
    try {
      expect(sandbox.info.clients).toEqual(expect.arrayContaining([expect.objectContaining({ client_id: "sandbox-jwt", token_endpoint_auth_method: "private_key_jwt" })]));
      const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", "sandbox-jwt", "--private-key", key]);
      expect(run.exitCode, run.stderr).toBe(0);
    } finally {
      await sandbox.stop();
    }
  });

  it("a file that is not a JWK Set, or --tls-cert alone: usage errors naming the flag", async () => {
    const dir = makeTempDir("sandbox-bad");
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    writeFileSync(join(dir, "key.pem"), privateKey.export({ format: "pem", type: "pkcs8" }));
    const bad = await runCli(["sandbox", "--port", "0", "--client-jwks", join(dir, "key.pem")]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--client-jwks: ".*key\.pem" is not a JWK Set/);
    const half = await runCli(["sandbox", "--port", "0", "--tls-cert", join(dir, "key.pem")]);
    expect(half.exitCode).toBe(2);
    expect(half.stderr).toMatch(/--tls-cert and --tls-key go together/);
  });
});
