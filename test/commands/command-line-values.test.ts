import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../../src/http/send.js";
import type { HttpClient, HttpRequest } from "../../src/http/types.js";
import { runCli, type TestContextOptions } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, BASIC, introspect, pkcePair, PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { tempDir } from "../store/support.js";

// The real oidc-provider on loopback. Every request a run makes goes through a recorder around the
// real HTTP client, so "refused before any request" is a count of zero, not a guess.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

function recordingHttp(): HttpClient & { sent: HttpRequest[] } {
  const real = createHttpClient({}, () => Date.now());
  const sent: HttpRequest[] = [];
  return {
    sent,
    send: (request, options) => {
      sent.push(request);
      return real.send(request, options);
    },
    close: () => real.close?.() ?? Promise.resolve(),
  };
}

/** Runs the command line with a recorder; the run and every request it sent. */
async function run(argv: string[], options: TestContextOptions = {}) {
  const http = recordingHttp();
  const result = await runCli(argv, { ...options, http });
  return { ...result, sent: http.sent };
}

const REDIRECT = "http://127.0.0.1:8123/callback";

async function freshCode(): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { redirectUri: REDIRECT, challenge, scope: "openid offline_access" })));
  return { code: final.searchParams.get("code")!, verifier };
}

const exchangeArgs = (code = "c", verifier = "v".repeat(43)) => [
  "exchange", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", code, "--redirect-uri", REDIRECT, "--code-verifier", verifier,
];
const refreshArgs = (...extra: string[]) => ["refresh", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, ...extra];
// With a scope: without one, client-credentials notes the server's default scope, which is not what these tests look at.
const ccArgs = (...extra: string[]) => ["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--scope", "api:read", ...extra];
const WARNING = /^warning: .* on the command line (?:is|are) visible to other local users/gm;

