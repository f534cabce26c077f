import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, BASIC, introspect, pkcePair, POST, PUBLIC, startTestProvider, userinfo, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

// The real thing: panva's oidc-provider on an ephemeral loopback port, real HTTP, no fakes.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

const REDIRECT = "http://127.0.0.1:8123/callback";

/** A real code for the public client, obtained through the provider's login and consent pages. */
async function freshCode(): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { redirectUri: REDIRECT, challenge, scope: "openid profile offline_access" })));
  const code = final.searchParams.get("code");
  if (!code) throw new Error(`no code in ${final.href}`);
  return { code, verifier };
}

async function exchangeFresh(...extra: string[]) {
  const { code, verifier } = await freshCode();
  const run = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", code, "--redirect-uri", REDIRECT, "--code-verifier", verifier, ...extra]);
  return { run, code, verifier };
}

describe("client-credentials against the real provider", () => {
  it.each([
    ["client_secret_basic", BASIC],
    ["client_secret_post", POST],
  ])("%s via discovery gives a live token", async (method, client) => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", client.id, "--auth-method", method, "--scope", "api:read"], {
      env: { OAUTH_CLIENT_SECRET: client.secret },
    });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const tokens = JSON.parse(run.stdout);
    expect(tokens.token_type).toMatch(/bearer/i);
    expect(await introspect(sandbox, tokens.access_token)).toMatchObject({ active: true, client_id: client.id });
  });

  it("a wrong secret gives invalid_client, exit 1, explained", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id], { env: { OAUTH_CLIENT_SECRET: "wrong" } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_client/);
    expect(run.stderr).toMatch(/RFC 6749 §5\.2/);
    expect(run.stderr).toMatch(/Likely causes/);
    expect(run.stdout).toBe("");
  });
});

describe("exchange and refresh against the real provider", () => {
  it("exchanges a real code with PKCE; the access token works at userinfo", async () => {
    const { run } = await exchangeFresh();
    expect(run.exitCode).toBe(0);
    const tokens = JSON.parse(run.stdout);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.id_token).toEqual(expect.any(String));
    expect(await userinfo(sandbox, tokens.access_token)).toMatchObject({ sub: "alice" });
  });

  it("reads the code from stdin with --code -", async () => {
    const { code, verifier } = await freshCode();
    const run = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", "-", "--redirect-uri", REDIRECT, "--code-verifier", verifier], { stdin: `${code}\n` });
    expect(run.exitCode).toBe(0);
  });

  it("refresh rotates; reusing the old refresh token is invalid_grant, exit 1, explained", async () => {
    const { run } = await exchangeFresh();
    const first = JSON.parse(run.stdout);
    const refreshed = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--refresh-token", first.refresh_token]);
    expect(refreshed.exitCode).toBe(0);
    const second = JSON.parse(refreshed.stdout);
    expect(second.rotated).toBe(true);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await introspect(sandbox, second.access_token)).toMatchObject({ active: true });

    const reuse = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id], { env: { OAUTH_REFRESH_TOKEN: first.refresh_token } });
    expect(reuse.exitCode).toBe(1);
    expect(reuse.stderr).toMatch(/invalid_grant/);
    expect(reuse.stderr).toMatch(/rotat/i);
    expect(reuse.stdout).toBe("");
  });
});

describe("refresh -o token without a store", () => {
  it("keeps a rotated refresh token it cannot print: saved 0600 before the output, and usable as a store", async () => {
    const state = makeTempDir("state");
    const env = { XDG_STATE_HOME: state };
    const { run } = await exchangeFresh();
    const first = JSON.parse(run.stdout);
    const refreshed = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--refresh-token", first.refresh_token, "-o", "token"], { env });
    expect(refreshed.exitCode).toBe(0);
    expect(refreshed.stdout).toMatch(/^\S+\n$/); // the access token alone, as scripts expect
    const saved = /saved in (\S+) \(mode 0600\)/.exec(refreshed.stderr)?.[1];
    expect(saved, refreshed.stderr).toBeDefined();
    expect(saved!.startsWith(join(state, "oauth-cli"))).toBe(true);
    expect(statSync(saved!).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(saved!, "utf8"));
    expect(stored.refresh_token).not.toBe(first.refresh_token);
    expect(refreshed.stderr).not.toContain(stored.refresh_token);
    // The rescued file is a token store: the next run carries on from it.
    const next = await runCli(["refresh", "--store", saved!, "--force", "-o", "json"], { env });
    expect(next.exitCode, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ from_cache: false, rotated: true });
  });
});

describe("--verbose never prints a secret unless --show-secrets", () => {
  it("every command, against the real server", async () => {
    const { code, verifier } = await freshCode();
    const exchange = await runCli(["exchange", "-v", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", code, "--redirect-uri", REDIRECT, "--code-verifier", verifier]);
    expect(exchange.exitCode).toBe(0);
    const t1 = JSON.parse(exchange.stdout);
    const refresh = await runCli(["refresh", "-v", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--refresh-token", t1.refresh_token]);
    expect(refresh.exitCode).toBe(0);
    const t2 = JSON.parse(refresh.stdout);
    const basic = await runCli(["client-credentials", "-v", "--issuer", sandbox.issuer, "--client-id", BASIC.id], { env: { OAUTH_CLIENT_SECRET: BASIC.secret } });
    const post = await runCli(["client-credentials", "-v", "--issuer", sandbox.issuer, "--client-id", POST.id, "--auth-method", "client_secret_post"], { env: { OAUTH_CLIENT_SECRET: POST.secret } });
    const failed = await runCli(["refresh", "-v", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--refresh-token", t1.refresh_token]);
    expect(failed.exitCode).toBe(1);
    const t3 = JSON.parse(basic.stdout);
    const t4 = JSON.parse(post.stdout);
    const basicHeader = Buffer.from(`${BASIC.id}:${BASIC.secret}`).toString("base64");

    const inputs = [code, verifier, BASIC.secret, POST.secret, basicHeader, t1.refresh_token];
    const outputs = [t1.access_token, t1.id_token, t2.access_token, t2.refresh_token, t2.id_token, t3.access_token, t4.access_token].filter(Boolean);
    const runs = [exchange, refresh, basic, post, failed];
    for (const run of runs) {
      expect(run.stderr).toContain("> POST"); // the trace is there…
      for (const secret of [...inputs, ...outputs]) expect(run.stderr).not.toContain(secret); // …without a secret in it
    }
    // Inputs never reach stdout either; the only tokens on stdout are the results asked for.
    for (const run of runs) for (const secret of inputs.slice(0, 5)) expect(run.stdout).not.toContain(secret);

    // The same with --show-secrets does show them: the assertions above can fail.
    const shown = await runCli(["client-credentials", "-v", "--show-secrets", "--issuer", sandbox.issuer, "--client-id", BASIC.id], { env: { OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(shown.stderr).toContain(basicHeader);
    expect(shown.stderr).toContain(JSON.parse(shown.stdout).access_token);
  });
});
