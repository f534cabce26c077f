import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createHeadlessBrowser } from "../../src/commands/demo/headless-browser.js";
import { runCli } from "../support/cli.js";
import { movableClock } from "../support/clock.js";
import { pkcePair } from "../support/provider.js";
import { type RunningSandbox, withSandboxCommand } from "../support/sandbox-command.js";
import { makeTempDir } from "../support/temp.js";

const REDIRECT = "http://127.0.0.1:49153/callback";

/** With --auto-login, /auth answers with one redirect to the client: a plain GET yields a code. */
async function getCode(issuer: string, opts: { clientId?: string; challenge?: string } = {}): Promise<URL> {
  const url = new URL(`${issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: opts.clientId ?? "sandbox-public", response_type: "code", redirect_uri: REDIRECT, scope: "openid", state: "s",
    ...(opts.challenge ? { code_challenge: opts.challenge, code_challenge_method: "S256" } : {}),
  }).toString();
  const res = await fetch(url, { redirect: "manual" });
  expect(res.status, await res.text()).toBe(303);
  return new URL(res.headers.get("location")!);
}

/** A whole PKCE code flow through `oauth-cli exchange`: the tokens as JSON. */
async function signIn(sandbox: RunningSandbox): Promise<Record<string, string>> {
  const { verifier, challenge } = pkcePair();
  const code = (await getCode(sandbox.issuer, { challenge })).searchParams.get("code")!;
  const run = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", "sandbox-public", "--code", code, "--redirect-uri", REDIRECT, "--code-verifier", verifier, "-o", "json"]);
  expect(run.exitCode, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, string>;
}

function refresh(sandbox: RunningSandbox, token: string) {
  return runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", "sandbox-public", "-o", "json"], { env: { OAUTH_REFRESH_TOKEN: token } });
}

function clientCredentials(sandbox: RunningSandbox, extra: string[] = [], secret = "sandbox-basic-secret") {
  return runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", "sandbox-basic", "--scope", "api:read", "-o", "json", ...extra], { env: { OAUTH_CLIENT_SECRET: secret } });
}

/** The CLI's "Likely causes, most likely first", in order. */
function causes(stderr: string): string[] {
  const block = /most likely first:\n([\s\S]*?)(?:\n\n|$)/.exec(stderr)?.[1] ?? "";
  return [...block.matchAll(/^\s+\d+\. (.+)$/gm)].map((m) => m[1]!);
}

/** A sleep for the CLI that records each wait and moves the sandbox's clock by it instead of waiting. */
function passOn(sandbox: RunningSandbox, waits: number[]): (ms: number) => Promise<void> {
  return async (ms) => {
    waits.push(ms);
    sandbox.advanceClock(ms / 1000);
  };
}

describe("sandbox knobs reproduce the failures they name, and the CLI diagnoses them", () => {
  it("--code-ttl 1: a code exchanged after 2 s is invalid_grant, diagnosed as expired", () =>
    withSandboxCommand(["--code-ttl", "1"], async (sandbox) => {
      const { verifier, challenge } = pkcePair();
      const code = (await getCode(sandbox.issuer, { challenge })).searchParams.get("code")!;
      sandbox.advanceClock(2);
      const run = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", "sandbox-public", "--code", code, "--redirect-uri", REDIRECT, "--code-verifier", verifier]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain("invalid_grant");
      expect(run.stderr).toContain("authorization code is expired");
      expect(causes(run.stderr)[0], run.stderr).toMatch(/code expired/i);
    }));

  it("--device-code-ttl 1: nobody approves, the device flow ends in expired_token, explained; --json shows the knob", () =>
    withSandboxCommand(["--device-code-ttl", "1"], async (sandbox) => {
      expect(sandbox.info.settings).toMatchObject({ deviceCodeTtl: 1 });
      // The CLI's 5 s waits are recorded and pass at once on the sandbox's clock, which the CLI
      // reads too: the expiry is the server's verdict, not ours.
      const waits: number[] = [];
      const run = await runCli(["device", "--issuer", sandbox.issuer, "--client-id", "sandbox-device"], { now: sandbox.ctx.now, sleep: passOn(sandbox, waits) });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain("the server answered expired_token");
      expect(run.stderr).toContain("The device code expired");
      expect(new Set(waits)).toEqual(new Set([5000]));
    }));

  it("--require-json-body: device --body-format json sends the device request as a form (RFC 8628 §3.1) and the polls as JSON", () =>
    withSandboxCommand(["--require-json-body", "--device-code-ttl", "1"], async (sandbox) => {
      const run = await runCli(["device", "--issuer", sandbox.issuer, "--client-id", "sandbox-device", "--body-format", "json", "-v"], { now: sandbox.ctx.now, sleep: passOn(sandbox, []) });
      // A form poll would be refused with "Must be json"; the JSON polls reach the device code and outlive it.
      expect(run.stderr).toContain("the server answered expired_token");
      expect(run.stderr).not.toContain("Must be json");
      expect(run.stderr).toMatch(/> POST http:\/\/127\.0\.0\.1:\d+\/device\/auth\n> Accept: application\/json\n> Content-Type: application\/x-www-form-urlencoded/);
      expect(run.stderr).toMatch(/> POST http:\/\/127\.0\.0\.1:\d+\/token\n> Accept: application\/json\n> Content-Type: application\/json/);
    }));

  it("--device-poll-interval 30: a poll sooner than the interval gets slow_down; device honours each with 5 s more", () =>
    withSandboxCommand(["--device-poll-interval", "30", "--device-code-ttl", "2"], async (sandbox) => {
      // The CLI's waits are recorded and pass at once, so every poll comes too soon for the server
      // (whose clock stays put): the polls are counted, and the waits are what the CLI chose after
      // each slow_down. The CLI's own clock moves 1 s a wait, so the code's 2 s run out on it.
      const waits: number[] = [];
      const cliClock = movableClock();
      const sleep = async (ms: number) => {
        waits.push(ms);
        cliClock.advance(1);
      };
      const run = await runCli(["device", "--issuer", sandbox.issuer, "--client-id", "sandbox-device", "-v"], { now: cliClock.now, sleep });
      const polls = run.stderr.match(/> POST http:\/\/127\.0\.0\.1:\d+\/token\n/g) ?? [];
      const slowDowns = run.stderr.match(/"error": "slow_down"/g) ?? [];
      expect(polls.length).toBeGreaterThanOrEqual(2);
      expect(slowDowns).toHaveLength(polls.length);
      expect(waits).toEqual(polls.map((_, i) => 30_000 + 5000 * i));
      expect(run.stderr).toContain("checking every 30 s; the code expires in 2 s");
      expect(run.stderr).toContain("checking every 35 s from now on");
      // The server never got to say expired_token (every poll came too soon): the CLI stopped at expires_in itself.
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain("the device code expired (after 2 s) and the server still answers slow_down");
    }));

  it("--rotate-refresh-tokens on: replaying a rotated refresh token is invalid_grant, diagnosed as reuse", () =>
    withSandboxCommand(["--rotate-refresh-tokens", "on"], async (sandbox) => {
      const first = await signIn(sandbox);
      const once = await refresh(sandbox, first.refresh_token!);
      expect(once.exitCode, once.stderr).toBe(0);
      expect(JSON.parse(once.stdout)).toMatchObject({ rotated: true });
      const again = await refresh(sandbox, first.refresh_token!);
      expect(again.exitCode).toBe(1);
      expect(again.stderr).toContain("refresh token already used");
      expect(causes(again.stderr)[0], again.stderr).toMatch(/rotated refresh token was used again/i);
    }));

  it("--rotate-refresh-tokens off: the same refresh token works twice", () =>
    withSandboxCommand(["--rotate-refresh-tokens", "off"], async (sandbox) => {
      const first = await signIn(sandbox);
      for (let i = 0; i < 2; i++) {
        const run = await refresh(sandbox, first.refresh_token!);
        expect(run.exitCode, run.stderr).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject({ refresh_token: first.refresh_token, rotated: false });
      }
    }));

  it("--require-pkce: a confidential client's authorize without PKCE fails naming PKCE; without the knob it works", async () => {
    const authorize = (sandbox: RunningSandbox) => {
      const browser = createHeadlessBrowser();
      return runCli(["authorize", "--issuer", sandbox.issuer, "--client-id", "sandbox-basic", "--pkce", "none", "--scope", "openid", "-o", "json", "--wait", "20"], {
        env: { OAUTH_CLIENT_SECRET: "sandbox-basic-secret" },
        openBrowser: (url) => browser.open(url),
      });
    };
    await withSandboxCommand(["--require-pkce"], async (sandbox) => {
      const run = await authorize(sandbox);
      expect(run.exitCode, run.stderr).toBe(1);
      expect(run.stderr).toContain("invalid_request");
      expect(run.stderr).toMatch(/PKCE/);
    });
    await withSandboxCommand([], async (sandbox) => {
      const run = await authorize(sandbox);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toHaveProperty("access_token");
    });
  });

  it('--require-json-body: a form body gets seed 003\'s "Must be json", advice --body-format json, which then works', () =>
    withSandboxCommand(["--require-json-body"], async (sandbox) => {
      const form = await clientCredentials(sandbox);
      expect(form.exitCode).toBe(1);
      expect(form.stderr).toContain("Must be json");
      expect(form.stderr).toContain("--body-format json");
      const json = await clientCredentials(sandbox, ["--body-format", "json"]);
      expect(json.exitCode, json.stderr).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({ token_type: expect.stringMatching(/bearer/i), access_token: expect.any(String) });
    }));

  it("--legacy-envelope: success is normalised with a note; an error is read from errorCode", () =>
    withSandboxCommand(["--legacy-envelope"], async (sandbox) => {
      const ok = await clientCredentials(sandbox);
      expect(ok.exitCode, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ access_token: expect.any(String), expires_in: 3600 });
      expect(ok.stderr).toMatch(/deprecated legacy format/);
      const bad = await clientCredentials(sandbox, [], "wrong-secret");
      expect(bad.exitCode).toBe(1);
      expect(bad.stderr).toMatch(/the server answered invalid_client/);
    }));

  it("--clock-skew 600: the CLI notices that the server's clock is 10 minutes ahead", () =>
    withSandboxCommand(["--clock-skew", "600"], async (sandbox) => {
      const run = await clientCredentials(sandbox);
      expect(run.exitCode, run.stderr).toBe(0);
      // The Date header has 1 s resolution: 599 to 601.
      expect(run.stderr).toMatch(/server's clock[^\n]* (599|600|601) s ahead/i);
      // Without the knob, nothing to notice.
      await withSandboxCommand([], async (plain) => expect((await clientCredentials(plain)).stderr).not.toMatch(/clock/i));
    }));

  it("--access-token-ttl 1: the access token is dead at introspection 2 s later", () =>
    withSandboxCommand(["--access-token-ttl", "1"], async (sandbox) => {
      const tokens = await signIn(sandbox);
      expect(tokens.expires_in).toBe(1);
      sandbox.advanceClock(2);
      const res = await fetch(`${sandbox.issuer}/token/introspection`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from("sandbox-basic:sandbox-basic-secret").toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: tokens.access_token! }).toString(),
      });
      expect(await res.json()).toEqual({ active: false });
    }));

  it("--refresh-token-ttl 1: refreshing 2 s later is invalid_grant, the server saying the refresh token expired", () =>
    withSandboxCommand(["--refresh-token-ttl", "1"], async (sandbox) => {
      const tokens = await signIn(sandbox);
      sandbox.advanceClock(2);
      const run = await refresh(sandbox, tokens.refresh_token!);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain("invalid_grant");
      expect(run.stderr).toContain("refresh token is expired");
      // The diagnosis from context ranks the server's own reason first.
      expect(causes(run.stderr)[0], run.stderr).toMatch(/refresh token reached its maximum age|refresh token[^.]*expired/i);
    }));

  it("--state-file: a refresh token from before a restart still works after it", async () => {
    const stateFile = join(makeTempDir("sandbox"), "state.json");
    let port = 0;
    let refreshToken = "";
    await withSandboxCommand(["--state-file", stateFile], async (sandbox) => {
      port = sandbox.port;
      refreshToken = (await signIn(sandbox)).refresh_token!;
    });
    await withSandboxCommand(["--state-file", stateFile, "--port", String(port)], async (sandbox) => {
      const run = await refresh(sandbox, refreshToken);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toHaveProperty("access_token");
    });
  });
});
