import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peekJwt } from "../../../src/output/format.js";
import { startAuthorize } from "../../support/authorize.js";
import { runCli } from "../../support/cli.js";
import { thumbprintOf } from "../../support/dpop.js";
import { completeLoginHttp } from "../../support/login.js";
import { startTestProvider, type Sandbox } from "../../support/provider.js";
import { testPki } from "../../support/test-pki.js";

// `exchange` (a code from `authorize --no-exchange`) over mutual TLS, and token exchange (RFC 8693), through
// `token-exchange` and `grant`, with each client authentication method, against one real oidc-provider
// served over HTTPS and asking for client certificates. The sign-in is driven over HTTP (trusting the
// test CA): what is tested is the client's authentication (methods-by-command signs in in Chromium).
const pki = testPki("exchange-methods");
const { at } = pki;
const AT_TYPE = "urn:ietf:params:oauth:token-type:access_token";
const OTHER_API = "https://other-api.sandbox.test";

let sandbox: Sandbox;
beforeAll(async () => {
  pki.makeCa("/CN=exchange CA");
  pki.issue("client", "/CN=sandbox-mtls");
  pki.selfSigned("self", "/CN=sandbox-mtls-self");
  const self = new X509Certificate(readFileSync(at("self.pem")));
  const signing = generateKeyPairSync("ec", { namedCurve: "P-256" });
  writeFileSync(at("jwt.key"), signing.privateKey.export({ format: "pem", type: "pkcs8" }));
  sandbox = await startTestProvider({
    tls: { cert: readFileSync(at("server.pem"), "utf8"), key: readFileSync(at("server.key"), "utf8"), clientCa: readFileSync(at("ca.pem"), "utf8") },
    clientJwks: {
      keys: [
        { ...self.publicKey.export({ format: "jwk" }), x5c: [self.raw.toString("base64")] },
        { ...signing.publicKey.export({ format: "jwk" }), kid: "jwt-1", alg: "ES256", use: "sig" },
      ],
    },
  });
});
afterAll(async () => {
  await sandbox?.close();
});

const JWT_SECRET = { OAUTH_CLIENT_SECRET: "sandbox-jwt-secret-0123456789abcdef0123456789" };
const METHODS = [
  { method: "private_key_jwt", client: "sandbox-jwt", flags: () => ["--private-key", at("jwt.key"), "--key-id", "jwt-1"], env: {} },
  { method: "client_secret_jwt", client: "sandbox-jwt-secret", flags: () => [], env: JWT_SECRET },
  { method: "tls_client_auth", client: "sandbox-mtls", flags: () => ["--cert", at("client.pem"), "--key", at("client.key")], env: {} },
  { method: "self_signed_tls_client_auth", client: "sandbox-mtls-self", flags: () => ["--cert", at("self.pem"), "--key", at("self.key")], env: {} },
] as const;

const common = (m: (typeof METHODS)[number]) => ["--issuer", sandbox.issuer, "--ca-file", at("ca.pem"), "--client-id", m.client, "--auth-method", m.method, ...m.flags()];

/** A real access token of this server for the client, from client credentials with the same authentication. */
async function subjectToken(m: (typeof METHODS)[number]): Promise<string> {
  const run = await runCli(["client-credentials", ...common(m), "-o", "token"], { env: m.env });
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout.trim();
}

