import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { BASIC, PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

// Real oidc-provider refusals; what is asserted is that the advice printed fits the command that ran.
let sandbox: Sandbox;
const env = { XDG_STATE_HOME: makeTempDir("state") };
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

describe("advice fits the grant and the command", () => {
  it("a refused refresh is not told what to do with a code", async () => {
    const run = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--refresh-token", "foreign-token"], { env });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/What to try:\n {2}- For a refresh token:/);
    expect(run.stderr).not.toMatch(/For a code:/);
  });

  it("client credentials refused for an unknown scope: no openid in the advice", async () => {
    // oidc-provider grants any scope to client credentials; Entra, Auth0 and Okta refuse unknown ones
    // with invalid_scope. A loopback token endpoint answers as they do.
    const server = createServer((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "invalid_scope" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const tokenEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
    const run = await runCli(["client-credentials", "--token-endpoint", tokenEndpoint, "--client-id", BASIC.id, "--scope", "no-such-scope"], { env: { ...env, OAUTH_CLIENT_SECRET: BASIC.secret } });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_scope/);
    expect(run.stderr).toMatch(/test: Retry with a minimal `--scope`, then add scopes one by one/);
    expect(run.stderr).not.toMatch(/openid/);
  });

  it("advice to decode a token names the command that does it", async () => {
    const { allEntries } = await import("../../src/errors/catalogue/index.js");
    const advice = allEntries().flatMap((e) => [...e.nextSteps, ...e.causes.map((c) => c.test ?? "")]);
    expect(advice.filter((a) => /\bdecode (?:the|your|it)\b/i.test(a))).toEqual([]);
    expect(advice.some((a) => a.includes("oauth-cli inspect"))).toBe(true);
  });
});

describe("nothing is ignored silently", () => {
  it("--show-secrets without -v says it does nothing", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--scope", "openid", "--show-secrets"], { env: { ...env, OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(run.stderr).toMatch(/warning: --show-secrets does nothing without -v/);
    const verbose = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--scope", "openid", "--show-secrets", "-v"], { env: { ...env, OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(verbose.stderr).not.toMatch(/--show-secrets does nothing/);
  });

  it("client-credentials without --scope notes the default scope when the server lists scopes", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id], { env: { ...env, OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/note: no --scope given: the token gets this client's default scope, which may be none; the server lists .*openid.* \(give --scope to choose\)/);
    const scoped = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--scope", "openid"], { env: { ...env, OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(scoped.stderr).not.toMatch(/no --scope given/);
  });
});
