import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.js";
import { startTestProvider, type Sandbox } from "../../support/provider.js";
import { makeTempDir } from "../../support/temp.js";

// invalid_client from a real oidc-provider, explained from what this run's assertion carried.
const dir = makeTempDir("explain");
const registered = generateKeyPairSync("rsa", { modulusLength: 2048 });
const other = generateKeyPairSync("ec", { namedCurve: "P-256" });
const registeredFile = join(dir, "registered.pem");
const otherFile = join(dir, "other.pem");
writeFileSync(registeredFile, registered.privateKey.export({ format: "pem", type: "pkcs8" }));
writeFileSync(otherFile, other.privateKey.export({ format: "pem", type: "pkcs8" }));
const clientJwks = { keys: [{ ...registered.publicKey.export({ format: "jwk" }), kid: "good" }] };

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider({ clientJwks });
});
afterAll(async () => sandbox?.close());

/** The first cause listed under "Likely causes", and the whole explanation. */
async function refused(server: Sandbox, ...extra: string[]): Promise<{ first: string; stderr: string }> {
  const run = await runCli(["client-credentials", "--issuer", server.issuer, "--client-id", "sandbox-jwt", ...extra]);
  expect(run.exitCode, run.stderr).toBe(1);
  expect(run.stderr).toMatch(/invalid_client/);
  const first = /Likely causes, most likely first:\n\s+1\. ([^\n]+)/.exec(run.stderr)?.[1] ?? "";
  return { first, stderr: run.stderr };
}

describe("invalid_client with an assertion, explained (RFC 7523 §3)", () => {
  it("a key the server does not have: the key is the first cause, naming the kid and key type sent", async () => {
    const { first, stderr } = await refused(sandbox, "--private-key", otherFile, "--key-id", "stale-kid");
    expect(first).toMatch(/no key that verifies the assertion/);
    expect(stderr).toMatch(/kid "stale-kid", EC P-256 key, signing ES256/);
    // No secret was sent, so the secret causes are not offered first.
    expect(first).not.toMatch(/secret/);
  });

  it("a wrong aud: the audience is the first cause, comparing it with the token endpoint and the issuer", async () => {
    const { first, stderr } = await refused(sandbox, "--private-key", registeredFile, "--key-id", "good", "--assertion-audience", "https://elsewhere.example/token");
    expect(first).toMatch(/aud is not what the server expects/);
    expect(stderr).toContain(`aud sent: https://elsewhere.example/token, which is neither the token endpoint ${sandbox.issuer}/token nor the issuer ${sandbox.issuer}`);
    expect(stderr).toMatch(/--assertion-audience issuer/);
  });

  it("an algorithm the server does not list: warned before sending, then the first cause", async () => {
    const { first, stderr } = await refused(sandbox, "--private-key", registeredFile, "--key-id", "good", "--signing-alg", "RS384");
    expect(stderr).toMatch(/warning: the server lists token_endpoint_auth_signing_alg_values_supported .* which does not include RS384/);
    expect(first).toMatch(/algorithm the server .* does not allow/);
    expect(stderr).toMatch(/alg RS384 is not in the server's token_endpoint_auth_signing_alg_values_supported/);
  });

  it("a server clock far ahead: the assertion's exp has passed by its Date header", async () => {
    const skewed = await startTestProvider({ clientJwks, clockSkew: 600 });
    try {
      const { first, stderr } = await refused(skewed, "--private-key", registeredFile, "--key-id", "good");
      expect(first).toMatch(/exp had passed by the server's clock/);
      expect(stderr).toMatch(/\(60 s\), but the server's Date header says/);
    } finally {
      await skewed.close();
    }
  });
});
