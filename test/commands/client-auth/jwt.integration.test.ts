import { generateKeyPairSync } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.js";
import { completeLoginHttp } from "../../support/login.js";
import { authorizationUrl, introspect, pkcePair, startTestProvider, type Sandbox } from "../../support/provider.js";
import { makeTempDir } from "../../support/temp.js";

// A real oidc-provider that knows the public halves of these keys as the JWKS of sandbox-jwt.
const dir = makeTempDir("jwt");
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ed = generateKeyPairSync("ed25519");
const unregistered = generateKeyPairSync("ec", { namedCurve: "P-256" });
const files = {
  rsaPem: join(dir, "rsa.pem"),
  ecJwk: join(dir, "ec.jwk"),
  edPem: join(dir, "ed.pem"),
  encrypted: join(dir, "enc.pem"),
  unregistered: join(dir, "other.pem"),
};
writeFileSync(files.rsaPem, rsa.privateKey.export({ format: "pem", type: "pkcs1" }));
writeFileSync(files.ecJwk, JSON.stringify({ ...ec.privateKey.export({ format: "jwk" }), kid: "ec-1" }));
writeFileSync(files.edPem, ed.privateKey.export({ format: "pem", type: "pkcs8" }));
writeFileSync(files.encrypted, ec.privateKey.export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "hunter2" }));
writeFileSync(files.unregistered, unregistered.privateKey.export({ format: "pem", type: "pkcs8" }));

const JWT_SECRET = { id: "sandbox-jwt-secret", secret: "sandbox-jwt-secret-0123456789abcdef0123456789" };

let sandbox: Sandbox;
beforeAll(async () => {
  const keys = [
    { ...rsa.publicKey.export({ format: "jwk" }), kid: "rsa-1" },
    { ...ec.publicKey.export({ format: "jwk" }), kid: "ec-1" },
    { ...ed.publicKey.export({ format: "jwk" }), kid: "ed-1" },
  ];
  sandbox = await startTestProvider({ clientJwks: { keys } });
});
afterAll(async () => sandbox?.close());

const claimsLine = (stderr: string) => JSON.parse(/\* client_assertion claims (\{.*\}) \(signature redacted\)/.exec(stderr)?.[1] ?? "null") as Record<string, unknown> | null;
const headerLine = (stderr: string) => JSON.parse(/\* client_assertion header (\{.*\})/.exec(stderr)?.[1] ?? "null") as Record<string, unknown> | null;

