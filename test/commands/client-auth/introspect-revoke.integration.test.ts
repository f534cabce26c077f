import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.js";
import { introspect, startTestProvider, type Sandbox } from "../../support/provider.js";
import { makeTempDir } from "../../support/temp.js";

// introspect and revoke authenticate the client as the token endpoint does (RFC 7662 §2.1, RFC 7009 §2.1
// point to RFC 6749 §2.3): a real oidc-provider that knows sandbox-jwt's public key and sandbox-jwt-secret's secret.
const dir = makeTempDir("introspect-revoke");
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const unregistered = generateKeyPairSync("ec", { namedCurve: "P-256" });
const keyFile = join(dir, "ec.pem");
const otherKeyFile = join(dir, "other.pem");
writeFileSync(keyFile, ec.privateKey.export({ format: "pem", type: "pkcs8" }));
writeFileSync(otherKeyFile, unregistered.privateKey.export({ format: "pem", type: "pkcs8" }));

const JWT_SECRET = { id: "sandbox-jwt-secret", secret: "sandbox-jwt-secret-0123456789abcdef0123456789" };
const PRIVATE_KEY = ["--client-id", "sandbox-jwt", "--private-key", keyFile, "--key-id", "ec-1"];

let sandbox: Sandbox;
let discovery: { introspection_endpoint: string; revocation_endpoint: string };
beforeAll(async () => {
  sandbox = await startTestProvider({ clientJwks: { keys: [{ ...ec.publicKey.export({ format: "jwk" }), kid: "ec-1" }] } });
  discovery = (await (await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).json()) as typeof discovery;
});
afterAll(async () => sandbox?.close());

const claimsOf = (stderr: string) => [...stderr.matchAll(/\* client_assertion claims (\{.*\}) \(signature redacted\)/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);

async function tokenFor(args: string[], env: Record<string, string> = {}): Promise<string> {
  const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, ...args], { env });
  expect(run.exitCode, run.stderr).toBe(0);
  return JSON.parse(run.stdout).access_token as string;
}

describe("client_secret_jwt at the introspection and revocation endpoints (RFC 7523 §2.2)", () => {
  it("introspect, then revoke, then introspect again: each with an assertion whose aud is the endpoint called", async () => {
    const env = { OAUTH_CLIENT_SECRET: JWT_SECRET.secret };
    const token = await tokenFor(["--client-id", JWT_SECRET.id, "--auth-method", "client_secret_jwt"], env);
    const args = ["--issuer", sandbox.issuer, "--client-id", JWT_SECRET.id, "--auth-method", "client_secret_jwt", "--token", token, "-o", "json", "-v"];

    const before = await runCli(["introspect", ...args], { env });
    expect(before.exitCode, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ active: true, client_id: JWT_SECRET.id });
    expect(claimsOf(before.stderr)).toEqual([expect.objectContaining({ iss: JWT_SECRET.id, sub: JWT_SECRET.id, aud: discovery.introspection_endpoint })]);
    expect(before.stderr).toMatch(/client_assertion=\[redacted \d+ chars\]/);
    expect(before.stderr).not.toContain(JWT_SECRET.secret);

    const revoke = await runCli(["revoke", ...args], { env });
    expect(revoke.exitCode, revoke.stderr).toBe(0);
    expect(claimsOf(revoke.stderr)).toEqual([expect.objectContaining({ aud: discovery.revocation_endpoint })]);

    const after = await runCli(["introspect", ...args], { env });
    expect(after.exitCode, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ active: false });
  });

  it("a wrong secret signs an assertion the server refuses: invalid_client, exit 1, explained", async () => {
    const token = await tokenFor(["--client-id", JWT_SECRET.id, "--auth-method", "client_secret_jwt"], { OAUTH_CLIENT_SECRET: JWT_SECRET.secret });
    const run = await runCli(["introspect", "--issuer", sandbox.issuer, "--client-id", JWT_SECRET.id, "--auth-method", "client_secret_jwt", "--token", token], {
      env: { OAUTH_CLIENT_SECRET: "not-the-secret-0123456789abcdef0123456789" },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_client/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe("private_key_jwt at the introspection and revocation endpoints (RFC 7523 §2.2)", () => {
  it("introspect and revoke with the client's key; --assertion-audience issuer is accepted too", async () => {
    const token = await tokenFor(PRIVATE_KEY);
    const introspected = await runCli(["introspect", "--issuer", sandbox.issuer, ...PRIVATE_KEY, "--token", token, "-o", "json", "-v"]);
    expect(introspected.exitCode, introspected.stderr).toBe(0);
    expect(JSON.parse(introspected.stdout)).toMatchObject({ active: true, client_id: "sandbox-jwt" });
    expect(claimsOf(introspected.stderr)).toEqual([expect.objectContaining({ iss: "sandbox-jwt", aud: discovery.introspection_endpoint })]);
    expect(introspected.stderr).toMatch(/client_assertion header \{[^}]*"alg":"ES256"[^}]*"kid":"ec-1"/);

    const revoked = await runCli(["revoke", "--issuer", sandbox.issuer, ...PRIVATE_KEY, "--assertion-audience", "issuer", "--token", token, "-v"]);
    expect(revoked.exitCode, revoked.stderr).toBe(0);
    expect(claimsOf(revoked.stderr)).toEqual([expect.objectContaining({ aud: sandbox.issuer })]);
    expect(await introspect(sandbox, token)).toMatchObject({ active: false });
  });

  it("revoke --store sends one assertion per request, each with its own jti", async () => {
    const store = join(dir, "tokens.json");
    const seed = await runCli(["client-credentials", "--issuer", sandbox.issuer, ...PRIVATE_KEY, "--store", store]);
    expect(seed.exitCode, seed.stderr).toBe(0);
    const check = await runCli(["introspect", "--store", store, "--private-key", keyFile, "--key-id", "ec-1", "--require-active"]);
    expect(check.exitCode, check.stderr).toBe(0);
    const run = await runCli(["revoke", "--store", store, "--private-key", keyFile, "--key-id", "ec-1", "-v"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const sent = claimsOf(run.stderr);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(new Set(sent.map((c) => c.jti)).size).toBe(sent.length);
    const gone = await runCli(["introspect", "--store", store, "--private-key", keyFile, "--key-id", "ec-1", "--require-active"]);
    expect(gone.exitCode).toBe(1);
  });

  it("a key the client did not register: invalid_client, exit 1, no stack trace", async () => {
    const token = await tokenFor(PRIVATE_KEY);
    const run = await runCli(["revoke", "--issuer", sandbox.issuer, "--client-id", "sandbox-jwt", "--private-key", otherKeyFile, "--token", token]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_client/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(await introspect(sandbox, token)).toMatchObject({ active: true });
  });
});
