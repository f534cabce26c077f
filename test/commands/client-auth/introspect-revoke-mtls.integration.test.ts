import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.js";
import { useDiscoveryStandIn } from "../../support/discovery-stand-in.js";
import { startTestProvider, type Sandbox } from "../../support/provider.js";
import { testPki } from "../../support/test-pki.js";

// introspect and revoke over mutual TLS (RFC 8705 §2) against oidc-provider on HTTPS: certificates made
// here with openssl, as in mtls.integration.test.ts.
const pki = testPki("mtls-manage");
const { at } = pki;

let sandbox: Sandbox;
beforeAll(async () => {
  pki.makeCa();
  pki.issue("client", "/CN=sandbox-mtls");
  pki.issue("stranger", "/CN=someone-else");
  pki.selfSigned("self", "/CN=sandbox-mtls-self");
  const self = new X509Certificate(readFileSync(at("self.pem")));
  sandbox = await startTestProvider({
    tls: { cert: readFileSync(at("server.pem"), "utf8"), key: readFileSync(at("server.key"), "utf8"), clientCa: readFileSync(at("ca.pem"), "utf8") },
    clientJwks: { keys: [{ ...self.publicKey.export({ format: "jwk" }), x5c: [self.raw.toString("base64")] }] },
  });
});
afterAll(async () => sandbox?.close());

const MTLS = (cert: string) => ["--ca-file", at("ca.pem"), "--cert", at(`${cert}.pem`), "--key", at(`${cert}.key`)];

async function tokenFor(client: string, cert: string): Promise<string> {
  const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", client, ...MTLS(cert)]);
  expect(run.exitCode, run.stderr).toBe(0);
  return JSON.parse(run.stdout).access_token as string;
}

describe("introspect and revoke with a client certificate (RFC 8705)", () => {
  it.each([
    ["tls_client_auth", "sandbox-mtls", "client"],
    ["self_signed_tls_client_auth", "sandbox-mtls-self", "self"],
  ])("%s: introspect says active, revoke, then inactive; the body carries only client_id", async (method, client, cert) => {
    const token = await tokenFor(client, cert);
    const args = ["--issuer", sandbox.issuer, "--client-id", client, "--auth-method", method, ...MTLS(cert), "--token", token];
    const before = await runCli(["introspect", ...args, "-o", "json", "-v"]);
    expect(before.exitCode, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ active: true, client_id: client });
    expect(before.stderr).toMatch(new RegExp(`^> token=\\[redacted \\d+ chars\\]&client_id=${client}$`, "m"));
    expect(before.stderr).not.toMatch(/^> Authorization:/m);
    const revoked = await runCli(["revoke", ...args]);
    expect(revoked.exitCode, revoked.stderr).toBe(0);
    const after = await runCli(["introspect", ...args, "-o", "json"]);
    expect(JSON.parse(after.stdout)).toMatchObject({ active: false });
  });

  it("a certificate with another subject is refused at introspection: invalid_client, exit 1", async () => {
    const token = await tokenFor("sandbox-mtls", "client");
    const run = await runCli(["introspect", "--issuer", sandbox.issuer, "--client-id", "sandbox-mtls", "--auth-method", "tls_client_auth", ...MTLS("stranger"), "--token", token]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_client/);
  });
});

describe("mtls_endpoint_aliases for introspection and revocation (RFC 8705 §5)", () => {
  // oidc-provider does not publish mtls_endpoint_aliases, so this one discovery document is served by a
  // stand-in; its aliases point at the real provider's endpoints over mutual TLS.
  const issuerOf = useDiscoveryStandIn((issuer) => ({
    issuer,
    token_endpoint: `${sandbox.issuer}/token`,
    introspection_endpoint: `${issuer}/plain-introspection-that-must-not-be-used`,
    revocation_endpoint: `${issuer}/plain-revocation-that-must-not-be-used`,
    mtls_endpoint_aliases: { introspection_endpoint: `${sandbox.issuer}/token/introspection`, revocation_endpoint: `${sandbox.issuer}/token/revocation` },
  }));

  it("with a certificate, introspect and revoke go to the aliases, and say so", async () => {
    const token = await tokenFor("sandbox-mtls", "client");
    const args = ["--issuer", issuerOf(), "--client-id", "sandbox-mtls", "--auth-method", "tls_client_auth", ...MTLS("client"), "--token", token, "-v"];
    const introspected = await runCli(["introspect", ...args, "-o", "json"]);
    expect(introspected.exitCode, introspected.stderr).toBe(0);
    expect(JSON.parse(introspected.stdout)).toMatchObject({ active: true });
    expect(introspected.stderr).toContain(`> POST ${sandbox.issuer}/token/introspection`);
    expect(introspected.stderr).toMatch(/mutual-TLS alias of its introspection_endpoint/);
    const revoked = await runCli(["revoke", ...args]);
    expect(revoked.exitCode, revoked.stderr).toBe(0);
    expect(revoked.stderr).toContain(`> POST ${sandbox.issuer}/token/revocation`);
  });
});