describe.each(METHODS.filter((m) => m.method.includes("tls")))("$method: exchange of a code from authorize --no-exchange", (m) => {
  it("the code is redeemed by `exchange` with --cert/--key; without the certificate it is refused", async () => {
    const run = startAuthorize([...common(m), "--scope", "openid", "--no-exchange", "-o", "json"], { env: m.env });
    // The redirect goes to the CLI's loopback listener, as the browser's would.
    await fetch(await completeLoginHttp((await run.url).href, { user: "gil", ca: readFileSync(at("ca.pem"), "utf8") }));
    const done = await run.done;
    expect(done.exitCode, done.stderr).toBe(0);
    const printed = JSON.parse(done.stdout) as { code: string; code_verifier: string; redirect_uri: string };
    expect(printed).not.toHaveProperty("access_token");
    const redeem = ["--code", printed.code, "--redirect-uri", printed.redirect_uri, "--code-verifier", printed.code_verifier, "-o", "json"];

    // Without the certificate the server cannot authenticate the client (RFC 8705 §2): no token.
    const withoutCert = common(m).filter((a, i, all) => !["--cert", "--key"].includes(a) && !["--cert", "--key"].includes(all[i - 1]!));
    const refused = await runCli(["exchange", ...withoutCert, ...redeem], { env: m.env });
    expect(refused.exitCode, refused.stderr).not.toBe(0);
    expect(refused.stdout).toBe("");

    const exchanged = await runCli(["exchange", ...common(m), ...redeem], { env: m.env });
    expect(exchanged.exitCode, exchanged.stderr).toBe(0);
    const tokens = JSON.parse(exchanged.stdout) as Record<string, string>;
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(peekJwt(tokens.id_token!)).toMatchObject({ aud: m.client });
  });
});

describe.each(METHODS)("$method: token exchange (RFC 8693)", (m) => {
  it("token-exchange: a live token of this server exchanged for one with the requested audience", async () => {
    const subject = await subjectToken(m);
    const run = await runCli(["token-exchange", ...common(m), "--subject-token", "-", "--subject-token-type", "access_token", "--audience", OTHER_API, "-o", "json"], { env: m.env, stdin: subject });
    expect(run.exitCode, run.stderr).toBe(0);
    const tokens = JSON.parse(run.stdout);
    expect(tokens.issued_token_type).toBe(AT_TYPE);
    const claims = peekJwt(tokens.access_token);
    expect(claims).toMatchObject({ aud: OTHER_API, client_id: m.client, subject_client_id: m.client });
    // Over mutual TLS the certificate authenticates the client only: the sandbox binds no token to it
    // (RFC 8705 §3 would put cnf["x5t#S256"] here), and the README's cells say just that.
    expect(claims).not.toHaveProperty("cnf");
  });

  it("grant --grant-type token-exchange: the same, spelled out with --param", async () => {
    const subject = await subjectToken(m);
    const run = await runCli(["grant", ...common(m), "--grant-type", "token-exchange", "--param", "subject_token=-", "--param", `subject_token_type=${AT_TYPE}`, "--resource", OTHER_API, "-o", "json"], { env: m.env, stdin: subject });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(peekJwt(JSON.parse(run.stdout).access_token)).toMatchObject({ aud: OTHER_API, client_id: m.client });
  });
});

describe("DPoP (RFC 9449) on token exchange", () => {
  it("token-exchange --dpop: the issued token is DPoP-bound to the proof's key (cnf.jkt)", async () => {
    const m = METHODS[1];
    const subject = await subjectToken(m);
    const keyFile = at("exchange-dpop.jwk");
    const run = await runCli(["token-exchange", ...common(m), "--subject-token", "-", "--subject-token-type", "access_token", "--audience", OTHER_API, "--dpop-key", keyFile, "-o", "json"], { env: m.env, stdin: subject });
    expect(run.exitCode, run.stderr).toBe(0);
    const tokens = JSON.parse(run.stdout);
    expect(tokens.token_type).toMatch(/^DPoP$/i);
    const jkt = await thumbprintOf(JSON.parse(readFileSync(keyFile, "utf8")));
    expect(peekJwt(tokens.access_token)).toMatchObject({ aud: OTHER_API, cnf: { jkt } });
  });

  it("without --dpop the exchanged token stays a Bearer token", async () => {
    const m = METHODS[1];
    const subject = await subjectToken(m);
    const run = await runCli(["token-exchange", ...common(m), "--subject-token", "-", "--subject-token-type", "access_token", "--audience", OTHER_API, "-o", "json"], { env: m.env, stdin: subject });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).token_type).toMatch(/^Bearer$/i);
    expect(peekJwt(JSON.parse(run.stdout).access_token)).not.toHaveProperty("cnf");
  });
});