describe("private_key_jwt against oidc-provider (RFC 7523 §2.2)", () => {
  it.each([
    ["RSA PEM (PKCS#1)", files.rsaPem, ["--key-id", "rsa-1"], "RS256"],
    ["EC JWK with its kid", files.ecJwk, [], "ES256"],
    ["Ed25519 PEM", files.edPem, ["--key-id", "ed-1"], "EdDSA"],
  ])("%s: a live token, the assertion traced with its signature redacted", async (_name, file, extra, alg) => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", "sandbox-jwt", "--auth-method", "private_key_jwt", "--private-key", file, ...extra, "-v"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const tokens = JSON.parse(run.stdout);
    expect(await introspect(sandbox, tokens.access_token)).toMatchObject({ active: true, client_id: "sandbox-jwt" });
    const claims = claimsLine(run.stderr);
    expect(claims).toMatchObject({ iss: "sandbox-jwt", sub: "sandbox-jwt", aud: `${sandbox.issuer}/token` });
    expect((claims?.exp as number) - (claims?.iat as number)).toBeLessThanOrEqual(60);
    expect(typeof claims?.jti).toBe("string");
    expect(headerLine(run.stderr)).toMatchObject({ alg });
    expect(run.stderr).toMatch(/client_assertion=\[redacted \d+ chars\]/);
    expect(run.stderr).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{20,}/);
  });

  it("the default method with discovery and a key is private_key_jwt; --assertion-audience issuer is accepted", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", "sandbox-jwt", "--private-key", files.ecJwk, "--assertion-audience", "issuer", "-v"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(claimsLine(run.stderr)).toMatchObject({ aud: sandbox.issuer });
  });

  it("an encrypted PEM key reads its passphrase from OAUTH_KEY_PASSPHRASE; without one, a usage error naming it", async () => {
    const args = ["client-credentials", "--issuer", sandbox.issuer, "--client-id", "sandbox-jwt", "--private-key", files.encrypted, "--key-id", "ec-1"];
    const ok = await runCli(args, { env: { OAUTH_KEY_PASSPHRASE: "hunter2" } });
    expect(ok.exitCode, ok.stderr).toBe(0);
    const missing = await runCli(args);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/--private-key: .* is an encrypted key: set OAUTH_KEY_PASSPHRASE/);
    const wrong = await runCli(args, { env: { OAUTH_KEY_PASSPHRASE: "nope" } });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toMatch(/wrong passphrase/);
  });

  it("a profile keeps the key's path, kid and method (never the key): client-credentials --profile signs with it", async () => {
    const config = join(dir, "config.json");
    const set = await runCli(["profile", "set", "jwt", "--config", config, "--issuer", sandbox.issuer, "--client-id", "sandbox-jwt", "--auth-method", "private_key_jwt", "--private-key", files.rsaPem, "--key-id", "rsa-1"]);
    expect(set.exitCode, set.stderr).toBe(0);
    expect(readFileSync(config, "utf8")).not.toMatch(/PRIVATE KEY/);
    const run = await runCli(["client-credentials", "--profile", "jwt", "--config", config]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await introspect(sandbox, JSON.parse(run.stdout).access_token)).toMatchObject({ active: true, client_id: "sandbox-jwt" });
  });

  it("a hand-edited profile's key path under ~ is expanded (no shell saw it)", async () => {
    const home = makeTempDir("jwt-home");
    copyFileSync(files.rsaPem, join(home, "client.pem"));
    const config = join(dir, "hand-edited.json");
    writeFileSync(config, JSON.stringify({ profiles: { jwt: { issuer: sandbox.issuer, "client-id": "sandbox-jwt", "auth-method": "private_key_jwt", "private-key": "~/client.pem", "key-id": "rsa-1" } } }));
    const run = await runCli(["client-credentials", "--profile", "jwt", "--config", config], { homedir: home });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await introspect(sandbox, JSON.parse(run.stdout).access_token)).toMatchObject({ active: true, client_id: "sandbox-jwt" });
  });

  it("a key the server does not know: invalid_client, exit 1, explained by the key and kid sent", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", "sandbox-jwt", "--private-key", files.unregistered, "--key-id", "nobody"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_client/);
    expect(run.stdout).toBe("");
  });
});

describe("client_secret_jwt against oidc-provider", () => {
  it("HS256 with the client secret gives a live token", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", JWT_SECRET.id, "--auth-method", "client_secret_jwt", "-v"], { env: { OAUTH_CLIENT_SECRET: JWT_SECRET.secret } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(headerLine(run.stderr)).toMatchObject({ alg: "HS256" });
    expect(run.stderr).not.toContain(JWT_SECRET.secret);
    expect(await introspect(sandbox, JSON.parse(run.stdout).access_token)).toMatchObject({ active: true, client_id: JWT_SECRET.id });
  });

  it("exchange redeems a code with an HS256 assertion", async () => {
    const { verifier, challenge } = pkcePair();
    const redirect = "http://127.0.0.1:8123/callback";
    const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { clientId: JWT_SECRET.id, redirectUri: redirect, challenge, scope: "openid" })));
    const run = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", JWT_SECRET.id, "--auth-method", "client_secret_jwt", "--code", final.searchParams.get("code")!, "--redirect-uri", redirect, "--code-verifier", verifier], { env: { OAUTH_CLIENT_SECRET: JWT_SECRET.secret } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await introspect(sandbox, JSON.parse(run.stdout).access_token)).toMatchObject({ active: true, client_id: JWT_SECRET.id });
  });

  it("a wrong secret is refused by the server: invalid_client, exit 1", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", JWT_SECRET.id, "--auth-method", "client_secret_jwt"], { env: { OAUTH_CLIENT_SECRET: "x".repeat(40) } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_client/);
  });
});