describe("secrets on the command line: one warning, listing each, with the alternatives", () => {
  it("exchange --code and --code-verifier as literals: both in one warning; the exchange still works", async () => {
    const { code, verifier } = await freshCode();
    const result = await run(exchangeArgs(code, verifier));
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr.match(/^warning:/gm)).toHaveLength(1);
    expect(result.stderr).toMatch(/^warning: --code, --code-verifier on the command line are visible to other local users/m);
    expect(result.stderr).toContain("  --code: use --code -\n");
    expect(result.stderr).toContain("  --code-verifier: use --code-verifier -\n");
    // The warning names flags, never the values.
    expect(result.stderr).not.toContain(code);
    expect(result.stderr).not.toContain(verifier);
  });

  it("a flag given as - (standard input) is not listed; the others still are", async () => {
    const { code, verifier } = await freshCode();
    const result = await run(exchangeArgs("-", verifier), { stdin: `${code}\n` });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^warning: --code-verifier on the command line is visible/m);
    expect(result.stderr).not.toMatch(/--code[,: ]/);
  });

  it("--client-secret names OAUTH_CLIENT_SECRET, --client-secret-file and -; from the environment there is no warning", async () => {
    const literal = await run(ccArgs("--client-secret", BASIC.secret));
    expect(literal.exitCode, literal.stderr).toBe(0);
    expect(await introspect(sandbox, JSON.parse(literal.stdout).access_token)).toMatchObject({ active: true });
    expect(literal.stderr).toBe(
      "warning: --client-secret on the command line is visible to other local users in the process list, and kept in shell history:\n" +
        "  --client-secret: use OAUTH_CLIENT_SECRET, --client-secret-file PATH or --client-secret -\n",
    );
    const fromEnv = await run(ccArgs(), { env: { OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(fromEnv.exitCode).toBe(0);
    expect(fromEnv.stderr).toBe("");
    const fromStdin = await run(ccArgs("--client-secret", "-"), { stdin: BASIC.secret });
    expect(fromStdin.exitCode).toBe(0);
    expect(fromStdin.stderr).toBe("");
  });

  it("refresh --refresh-token names OAUTH_REFRESH_TOKEN; with --client-secret both are in the one warning", async () => {
    const result = await run(refreshArgs("--refresh-token", "not-a-real-token", "--client-secret", "s", "--auth-method", "client_secret_post"));
    expect(result.exitCode).toBe(1); // the server's refusal: the warning does not stop the run
    expect(result.stderr.match(WARNING)).toHaveLength(1);
    expect(result.stderr).toMatch(/^warning: --client-secret, --refresh-token on the command line are visible/m);
    expect(result.stderr).toContain("  --refresh-token: use OAUTH_REFRESH_TOKEN or --refresh-token -\n");
    const fromEnv = await run(refreshArgs(), { env: { OAUTH_REFRESH_TOKEN: "not-a-real-token" } });
    expect(fromEnv.exitCode).toBe(1);
    expect(fromEnv.stderr).not.toMatch(WARNING);
  });
});

describe("blank values are usage errors naming the flag, before any request", () => {
  it.each([
    ["--code", () => exchangeArgs(""), "--code: must not be empty"],
    ["--redirect-uri", () => [...exchangeArgs(), "--redirect-uri", ""], "--redirect-uri: must not be empty"],
    ["--code-verifier", () => exchangeArgs("c", " "), '--code-verifier: must not be blank (got " ")'],
    ["--client-id", () => [...exchangeArgs(), "--client-id", ""], "--client-id: must not be empty"],
    ["--client-id blank", () => ccArgs("--client-id", "  "), '--client-id: must not be blank (got "  ")'],
    ["--refresh-token", () => refreshArgs("--refresh-token", ""), "--refresh-token: must not be empty"],
    ["--client-secret", () => ccArgs("--client-secret", ""), "--client-secret: must not be empty"],
    ["--issuer", () => ["client-credentials", "--issuer", "", "--client-id", "a"], "--issuer: must not be empty"],
    ["--param", () => ccArgs("--param", ""), "--param: must not be empty"],
    ["authorize --client-id", () => ["authorize", "--issuer", sandbox.issuer, "--client-id", "", "--no-open"], "--client-id: must not be empty"],
  ])("%s", async (_name, argv, message) => {
    const result = await run(argv());
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error: ${message}\n`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.sent).toEqual([]);
  });

  it.each([
    ["OAUTH_CLIENT_ID", ["client-credentials"]],
    ["OAUTH_CLIENT_SECRET", ["client-credentials", "--client-id", BASIC.id]],
    ["OAUTH_REFRESH_TOKEN", ["refresh", "--client-id", PUBLIC.id]],
  ])("%s set to whitespace alone: named, nothing sent (empty is unset, as in the shell)", async (name, argv) => {
    const tokenEndpoint = () => ["--token-endpoint", `${sandbox.issuer}/token`];
    const result = await run([...argv, ...tokenEndpoint()], { env: { OAUTH_CLIENT_ID: BASIC.id, OAUTH_REFRESH_TOKEN: "rt", [name]: " \n" } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error: ${name}: must not be blank (got " \\n")`);
    expect(result.sent).toEqual([]);
  });

  it("a blank value from a profile is named as such", async () => {
    const home = tempDir("oauth-cli-config-");
    const config = join(home, "config.json");
    mkdirSync(home, { recursive: true });
    writeFileSync(config, JSON.stringify({ version: 1, profiles: { p: { issuer: sandbox.issuer, "client-id": " " } } }));
    const result = await run(["client-credentials", "--profile", "p", "--config", config]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('error: --client-id (from the profile): must not be blank (got " ")');
    expect(result.sent).toEqual([]);
  });

  it("--scope \"\" is allowed: it asks for no scope at all", async () => {
    const result = await run(ccArgs("--scope", ""), { env: { OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.sent.at(-1)!.body).not.toMatch(/scope=/);
  });
});

describe("a client id is required by exchange and refresh", () => {
  it("exchange without one: exit 2 naming --client-id and OAUTH_CLIENT_ID, nothing sent", async () => {
    const argv = exchangeArgs().filter((a, i, all) => a !== "--client-id" && all[i - 1] !== "--client-id");
    const result = await run(argv);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("error: missing --client-id ID (or OAUTH_CLIENT_ID)");
    expect(result.sent).toEqual([]);
    const fromEnv = await run(argv, { env: { OAUTH_CLIENT_ID: PUBLIC.id } });
    expect(fromEnv.stderr).not.toContain("error: missing");
    expect(fromEnv.exitCode).toBe(1); // a made-up code, refused by the server: the id was enough to send
  });

  it("refresh without one: exit 2 naming the opt-out; with --auth-method none the refresh token goes alone", async () => {
    const env = { OAUTH_REFRESH_TOKEN: "not-a-real-token" };
    const result = await run(["refresh", "--issuer", sandbox.issuer], { env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("error: missing --client-id ID (or OAUTH_CLIENT_ID; to send the refresh token without a client id, give --auth-method none)");
    expect(result.sent).toEqual([]);

    const optOut = await run(["refresh", "--issuer", sandbox.issuer, "--auth-method", "none"], { env });
    const body = new URLSearchParams(optOut.sent.at(-1)!.body);
    expect(optOut.sent.at(-1)!.url).toBe(`${sandbox.issuer}/token`);
    expect([...body.keys()]).toEqual(["grant_type", "refresh_token"]);
    // oidc-provider itself insists on a client: proof the default guards against a real refusal.
    expect(optOut.exitCode).toBe(1);
    expect(optOut.stderr).toMatch(/invalid_(client|request)/);
  });
});

describe("--param and --header the command sets itself are refused, naming the flag to use", () => {
  it.each([
    ["--param grant_type", () => ccArgs("--param", "grant_type=password"), "--param grant_type: set by the command itself (grant_type is decided by the subcommand: exchange, refresh or client-credentials)"],
    ["--param scope", () => ccArgs("--param", "scope=api:read"), "--param scope: set by the command itself; use --scope"],
    ["--param client_id", () => ccArgs("--param", "client_id=other"), "--param client_id: set by the command itself; use --client-id (or OAUTH_CLIENT_ID)"],
    ["--param client_secret", () => ccArgs("--param", "client_secret=s"), "--param client_secret: set by the command itself; give the secret with OAUTH_CLIENT_SECRET, --client-secret-file PATH or --client-secret -"],
    ["--param code", () => [...exchangeArgs(), "--param", "code=again"], "--param code: set by the command itself; use --code"],
    ["--param redirect_uri", () => [...exchangeArgs(), "--param", "redirect_uri=http://127.0.0.1/x"], "--param redirect_uri: set by the command itself; use --redirect-uri"],
    ["--param code_verifier", () => [...exchangeArgs(), "--param", "code_verifier=x"], "--param code_verifier: set by the command itself; use --code-verifier"],
    ["--param refresh_token", () => refreshArgs("--param", "refresh_token=x"), "--param refresh_token: set by the command itself; use --refresh-token (or OAUTH_REFRESH_TOKEN)"],
    ["--param state", () => ["authorize", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--no-open", "--param", "state=x"], "--param state: set by the command itself; use --state"],
    ["--header Content-Type", () => ccArgs("--header", "Content-Type: application/json"), "--header Content-Type: set by the command itself; use --body-format form or --body-format json"],
    ["--header content-length", () => ccArgs("--header", "content-length: 3"), "--header content-length: set by the command itself (from the body)"],
  ])("%s", async (_name, argv, message) => {
    const result = await run(argv(), { env: { OAUTH_CLIENT_SECRET: BASIC.secret, OAUTH_REFRESH_TOKEN: "rt" } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error: ${message}\n`);
    expect(result.sent).toEqual([]);
  });

  it("--header Authorization is refused when the secret goes in it (basic), and sent when the client authenticates otherwise", async () => {
    const env = { OAUTH_CLIENT_SECRET: BASIC.secret };
    const direct = ["client-credentials", "--token-endpoint", `${sandbox.issuer}/token`, "--client-id", BASIC.id, "--header", "Authorization: Bearer gateway"];
    const basic = await run(direct, { env });
    expect(basic.exitCode).toBe(2);
    expect(basic.stderr).toContain("error: --header Authorization: set by the command itself (it carries the client secret with --auth-method client_secret_basic); drop the header, or choose another --auth-method (client_secret_post, none)\n");
    expect(basic.sent).toEqual([]);

    const post = await run([...direct, "--auth-method", "client_secret_post"], { env });
    const headers = post.sent.at(-1)!.headers;
    expect(Object.entries(headers).filter(([name]) => name.toLowerCase() === "authorization")).toEqual([["Authorization", "Bearer gateway"]]);
    // The provider sees two client authentications (RFC 6749 §2.3 forbids that), which is why basic refuses it.
    expect(post.exitCode).toBe(1);
  });

  it("--header accept replaces the Accept header instead of adding a second one", async () => {
    const result = await run(ccArgs("--header", "accept: application/json;q=1"), { env: { OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(result.exitCode, result.stderr).toBe(0);
    const accept = Object.entries(result.sent.at(-1)!.headers).filter(([name]) => name.toLowerCase() === "accept");
    expect(accept).toEqual([["accept", "application/json;q=1"]]);
  });

  it("an extra parameter no request sets goes through", async () => {
    const result = await run(ccArgs("--param", "audience=https://api.example.com/"), { env: { OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(new URLSearchParams(result.sent.at(-1)!.body).getAll("audience")).toEqual(["https://api.example.com/"]);
  });
});

describe("a value that starts with -V or -h is the value, not the program's --version or --help", () => {
  // Codes, verifiers and tokens are random base64url: one in 4096 starts with "-V". The program's
  // own options are read only before the subcommand, so the value reaches the request.
  it.each([
    ["--code", "-Vc0de-from-the-provider"],
    ["--code", "-hc0de-from-the-provider"],
    ["--code-verifier", "-V".padEnd(43, "v")],
  ])("exchange %s %s: the code is sent and the server's refusal explained (exit 1), no version printed", async (flag, value) => {
    const argv = ["exchange", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", "a-code-never-issued", "--redirect-uri", REDIRECT, "--code-verifier", "v".repeat(43)];
    argv[argv.indexOf(flag) + 1] = value;
    const result = await run(argv);
    expect(result.stdout).toBe("");
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).toContain("invalid_grant");
    const body = new URLSearchParams(String(result.sent.at(-1)!.body));
    expect(body.get(flag === "--code" ? "code" : "code_verifier")).toBe(value);
  });

  it("oauth-cli -V and --version still print the version; after a subcommand -V is that command's unknown option (exit 2)", async () => {
    expect((await runCli(["-V"])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await runCli(["--version"])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const after = await runCli(["exchange", "-V"]);
    expect(after.exitCode).toBe(2);
    expect(after.stdout).toBe("");
    expect(after.stderr).toContain("unknown option '-V'");
  });
});
