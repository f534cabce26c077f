import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { startSeedServer, type SeedServer } from "../support/seed-server.js";
import { makeTempDir } from "../support/temp.js";

let seed: SeedServer;
beforeAll(async () => {
  seed = await startSeedServer();
});
afterAll(async () => seed.close());

const cc = (path: string, ...extra: string[]) => ["client-credentials", "--token-endpoint", `${seed.url}${path}`, "--client-id", "app", ...extra];

describe("usage errors (exit 2) name every problem", () => {
  it("names each missing flag at once", async () => {
    const run = await runCli(["exchange"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--code CODE");
    expect(run.stderr).toContain("--redirect-uri URI");
    expect(run.stderr).toContain("--token-endpoint URL or --issuer URL");
    expect(run.stdout).toBe("");
  });

  it.each([
    [["client-credentials", "--token-endpoint", "not a url", "--client-id", "a"], /--token-endpoint: "not a url" is not a URL/],
    [["client-credentials", "--token-endpoint", "http://127.0.0.1:1/t", "--client-id", "a", "--param", "novalue"], /--param: "novalue" is not name=value/],
    [["client-credentials", "--token-endpoint", "http://127.0.0.1:1/t", "--client-id", "a", "--header", "bad header"], /--header: "bad header" is not "Name: value"/],
    [["client-credentials", "--token-endpoint", "http://127.0.0.1:1/t", "--client-id", "a", "--timeout", "soon"], /--timeout: "soon"/],
    [["client-credentials", "--token-endpoint", "http://127.0.0.1:1/t", "--client-id", "a", "--auth-method", "client_secret_post"], /needs a client secret/],
    [["client-credentials", "--token-endpoint", "http://127.0.0.1:1/t", "--client-id", "a", "--client-secret-file", "/nonexistent/secret"], /--client-secret-file: cannot read "\/nonexistent\/secret"/],
    [["client-credentials", "-o", "yaml"], /argument 'yaml' is invalid/],
    [["refresh", "--token-endpoint", "http://127.0.0.1:1/t"], /--refresh-token TOKEN/],
    [["client-credentials", "--bogus"], /unknown option '--bogus'/],
  ])("%j", async (argv, message) => {
    const run = await runCli(argv);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it("--help and --version exit 0 on stdout; help documents the exit codes", async () => {
    const help = await runCli(["refresh", "--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("--refresh-token");
    expect(help.stdout).toMatch(/Exit codes of refresh:[\s\S]*130/);
    const version = await runCli(["--version"]);
    expect(version.exitCode).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("client secret sources", () => {
  it("reads the secret from a file (trailing newline dropped), env, stdin; warns about argv", async () => {
    const dir = makeTempDir("secret");
    writeFileSync(join(dir, "secret"), "file-secret\n");
    const basic = (s: string) => `Basic ${Buffer.from(`app:${s}`).toString("base64")}`;

    await runCli(cc("/echo/token", "--client-secret-file", join(dir, "secret")));
    expect(seed.requests.at(-1)!.headers.authorization).toBe(basic("file-secret"));

    await runCli(cc("/echo/token"), { env: { OAUTH_CLIENT_SECRET: "env-secret" } });
    expect(seed.requests.at(-1)!.headers.authorization).toBe(basic("env-secret"));

    await runCli(cc("/echo/token", "--client-secret", "-"), { stdin: "stdin-secret\n" });
    expect(seed.requests.at(-1)!.headers.authorization).toBe(basic("stdin-secret"));

    const argv = await runCli(cc("/echo/token", "--client-secret", "argv-secret"));
    expect(seed.requests.at(-1)!.headers.authorization).toBe(basic("argv-secret"));
    expect(argv.stderr).toMatch(/visible to other local users/);
  });

  it("two flags cannot both read stdin", async () => {
    const run = await runCli(["exchange", "--token-endpoint", `${seed.url}/echo/token`, "--client-id", "a", "--code", "-", "--code-verifier", "-", "--redirect-uri", "http://127.0.0.1/cb"], { stdin: "x" });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--code-verifier -: standard input is already used by --code/);
  });

  it("warns when the secret has surrounding whitespace", async () => {
    const run = await runCli(cc("/echo/token"), { env: { OAUTH_CLIENT_SECRET: " padded " } });
    expect(run.stderr).toMatch(/surrounding whitespace/);
  });
});

describe("output", () => {
  it("json when stdout is not a TTY, pretty on a TTY, env and token on request", async () => {
    const json = await runCli(cc("/echo/token"));
    expect(JSON.parse(json.stdout)).toMatchObject({ access_token: "seed-access-token-1", expires_in: 3600 });
    expect(JSON.parse(json.stdout).expires_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const pretty = await runCli(cc("/echo/token"), { stdoutTTY: true });
    expect(pretty.stdout).toContain("Bearer access token");
    expect(pretty.stdout).not.toMatch(/\u001b\[/); // NO_COLOR is set in test contexts
    const coloured = await runCli(cc("/echo/token"), { stdoutTTY: true, env: { NO_COLOR: undefined } });
    expect(coloured.stdout).toMatch(/\u001b\[/);
    const env = await runCli(cc("/echo/token", "-o", "env"));
    expect(env.stdout).toContain("OAUTH_ACCESS_TOKEN=seed-access-token-1\n");
    const token = await runCli(cc("/echo/token", "-o", "token"));
    expect(token.stdout).toBe("seed-access-token-1\n");
  });
});

describe("the seed formats", () => {
  it("JSON-only provider (seed 003): form body refused and explained with --body-format json; json body works", async () => {
    const form = await runCli(cc("/json-only/token"), { env: { OAUTH_CLIENT_SECRET: "s" } });
    expect(form.exitCode).toBe(1);
    expect(form.stderr).toContain("Unsupported Media Type for POST body. Must be json.");
    expect(form.stderr).toContain("--body-format json");
    const json = await runCli(cc("/json-only/token", "--body-format", "json", "--auth-method", "client_secret_post"), { env: { OAUTH_CLIENT_SECRET: "s" } });
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(seed.requests.at(-1)!.body)).toMatchObject({ grant_type: "client_credentials", client_id: "app", client_secret: "s" });
  });

  it("legacy envelope (seed 001): success normalised with a note; error read from errorCode", async () => {
    const ok = await runCli(["refresh", "--token-endpoint", `${seed.url}/legacy/token`, "--client-id", "app", "--refresh-token", "good"]);
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ access_token: "legacy-at-1", expires_in: 3600, refresh_token: "legacy-rt-2", rotated: true });
    expect(ok.stderr).toMatch(/deprecated legacy format/);
    const bad = await runCli(["refresh", "--token-endpoint", `${seed.url}/legacy/token`, "--client-id", "app", "--refresh-token", "bad"]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/invalid_grant/);
    expect(bad.stderr).toMatch(/refresh_token is expired/);
  });

  it("array error_description (seed 001) is shown once, every item, with the HTTP metadata (seed 000)", async () => {
    const run = await runCli(cc("/array/token"));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error: the server answered invalid_request: Missing required params; client_secret$/m);
    // The headline carries each item; listing them again below would say them twice.
    expect(run.stderr).not.toMatch(/^ {2}- (?:Missing required params|client_secret)$/m);
    expect(run.stderr).toMatch(/HTTP 400/);
    expect(run.stderr).toMatch(/x-request-id: seed-req-1/);
  });

  it("expires_in as a string", async () => {
    const run = await runCli(cc("/string-expiry/token"));
    expect(JSON.parse(run.stdout).expires_in).toBe(3599);
  });

  it.each(["not_supported", "account_locked", "account_disabled", "authorization_pending", "authorization_expired", "slow_down"])(
    "seed 002 extended code %s: exit 1, explained",
    async (code) => {
      const run = await runCli(cc(`/seed002/${code}/token`));
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(code);
      expect(run.stderr).toMatch(/Likely causes|What to try/);
    },
  );
});

describe("misbehaving servers: one clear paragraph and the right exit code", () => {
  it.each([
    ["/html-502/token", 4, /HTML page titled "502 Bad Gateway"/],
    ["/redirect/token", 4, /redirected to https:\/\/login\.example\.com\//],
    ["/huge/token", 4, /larger than the size cap/],
    ["/no-token/token", 4, /"access_token" is missing/],
  ])("%s → exit %d", async (path, code, message) => {
    const run = await runCli(cc(path));
    expect(run.exitCode).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe("");
  });

  it("a server that never answers → exit 3 after --timeout", async () => {
    const run = await runCli(cc("/silent/token", "--timeout", "0.5"));
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/no answer within 0.5 s/);
  });

  it("a refused connection → exit 3 with a hint", async () => {
    const run = await runCli(["client-credentials", "--token-endpoint", "http://127.0.0.1:9/token", "--client-id", "a"]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/connection refused/);
    expect(run.stderr).toMatch(/hint:/);
  });

  it("an interrupted request → exit 130", async () => {
    const controller = new AbortController();
    const pending = runCli(cc("/silent/token"), { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const run = await pending;
    expect(run.exitCode).toBe(130);
  });
});

describe("plain http", () => {
  it("is warned about for anything but loopback (RFC 9700 §2.6)", async () => {
    const remote = await runCli(["client-credentials", "--token-endpoint", "http://token.invalid/token", "--client-id", "a", "--timeout", "2"]);
    expect(remote.stderr).toMatch(/http:\/\/token\.invalid\/token is plain http/);
    const loopback = await runCli(cc("/echo/token"));
    expect(loopback.stderr).not.toMatch(/plain http/);
  });
});

describe("discovery", () => {
  it("falls back to OpenID discovery and uses the first supported auth method", async () => {
    const run = await runCli(["client-credentials", "--issuer", `${seed.url}/oidc-only`, "--client-id", "app"], { env: { OAUTH_CLIENT_SECRET: "s" } });
    expect(run.exitCode).toBe(0);
    const paths = seed.requests.slice(-3).map((r) => r.url);
    expect(paths).toEqual(["/.well-known/oauth-authorization-server/oidc-only", "/oidc-only/.well-known/openid-configuration", "/echo/token"]);
    expect(new URLSearchParams(seed.requests.at(-1)!.body).get("client_secret")).toBe("s");
  });

  it("refuses a document for another issuer (exit 4) and points out a trailing-slash difference", async () => {
    const mismatch = await runCli(["client-credentials", "--issuer", `${seed.url}/mismatch`, "--client-id", "app"]);
    expect(mismatch.exitCode).toBe(4);
    expect(mismatch.stderr).toMatch(/is for issuer ".*\/someone-else", not ".*\/mismatch"/);
    const slash = await runCli(["client-credentials", "--issuer", `${seed.url}/slash`, "--client-id", "app"]);
    expect(slash.exitCode).toBe(4);
    expect(slash.stderr).toMatch(/trailing slash/);
  });

  it("no metadata at all → exit 4 listing what was tried", async () => {
    const run = await runCli(["client-credentials", "--issuer", `${seed.url}/nothing`, "--client-id", "app"]);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/HTTP 404/);
    expect(run.stderr).toMatch(/--token-endpoint/);
  });
});
