import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.js";
import { useDiscoveryStandIn } from "../../support/discovery-stand-in.js";
import { startTestProvider, type Sandbox } from "../../support/provider.js";
import { testPki } from "../../support/test-pki.js";

// Certificates made here with openssl: a CA, the server's certificate for 127.0.0.1, a client
// certificate the CA issued (tls_client_auth), and a self-signed one (self_signed_tls_client_auth).
const pki = testPki("mtls");
const { at, openssl } = pki;

let sandbox: Sandbox;
let selfSignedJwk: Record<string, unknown>;
beforeAll(async () => {
  pki.makeCa();
  pki.issue("client", "/CN=sandbox-mtls");
  pki.issue("stranger", "/CN=someone-else");
  pki.selfSigned("self", "/CN=sandbox-mtls-self");
  // An encrypted copy of the client key, to read with a passphrase.
  openssl("pkcs8", "-topk8", "-in", "client.key", "-out", "client-enc.key", "-passout", "pass:s3cret", "-v2", "aes-256-cbc");
  const self = new X509Certificate(readFileSync(at("self.pem")));
  selfSignedJwk = { ...self.publicKey.export({ format: "jwk" }), x5c: [self.raw.toString("base64")] };
  sandbox = await startTestProvider({
    tls: { cert: readFileSync(at("server.pem"), "utf8"), key: readFileSync(at("server.key"), "utf8"), clientCa: readFileSync(at("ca.pem"), "utf8") },
    clientJwks: { keys: [selfSignedJwk] },
  });
});
afterAll(async () => sandbox?.close());

const cc = (client: string, ...extra: string[]) => ["client-credentials", "--issuer", sandbox.issuer, "--client-id", client, "--ca-file", at("ca.pem"), ...extra];

describe("mutual TLS client authentication against oidc-provider over HTTPS (RFC 8705)", () => {
  it("tls_client_auth: the CA-issued certificate with the registered subject gets a token", async () => {
    const run = await runCli(cc("sandbox-mtls", "--auth-method", "tls_client_auth", "--cert", at("client.pem"), "--key", at("client.key"), "-v"));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).access_token).toEqual(expect.any(String));
    expect(sandbox.issuer).toMatch(/^https:/);
    // The key never shows up in the trace.
    expect(run.stderr).not.toContain("PRIVATE KEY");
  });

  it("with discovery and only a certificate, the default method is tls_client_auth; client_id goes in the body", async () => {
    const run = await runCli(cc("sandbox-mtls", "--cert", at("client.pem"), "--key", at("client.key"), "-v"));
    expect(run.exitCode, run.stderr).toBe(0);
    const body = run.stderr.split("\n").find((line) => line.startsWith("> grant_type="));
    expect(body).toBe("> grant_type=client_credentials&client_id=sandbox-mtls");
    expect(run.stderr).not.toMatch(/^> Authorization:/m);
  });

  it("an encrypted key reads its passphrase from OAUTH_KEY_PASSPHRASE", async () => {
    const run = await runCli(cc("sandbox-mtls", "--auth-method", "tls_client_auth", "--cert", at("client.pem"), "--key", at("client-enc.key")), { env: { OAUTH_KEY_PASSPHRASE: "s3cret" } });
    expect(run.exitCode, run.stderr).toBe(0);
    const none = await runCli(cc("sandbox-mtls", "--auth-method", "tls_client_auth", "--cert", at("client.pem"), "--key", at("client-enc.key")));
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/--key: .* is an encrypted key: set OAUTH_KEY_PASSPHRASE/);
  });

  it("a certificate with another subject is refused: invalid_client, exit 1", async () => {
    const run = await runCli(cc("sandbox-mtls", "--auth-method", "tls_client_auth", "--cert", at("stranger.pem"), "--key", at("stranger.key")));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_client/);
  });

  it("self_signed_tls_client_auth: the certificate registered in the client's JWKS gets a token", async () => {
    const run = await runCli(cc("sandbox-mtls-self", "--auth-method", "self_signed_tls_client_auth", "--cert", at("self.pem"), "--key", at("self.key")));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).access_token).toEqual(expect.any(String));
  });

  it("a key that is not the certificate's: usage error naming both files, nothing sent", async () => {
    const run = await runCli(cc("sandbox-mtls", "--cert", at("client.pem"), "--key", at("self.key")));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--key: ".*self\.key" is not the private key of the certificate in ".*client\.pem"/);
  });

  it("--cert without --key is a usage error", async () => {
    const run = await runCli(cc("sandbox-mtls", "--cert", at("client.pem")));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--cert needs --key/);
  });
});

describe("mtls_endpoint_aliases (RFC 8705 §5)", () => {
  // oidc-provider does not publish mtls_endpoint_aliases, so this one discovery document is served
  // by a stand-in; its alias points at the real provider's token endpoint over mutual TLS.
  const issuerOf = useDiscoveryStandIn((issuer) => ({
    issuer,
    token_endpoint: `${issuer}/plain-token-endpoint-that-must-not-be-used`,
    token_endpoint_auth_methods_supported: ["tls_client_auth"],
    mtls_endpoint_aliases: { token_endpoint: `${sandbox.issuer}/token` },
  }));

  it("with a certificate, the token request goes to the alias, and says so", async () => {
    const run = await runCli(["client-credentials", "--issuer", issuerOf(), "--client-id", "sandbox-mtls", "--ca-file", at("ca.pem"), "--cert", at("client.pem"), "--key", at("client.key"), "-v"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(`> POST ${sandbox.issuer}/token`);
    expect(run.stderr).toMatch(/mutual-TLS alias/);
  });
});
