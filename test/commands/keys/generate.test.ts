import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.js";
import { introspect, startTestProvider } from "../../support/provider.js";
import { makeTempDir } from "../../support/temp.js";

const dir = makeTempDir("keys");

describe("oauth-cli keys generate", () => {
  it.each([
    ["ES256", "es.pem", { kty: "EC", crv: "P-256" }],
    ["RS256", "rs.pem", { kty: "RSA" }],
    ["EdDSA", "ed.json", { kty: "OKP", crv: "Ed25519" }],
  ])("%s: a 0600 private key, and a public JWKS the real provider accepts for private_key_jwt", async (alg, name, shape) => {
    const out = join(dir, name);
    const run = await runCli(["keys", "generate", "--alg", alg, "--out", out]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const jwks = JSON.parse(run.stdout) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    const jwk = jwks.keys[0] as Record<string, unknown>;
    expect(jwk).toMatchObject({ ...shape, alg, use: "sig" });
    expect(jwk.d).toBeUndefined();
    expect(readFileSync(out, "utf8")).toMatch(name.endsWith(".json") ? /"d":/ : /BEGIN PRIVATE KEY/);

    // The pair works end to end: the provider registers the printed set, the CLI signs with the file.
    const sandbox = await startTestProvider({ clientJwks: jwks });
    try {
      const kid = name.endsWith(".json") ? [] : ["--key-id", String(jwk.kid)];
      const cc = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", "sandbox-jwt", "--private-key", out, ...kid]);
      expect(cc.exitCode, cc.stderr).toBe(0);
      expect(await introspect(sandbox, JSON.parse(cc.stdout).access_token)).toMatchObject({ active: true, client_id: "sandbox-jwt" });
    } finally {
      await sandbox.close();
    }
  });

  it("a relative --out is written in the run's working directory (never the process's)", async () => {
    const cwd = makeTempDir("keys-cwd");
    const run = await runCli(["keys", "generate", "--out", "relative.pem"], { cwd });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(statSync(join(cwd, "relative.pem")).mode & 0o777).toBe(0o600);
    expect(() => statSync(join(process.cwd(), "relative.pem"))).toThrow(/ENOENT/);
  });

  it("--print jwk prints the one public JWK with the kid asked for", async () => {
    const run = await runCli(["keys", "generate", "--out", join(dir, "one.pem"), "--print", "jwk", "--kid", "my-key"]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ kty: "EC", kid: "my-key", alg: "ES256" });
  });

  it("never overwrites a file nor follows a symlink at --out: exit 2, named", async () => {
    const existing = join(dir, "existing.pem");
    writeFileSync(existing, "keep me");
    const run = await runCli(["keys", "generate", "--out", existing]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--out: ".*existing\.pem" already exists/);
    expect(readFileSync(existing, "utf8")).toBe("keep me");
    const link = join(dir, "link.pem");
    symlinkSync(join(dir, "target-not-there.pem"), link);
    const viaLink = await runCli(["keys", "generate", "--out", link]);
    expect(viaLink.exitCode).toBe(2);
    expect(() => statSync(join(dir, "target-not-there.pem"))).toThrow();
  });

  it("without --out: a usage error naming it", async () => {
    const run = await runCli(["keys", "generate"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--out FILE/);
    expect(run.stdout).toBe("");
  });
});
