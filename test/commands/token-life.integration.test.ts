import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, BASIC, introspect, pkcePair, PUBLIC, startTestProvider, tokenRequest, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

// introspect, revoke and userinfo against the real oidc-provider (the sandbox), real HTTP.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

const REDIRECT = "http://127.0.0.1:8123/callback";
const BASIC_ENV = { OAUTH_CLIENT_SECRET: BASIC.secret };

/** A token store filled the way a user fills one: a real sign-in, then `exchange --store`. */
async function freshStore(scope = "openid profile offline_access"): Promise<string> {
  const { verifier, challenge } = pkcePair();
  const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { redirectUri: REDIRECT, challenge, scope })));
  const store = join(makeTempDir("life"), "tokens.json");
  const code = final.searchParams.get("code")!;
  const run = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", code, "--redirect-uri", REDIRECT, "--code-verifier", verifier, "--store", store]);
  expect(run.exitCode, run.stderr).toBe(0);
  return store;
}

const stored = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;

describe("introspect", () => {
  it("says a stored access token is active, with its times readable; json is the server's object", async () => {
    const store = await freshStore();
    const pretty = await runCli(["introspect", "--store", store, "-o", "pretty"]);
    expect(pretty.exitCode, pretty.stderr).toBe(0);
    expect(pretty.stdout).toMatch(/^✓ active\n/);
    expect(pretty.stdout).toMatch(/exp\s+\d{4}-\d\d-\d\dT[\d:.]+Z \(in (59|60) min\)/);
    expect(pretty.stdout).toMatch(/client_id\s+sandbox-public/);
    // A confidential client may ask about another client's token (the sandbox's policy).
    const json = await runCli(["introspect", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--token", "-"], { stdin: stored(store).access_token, env: BASIC_ENV });
    expect(json.exitCode, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ active: true, client_id: PUBLIC.id, sub: "alice", scope: expect.stringContaining("openid") });
  });

  it("an unknown token is inactive: exit 0, or exit 1 with --require-active", async () => {
    const argv = ["introspect", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--token", "-"];
    const plain = await runCli(argv, { stdin: "no-such-token", env: BASIC_ENV });
    expect(plain.exitCode).toBe(0);
    expect(JSON.parse(plain.stdout)).toEqual({ active: false });
    const required = await runCli([...argv, "--require-active"], { stdin: "no-such-token", env: BASIC_ENV });
    expect(required.exitCode).toBe(1);
    expect(required.stderr).toContain("the token is not active (--require-active)");
  });

  it("a wrong client secret is invalid_client, explained; -v redacts the token and the secret", async () => {
    const run = await runCli(["introspect", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--token", "-", "-v"], { stdin: "secret-token-value-1", env: { OAUTH_CLIENT_SECRET: "wrong-secret-xyz" } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_client/);
    expect(run.stderr).toMatch(/Likely causes/);
    expect(run.stderr).toContain("> POST");
    expect(run.stderr).not.toContain("secret-token-value-1");
    expect(run.stderr).not.toContain("wrong-secret-xyz");
  });

  it.each([
    ["introspect", "--token TOKEN", "--introspection-endpoint URL or --issuer URL"],
    ["revoke", "--token TOKEN", "--revocation-endpoint URL or --issuer URL"],
    ["userinfo", "--access-token TOKEN", "--userinfo-endpoint URL or --issuer URL"],
  ])("%s needs a token and an endpoint, and names both when neither is given", async (command, token, endpoint) => {
    const run = await runCli([command]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("missing 2 required options");
    expect(run.stderr).toContain(token);
    expect(run.stderr).toContain(endpoint);
  });
});

describe("userinfo", () => {
  it("prints the claims for the stored access token", async () => {
    const store = await freshStore();
    const run = await runCli(["userinfo", "--store", store, "-o", "json"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ sub: "alice", name: "alice" });
  });

  it("a token without the openid scope: insufficient_scope explained, naming the scope the resource asks for", async () => {
    const store = await freshStore();
    // The real server narrows a refresh to the scope asked for: an access token without openid.
    const narrowed = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: stored(store).refresh_token!, client_id: PUBLIC.id, scope: "profile" });
    expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(200);
    const run = await runCli(["userinfo", "--issuer", sandbox.issuer, "--access-token", "-"], { stdin: String(narrowed.body.access_token) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/insufficient_scope/);
    expect(run.stderr).toContain("the resource asks for scope: openid");
    expect(run.stderr).toMatch(/RFC 6750/);
    expect(run.stdout).toBe("");
  });

  it("an unknown access token: invalid_token from the WWW-Authenticate challenge, explained", async () => {
    const run = await runCli(["userinfo", "--issuer", sandbox.issuer, "--access-token", "-"], { stdin: "not-a-real-token" });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_token/);
    expect(run.stderr).toMatch(/www-authenticate: Bearer/i);
    expect(run.stderr).toMatch(/Likely causes/);
  });
});

describe("revoke", () => {
  it("revoke --store: both tokens dead at the server, the store marked, and refresh --store refuses it without a request", async () => {
    const store = await freshStore();
    const before = stored(store);
    expect(await introspect(sandbox, before.access_token!)).toMatchObject({ active: true });
    const run = await runCli(["revoke", "--store", store, "-o", "json"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ revoked: ["refresh_token", "access_token"], store });
    expect(await introspect(sandbox, before.access_token!)).toMatchObject({ active: false });
    expect(await introspect(sandbox, before.refresh_token!)).toMatchObject({ active: false });
    const after = stored(store);
    expect(Date.parse(after.revoked_at!)).toBeGreaterThan(Date.now() - 60_000);
    expect(after.refresh_token).toBe(before.refresh_token); // kept as it was: the file still says what was revoked

    const refresh = await runCli(["refresh", "--store", store, "-v"]);
    expect(refresh.exitCode).toBe(2);
    expect(refresh.stderr).toContain(`the tokens in the store ${store} were revoked at ${after.revoked_at}`);
    expect(refresh.stderr).not.toContain("> POST"); // no dead token sent
    // And the stored access token is never served from the cache either.
    const introspected = await runCli(["introspect", "--store", store, "--require-active"]);
    expect(introspected.exitCode).toBe(1);
    expect(JSON.parse(introspected.stdout)).toEqual({ active: false });
  });

  it("a single refresh token from standard input, as a confidential client: the grant is gone", async () => {
    const store = await freshStore();
    const { refresh_token: refresh } = stored(store);
    const run = await runCli(["revoke", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--token", "-", "--token-type-hint", "refresh_token", "-o", "pretty"], { stdin: refresh!, env: BASIC_ENV });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain("✓ revoked the refresh token");
    expect(await introspect(sandbox, refresh!)).toMatchObject({ active: false });
  });

  it("a JWT (the id_token) cannot be revoked there: unsupported_token_type, explained", async () => {
    const store = await freshStore();
    const run = await runCli(["revoke", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--token", "-"], { stdin: stored(store).id_token! });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/unsupported_token_type/);
    expect(run.stderr).toMatch(/RFC 7009/);
  });
});

describe("a profile's store", () => {
  it("is the default token; a token given for the run wins over it instead of clashing", async () => {
    const store = await freshStore();
    const env = { XDG_CONFIG_HOME: makeTempDir("cfg") };
    expect((await runCli(["profile", "set", "sb", "--issuer", sandbox.issuer, "--store", store], { env })).exitCode).toBe(0);
    const fromStore = await runCli(["introspect", "--profile", "sb"], { env });
    expect(fromStore.exitCode, fromStore.stderr).toBe(0);
    expect(JSON.parse(fromStore.stdout)).toMatchObject({ active: true, client_id: PUBLIC.id });
    const given = await runCli(["introspect", "--profile", "sb", "--client-id", BASIC.id, "--token", "-"], { env: { ...env, ...BASIC_ENV }, stdin: "not-this-store-s-token" });
    expect(given.exitCode, given.stderr).toBe(0);
    expect(JSON.parse(given.stdout)).toEqual({ active: false });
    // On the command line, both at once is still a mistake.
    const both = await runCli(["introspect", "--store", store, "--token", "-"], { stdin: "x1234" });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain("give the token once: --token or --store, not both");
  });
});

describe("a server that publishes no such endpoint", () => {
  // A fake discovery document: the sandbox publishes every endpoint, and this is about one that publishes none.
  it("says so, naming the flag that goes without discovery, before any token is sent", async () => {
    const server = createServer((req, res) => {
      const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (req.url === "/.well-known/oauth-authorization-server") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer, token_endpoint: `${issuer}/token` }));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const [command, flag, field, tokenFlag] of [
        ["introspect", "--introspection-endpoint", "introspection_endpoint", "--token"],
        ["revoke", "--revocation-endpoint", "revocation_endpoint", "--token"],
        ["userinfo", "--userinfo-endpoint", "userinfo_endpoint", "--access-token"],
      ] as const) {
        const run = await runCli([command, "--issuer", issuer, "--client-id", PUBLIC.id, tokenFlag, "-"], { stdin: "some-token" });
        expect(run.exitCode, command).toBe(2);
        expect(run.stderr).toContain(`publishes no ${field}`);
        expect(run.stderr).toContain(`${flag} URL`);
      }
    } finally {
      server.close();
    }
  });
});

