import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peekJwt } from "../../src/output/format.js";
import { runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, introspect, pkcePair, PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

// The real oidc-provider (the sandbox) with its RFC 8693 grant and RFC 8707 resource indicators.
const EXCHANGE = { id: "sandbox-exchange", secret: "sandbox-exchange-secret" } as const;
const API = "https://api.sandbox.test";
const OTHER_API = "https://other-api.sandbox.test";
const AT_TYPE = "urn:ietf:params:oauth:token-type:access_token";
const env = { OAUTH_CLIENT_SECRET: EXCHANGE.secret };

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

const as = () => ["--issuer", sandbox.issuer, "--client-id", EXCHANGE.id];

/** A real access token of this server, from client credentials (opaque: no resource asked). */
async function subjectToken(): Promise<string> {
  const run = await runCli(["client-credentials", ...as(), "--scope", "api:read", "-o", "token"], { env });
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout.trim();
}

describe("--resource (RFC 8707) against the real provider", () => {
  it("client-credentials --resource: the JWT access token's aud is the resource, shown as audience", async () => {
    const run = await runCli(["client-credentials", ...as(), "--scope", "api:read", "--resource", API, "-o", "json"], { env });
    expect(run.exitCode, run.stderr).toBe(0);
    const tokens = JSON.parse(run.stdout);
    expect(peekJwt(tokens.access_token)).toMatchObject({ aud: API });
    expect(tokens.audience).toBe(API);

    const pretty = await runCli(["client-credentials", ...as(), "--scope", "api:read", "--resource", OTHER_API, "-o", "pretty"], { env });
    expect(pretty.exitCode, pretty.stderr).toBe(0);
    expect(pretty.stdout).toMatch(new RegExp(`^audience +${OTHER_API.replace(/\./g, "\\.")}$`, "m"));
  });

  it("an opaque token gets no audience field: the JSON stays the server's answer", async () => {
    const run = await runCli(["client-credentials", ...as(), "--scope", "api:read", "-o", "json"], { env });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).not.toHaveProperty("audience");
  });

  it("a resource the server does not know: invalid_target explained, exit 1", async () => {
    const run = await runCli(["client-credentials", ...as(), "--resource", "https://unknown.example", "-o", "json"], { env });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_target/);
    expect(run.stderr).toMatch(/RFC 8707/);
    expect(run.stdout).toBe("");
  });

  it("a resource that is not an absolute URI is refused before sending: exit 2, naming the flag", async () => {
    for (const bad of ["api.sandbox.test", "https://api.sandbox.test/#frag"]) {
      const run = await runCli(["client-credentials", ...as(), "--resource", bad], { env });
      expect(run.exitCode, bad).toBe(2);
      expect(run.stderr).toMatch(/--resource/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("client-credentials --store serves a stored token only for the resource it was issued for", async () => {
    const store = join(makeTempDir("resource"), "svc.json");
    const first = await runCli(["client-credentials", ...as(), "--scope", "api:read", "--resource", API, "--store", store, "-o", "json"], { env });
    expect(first.exitCode, first.stderr).toBe(0);
    const again = await runCli(["client-credentials", ...as(), "--scope", "api:read", "--resource", API, "--store", store, "-o", "json"], { env });
    expect(JSON.parse(again.stdout)).toMatchObject({ from_cache: true, access_token: JSON.parse(first.stdout).access_token });
    const other = await runCli(["client-credentials", ...as(), "--scope", "api:read", "--resource", OTHER_API, "--store", store, "-o", "json"], { env });
    expect(other.exitCode, other.stderr).toBe(0);
    expect(JSON.parse(other.stdout)).toMatchObject({ from_cache: false, audience: OTHER_API });
  });

  it.each(["authorize", "exchange", "refresh", "client-credentials", "device", "token-exchange", "grant"])("%s --help lists --resource", async (command) => {
    const run = await runCli([command, "--help"]);
    expect(run.stdout).toMatch(/--resource <uri>/);
  });

  it("exchange and refresh --resource: both tokens are for the resource", async () => {
    const redirect = "http://127.0.0.1:8123/callback";
    const { verifier, challenge } = pkcePair();
    const url = new URL(authorizationUrl(sandbox, { redirectUri: redirect, challenge, scope: "openid api:read offline_access" }));
    // RFC 8707 §2.1: the resource asked for at authorization, then at the token endpoint.
    url.searchParams.append("resource", API);
    const code = new URL(await completeLoginHttp(url.href)).searchParams.get("code")!;
    const exchanged = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", code, "--redirect-uri", redirect, "--code-verifier", verifier, "--resource", API, "-o", "json"]);
    expect(exchanged.exitCode, exchanged.stderr).toBe(0);
    const tokens = JSON.parse(exchanged.stdout);
    expect(peekJwt(tokens.access_token)).toMatchObject({ aud: API });
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const refreshed = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--refresh-token", "-", "--resource", API, "-o", "json"], { stdin: tokens.refresh_token });
    expect(refreshed.exitCode, refreshed.stderr).toBe(0);
    expect(JSON.parse(refreshed.stdout).audience).toBe(API);
  });
});

describe("token-exchange (RFC 8693) against the real provider", () => {
  it("exchanges a real client-credentials token for one with the requested audience; prints issued_token_type", async () => {
    const subject = await subjectToken();
    const run = await runCli(["token-exchange", ...as(), "--subject-token", "-", "--subject-token-type", "access_token", "--audience", OTHER_API, "-o", "json"], { env, stdin: subject });
    expect(run.exitCode, run.stderr).toBe(0);
    const tokens = JSON.parse(run.stdout);
    expect(tokens.issued_token_type).toBe(AT_TYPE);
    expect(tokens.access_token).not.toBe(subject);
    expect(peekJwt(tokens.access_token)).toMatchObject({ aud: OTHER_API, client_id: EXCHANGE.id, subject_client_id: EXCHANGE.id });
    expect(tokens.audience).toBe(OTHER_API);

    const pretty = await runCli(["token-exchange", ...as(), "--subject-token-type", "access_token", "--resource", API, "-o", "pretty"], { env: { ...env, OAUTH_SUBJECT_TOKEN: subject } });
    expect(pretty.exitCode, pretty.stderr).toBe(0);
    expect(pretty.stdout).toMatch(/^issued_token_type +urn:ietf:params:oauth:token-type:access_token$/m);
    expect(pretty.stdout).toMatch(/^audience +https:\/\/api\.sandbox\.test$/m);
  });

  it("without a target: an opaque token the server holds live; with an actor, the act claim names it", async () => {
    const subject = await subjectToken();
    const run = await runCli(["token-exchange", ...as(), "--subject-token-type", "access_token", "-o", "json"], { env: { ...env, OAUTH_SUBJECT_TOKEN: subject } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await introspect(sandbox, JSON.parse(run.stdout).access_token)).toMatchObject({ active: true, client_id: EXCHANGE.id });

    const actor = await subjectToken();
    const delegated = await runCli(
      ["token-exchange", ...as(), "--subject-token-type", "access_token", "--actor-token", "-", "--actor-token-type", "urn:ietf:params:oauth:token-type:access_token", "--audience", API, "-o", "json"],
      { env: { ...env, OAUTH_SUBJECT_TOKEN: subject }, stdin: actor },
    );
    expect(delegated.exitCode, delegated.stderr).toBe(0);
    expect(peekJwt(JSON.parse(delegated.stdout).access_token)).toMatchObject({ act: { sub: EXCHANGE.id } });
  });

  it("-v: the subject token is redacted in the trace, the expanded type is shown", async () => {
    const subject = await subjectToken();
    const run = await runCli(["token-exchange", ...as(), "--subject-token-type", "access_token", "-v", "-o", "json"], { env: { ...env, OAUTH_SUBJECT_TOKEN: subject } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).not.toContain(subject);
    expect(run.stderr).toContain(encodeURIComponent("urn:ietf:params:oauth:token-type:access_token"));
    expect(run.stderr).not.toContain(JSON.parse(run.stdout).access_token);
  });

  it("an audience the server does not know: invalid_target, explained with RFC 8693 §2.2.2, exit 1", async () => {
    const subject = await subjectToken();
    const run = await runCli(["token-exchange", ...as(), "--subject-token-type", "access_token", "--audience", "urn:unknown:api"], { env: { ...env, OAUTH_SUBJECT_TOKEN: subject } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_target/);
    expect(run.stderr).toMatch(/RFC 8693 §2\.2\.2/);
    expect(run.stderr).toMatch(/Likely causes/);
    expect(run.stdout).toBe("");
  });

  it("a subject token the server never issued: invalid_grant, exit 1", async () => {
    const run = await runCli(["token-exchange", ...as(), "--subject-token-type", "access_token"], { env: { ...env, OAUTH_SUBJECT_TOKEN: "not-a-token-of-this-server" } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_grant/);
    expect(run.stderr).toMatch(/subject_token/);
  });

  it.each([
    [["--subject-token-type", "access_token"], /--subject-token TOKEN/],
    [["--subject-token", "-", "--subject-token-type", "bogus"], /--subject-token-type: "bogus" is not a token type/],
    [["--subject-token", "-", "--subject-token-type", "jwt", "--actor-token", "-"], /--actor-token needs --actor-token-type/],
    [["--subject-token", "-", "--subject-token-type", "jwt", "--actor-token-type", "jwt"], /--actor-token-type without --actor-token/],
    [["--subject-token", "-", "--subject-token-type", "jwt", "--param", "subject_token=x"], /--param subject_token: set by the command itself; use --subject-token/],
  ])("bad input %j: exit 2 naming the flag, nothing sent", async (args, message) => {
    const run = await runCli(["token-exchange", "--token-endpoint", "http://127.0.0.1:9/token", "--client-id", "c", ...args], { stdin: "t" });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("--help lists the flags, the token type short names and examples", async () => {
    const run = await runCli(["token-exchange", "--help"]);
    expect(run.stdout).toMatch(/--subject-token <token>/);
    expect(run.stdout).toMatch(/--resource <uri>/);
    expect(run.stdout).toMatch(/urn:ietf:params:oauth:token-type:<name>/);
    expect(run.stdout).toMatch(/Exit codes of token-exchange:/);
  });
});

describe("grant (any grant type) against the real provider", () => {
  it("the token-exchange grant spelled out with --param works as the dedicated command does", async () => {
    const subject = await subjectToken();
    const run = await runCli(
      ["grant", ...as(), "--grant-type", "token-exchange", "--param", "subject_token=-", "--param", `subject_token_type=${AT_TYPE}`, "--resource", API, "-v", "-o", "json"],
      { env, stdin: subject },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).not.toContain(subject);
    expect(run.stderr).toContain("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange");
    expect(peekJwt(JSON.parse(run.stdout).access_token)).toMatchObject({ aud: API });
  });

  it("password: a deprecation warning, then the server's refusal explained (exit 1)", async () => {
    const run = await runCli(["grant", ...as(), "--grant-type", "password", "--param", "username=alice", "--param", "password=-"], { env, stdin: "pw" });
    expect(run.stderr).toMatch(/warning: the resource owner password grant is deprecated .*RFC 9700 §2\.4/);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/unsupported_grant_type|unauthorized_client/);
    expect(run.stdout).toBe("");
  });

  it("jwt-bearer without an assertion is refused before sending: exit 2", async () => {
    const run = await runCli(["grant", ...as(), "--grant-type", "jwt-bearer"], { env });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--grant-type jwt-bearer needs --assertion/);
  });

  it("jwt-bearer: the assertion is sent under its URN; -v shows its header and claims, never its signature", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "RS256", kid: "k1" })).toString("base64url");
    const claims = Buffer.from(JSON.stringify({ iss: "svc", sub: "alice", aud: sandbox.issuer })).toString("base64url");
    const signature = "c2lnbmF0dXJlLW5vdC1zaG93bg";
    const run = await runCli(["grant", ...as(), "--grant-type", "jwt-bearer", "--assertion", "-", "-v"], { env, stdin: `${header}.${claims}.${signature}` });
    // The sandbox does not take jwt-bearer: the refusal is the server's, explained.
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer");
    expect(run.stderr).toMatch(/assertion: a JWT, signature redacted/);
    expect(run.stderr).toContain('"sub":"alice"');
    expect(run.stderr).not.toContain(signature);
  });

  it("--param grant_type is refused: use --grant-type", async () => {
    const run = await runCli(["grant", ...as(), "--grant-type", "x", "--param", "grant_type=y"], { env });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--param grant_type: set by the command itself; use --grant-type/);
  });
});

describe("authorize --resource against the real provider", () => {
  let auto: Sandbox;
  beforeAll(async () => {
    auto = await startTestProvider({ autoLogin: "bob" });
  });
  afterAll(async () => auto?.close());

  it("the resource goes into the authorization request and the code exchange; the token's aud is it", async () => {
    const asked: string[] = [];
    // The "browser": follows the provider's one redirect (auto-login) to the CLI's loopback listener.
    const openBrowser = async (url: string) => {
      asked.push(...new URL(url).searchParams.getAll("resource"));
      const location = (await fetch(url, { redirect: "manual" })).headers.get("location")!;
      await fetch(location);
    };
    const run = await runCli(["authorize", "--issuer", auto.issuer, "--client-id", PUBLIC.id, "--scope", "openid api:read", "--resource", API, "-v", "-o", "json"], { openBrowser });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(asked).toEqual([API]);
    expect(run.stderr).toMatch(new RegExp(`grant_type=authorization_code.*resource=${encodeURIComponent(API)}`, "s"));
    const tokens = JSON.parse(run.stdout);
    expect(peekJwt(tokens.access_token)).toMatchObject({ aud: API });
    expect(tokens.audience).toBe(API);
  });
});

describe("device --resource against the real provider", () => {
  let short: Sandbox;
  beforeAll(async () => {
    // Device codes that expire at once: nobody approves, so the run ends with the server's answer.
    short = await startTestProvider({ deviceCodeTtl: 1 });
  });
  afterAll(async () => short?.close());

  it("the resource goes into the device authorization request and every token poll", async () => {
    const sleep = () => new Promise<void>((resolve) => setTimeout(resolve, 300));
    const run = await runCli(["device", "--issuer", short.issuer, "--client-id", "sandbox-device", "--scope", "api:read", "--resource", API, "--no-qr", "-v"], { sleep });
    const sent = run.stderr.split(encodeURIComponent(API)).length - 1;
    // Once to the device authorization endpoint, then with each poll of the token endpoint.
    expect(run.stderr).toMatch(/POST \S*\/device\/auth/);
    expect(sent, run.stderr).toBeGreaterThanOrEqual(2);
    expect(run.stderr).toMatch(/expired_token/);
    expect(run.exitCode).toBe(1);
  });

  it("an unknown resource: the device authorization endpoint's invalid_target, exit 1", async () => {
    const run = await runCli(["device", "--issuer", short.issuer, "--client-id", "sandbox-device", "--resource", "https://unknown.example", "--no-qr"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_target/);
  });
});
