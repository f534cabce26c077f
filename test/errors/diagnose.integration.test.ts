import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, BASIC, pkcePair, PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";
import { causes } from "../support/causes.js";

// Each error produced for real by oidc-provider; the assertions are on the ranked cause and on what
// the tool says it saw. The record of used codes lives in a fresh XDG_STATE_HOME per file.
let sandbox: Sandbox;
let skewed: Sandbox;
let jsonOnly: Sandbox;
const state = makeTempDir("state");
const env = { XDG_STATE_HOME: state };
beforeAll(async () => {
  [sandbox, skewed, jsonOnly] = await Promise.all([startTestProvider(), startTestProvider({ clockSkew: 600 }), startTestProvider({ requireJsonBody: true })]);
});
afterAll(async () => Promise.all([sandbox?.close(), skewed?.close(), jsonOnly?.close()]));

const REDIRECT = "http://127.0.0.1:8123/callback";

async function freshCode(server = sandbox): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const final = new URL(await completeLoginHttp(authorizationUrl(server, { redirectUri: REDIRECT, challenge, scope: "openid offline_access" })));
  return { code: final.searchParams.get("code")!, verifier };
}

function exchange(code: string, verifier: string, server = sandbox, redirect = REDIRECT) {
  return runCli(["exchange", "--issuer", server.issuer, "--client-id", PUBLIC.id, "--code", code, "--redirect-uri", redirect, "--code-verifier", verifier], { env });
}

describe("invalid_grant on exchange", () => {
  it("a code exchanged twice: code-reused first, with our record of the first exchange", async () => {
    const { code, verifier } = await freshCode();
    expect((await exchange(code, verifier)).exitCode).toBe(0);
    const again = await exchange(code, verifier);
    expect(again.exitCode).toBe(1);
    const [first] = causes(again.stderr);
    expect(first!.text).toMatch(/already redeemed/);
    expect(first!.seen.join("\n")).toMatch(/oauth-cli already redeemed this code at this token endpoint \d+ s ago .*: the server answered with tokens/);
    expect(again.stderr).not.toContain(code);
    // The record that made this possible: 0600, hashed, never the code itself.
    const record = join(state, "oauth-cli", "used-grants.json");
    expect(statSync(record).mode & 0o777).toBe(0o600);
    expect(readFileSync(record, "utf8")).not.toContain(code);
  });

  it("a redirect_uri other than the authorization request's: redirect-uri-mismatch first", async () => {
    const { code, verifier } = await freshCode();
    const run = await exchange(code, verifier, sandbox, "http://127.0.0.1:8123/cb");
    const [first] = causes(run.stderr);
    expect(first!.text).toMatch(/redirect_uri sent to the token endpoint differs/);
    expect(first!.seen).toContain("the exchange sent redirect_uri http://127.0.0.1:8123/cb; it must equal the authorization request's byte for byte");
  });

  it("a code_verifier that does not match: pkce-verifier-mismatch first", async () => {
    const { code } = await freshCode();
    const run = await exchange(code, pkcePair().verifier);
    const [first] = causes(run.stderr);
    expect(first!.text).toMatch(/code_verifier does not hash/);
    expect(first!.seen.join("\n")).toMatch(/a well-formed code_verifier was sent/);
  });
});

describe("invalid_grant on refresh", () => {
  it("a rotated refresh token used again: refresh-token-reused first, code causes last", async () => {
    const { code, verifier } = await freshCode();
    const first = JSON.parse((await exchange(code, verifier)).stdout);
    const refreshed = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--refresh-token", first.refresh_token], { env });
    expect(JSON.parse(refreshed.stdout).rotated).toBe(true);
    const reused = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--refresh-token", first.refresh_token], { env });
    expect(reused.exitCode).toBe(1);
    const list = causes(reused.stderr);
    expect(list[0]!.text).toMatch(/rotated refresh token was used again/);
    expect(list[0]!.seen.join("\n")).toMatch(/already used this refresh token \d+ s ago and the server answered with a new one: it rotates/);
    expect(list.map((c) => c.text).join("\n")).not.toMatch(/authorization code was already redeemed|redirect_uri sent to the token endpoint/);
  });

  it("the server's clock is 10 minutes ahead: said on success, and clock-skew is evidence on error", async () => {
    const { code, verifier } = await freshCode(skewed);
    const ok = await exchange(code, verifier, skewed);
    expect(ok.exitCode).toBe(0);
    expect(ok.stderr).toMatch(/warning: the server's clock \(Date: .*\) is (59\d|60\d) s ahead of ours/);
    const rt = JSON.parse(ok.stdout).refresh_token;
    await runCli(["refresh", "--issuer", skewed.issuer, "--client-id", PUBLIC.id, "--refresh-token", rt], { env });
    const reused = await runCli(["refresh", "--issuer", skewed.issuer, "--client-id", PUBLIC.id, "--refresh-token", rt], { env });
    const list = causes(reused.stderr);
    const skew = list.find((c) => /client clock is off/.test(c.text));
    expect(skew?.seen.join("\n")).toMatch(/the server's clock \(Date: .*\) is (59\d|60\d) s ahead of ours/);
  });
});

describe("invalid_client", () => {
  it("a wrong secret, with --token-endpoint: discovery is fetched late to compare the method", async () => {
    const run = await runCli(["client-credentials", "--token-endpoint", `${sandbox.issuer}/token`, "--issuer", sandbox.issuer, "--client-id", BASIC.id], { env: { ...env, OAUTH_CLIENT_SECRET: "S3cr3t-wr0ng-value" } });
    expect(run.exitCode).toBe(1);
    const [first, ...rest] = causes(run.stderr);
    expect(first!.text).toMatch(/client secret is wrong/);
    expect(first!.seen).toContain("a client secret from env was sent with client_secret_basic and refused");
    expect(rest.flatMap((c) => c.seen).join("\n")).toMatch(/client_secret_basic, which discovery lists as supported/);
    expect(run.stderr).not.toContain("S3cr3t-wr0ng-value");
  });

  it("a secret file with a trailing space and newline: secret-whitespace first", async () => {
    const file = join(state, "secret.txt");
    writeFileSync(file, `${BASIC.secret} \n`);
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--client-secret-file", file], { env });
    const [first] = causes(run.stderr);
    expect(first!.text).toMatch(/trailing newline, space or quote/);
    expect(first!.seen).toContain("the secret sent (from file) has surrounding whitespace or a line break");
  });
});

describe("invalid_scope and body format", () => {
  it("a refresh asking for more scope than granted", async () => {
    const { code, verifier } = await freshCode();
    const first = JSON.parse((await exchange(code, verifier)).stdout);
    const run = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--refresh-token", first.refresh_token, "--scope", "openid api:write"], { env });
    expect(run.stderr).toMatch(/invalid_scope/);
    const list = causes(run.stderr);
    expect(list[0]!.text).toMatch(/On refresh, the scope asks for more than the original grant/);
    expect(list[0]!.seen).toContain('this refresh asked for scope "openid api:write"; on refresh the scope must be within what the user granted originally');
    expect(list.flatMap((c) => c.seen)).toContain("every scope asked for (openid, api:write) is in discovery's scopes_supported");
  });

  it("a JSON-only token endpoint (seed 003): --body-format json first", async () => {
    const run = await runCli(["client-credentials", "--issuer", jsonOnly.issuer, "--client-id", BASIC.id], { env: { ...env, OAUTH_CLIENT_SECRET: BASIC.secret } });
    const [first] = causes(run.stderr);
    expect(first!.text).toMatch(/POST body was not JSON/);
    expect(first!.seen).toContain("the request body was sent as form and the server answered 415");
  });
});
