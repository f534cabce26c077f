import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthorize } from "../support/authorize.js";
import { runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, BASIC, pkcePair, PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { movableClock } from "../support/clock.js";
import { makeTempDir } from "../support/temp.js";
import { causes } from "../support/causes.js";

// Each failure is produced for real by oidc-provider (or, where said, by a small server speaking a
// shape oidc-provider does not), and each assertion is on what the tool says it saw: a "seen:" line
// must be true, and the cause the server's own words name comes first.
let sandbox: Sandbox;
/** Codes live 1 s: a code is expired once its clock is moved on (test/support/clock.ts), no real wait. */
let shortCodes: Sandbox;
/** The same, with the server's clock 540 s ahead, so a client clock moved on by 540 s agrees with it. */
let lateUser: Sandbox;
const shortClock = movableClock();
const lateClock = movableClock();
const env = { XDG_STATE_HOME: makeTempDir("state") };
beforeAll(async () => {
  [sandbox, shortCodes, lateUser] = await Promise.all([
    startTestProvider(), startTestProvider({ codeTtl: 1, now: shortClock.now }), startTestProvider({ codeTtl: 1, clockSkew: 540, now: lateClock.now }),
  ]);
});
afterAll(async () => Promise.all([sandbox?.close(), shortCodes?.close(), lateUser?.close()]));

const REDIRECT = "http://127.0.0.1:8123/callback";

async function freshCode(server = sandbox, opts: { pkce?: boolean; clientId?: string } = {}): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const url = authorizationUrl(server, { redirectUri: REDIRECT, scope: "openid offline_access", clientId: opts.clientId, ...(opts.pkce !== false && { challenge }) });
  const final = new URL(await completeLoginHttp(url));
  return { code: final.searchParams.get("code")!, verifier };
}

function exchange(server: Sandbox, code: string, more: string[]) {
  return runCli(["exchange", "--issuer", server.issuer, "--client-id", PUBLIC.id, "--code", code, "--redirect-uri", REDIRECT, ...more], { env });
}

describe("evidence must be true", () => {
  it("a code pasted minutes after sign-in: its age is not taken from the paste, and expiry the server names comes first", async () => {
    // The user pastes 9 minutes after the authorization request: simulated by moving the client's
    // clock on by 540 s once the URL is shown, against a server whose clock is 540 s ahead too
    // (so the Date header agrees); the 1 s code lifetime makes the server's refusal a real expiry.
    let offset = 0;
    let showUrl!: (url: string) => void;
    const shown = new Promise<string>((resolve) => (showUrl = resolve));
    const prompter = {
      input: async () => {
        const final = await completeLoginHttp(await shown);
        lateClock.advance(1.5);
        offset = 540_000;
        return final;
      },
      checkbox: async () => [],
    };
    const run = startAuthorize(["--issuer", lateUser.issuer, "--client-id", PUBLIC.id, "--scope", "openid", "--paste"], {
      env,
      prompter,
      now: () => Date.now() + offset,
      openBrowser: async (url) => showUrl(url),
    });
    const { exitCode, stderr } = await run.done;
    expect(exitCode).toBe(1);
    expect(stderr).not.toMatch(/too soon|after the redirect arrived|too young|younger than usual/);
    const [first] = causes(stderr);
    expect(first!.text).toMatch(/expired before it was exchanged/);
    expect(first!.seen.join("\n")).toMatch(/the server said "grant request is invalid \(authorization code is expired\)"/);
    expect(first!.seen.join("\n")).toMatch(/the code was between 0 s and 54\d s old: the code was pasted 0 s before the exchange, but the authorization request was made 54\d s before it, and when the server issued a pasted code is unknown/);
  });

  it("an expired code sent twice: the second refusal is not 'already redeemed', since the first was refused too", async () => {
    const { code, verifier } = await freshCode(shortCodes);
    shortClock.advance(1.5);
    const firstTry = await exchange(shortCodes, code, ["--code-verifier", verifier]);
    expect(firstTry.exitCode).toBe(1);
    const again = await exchange(shortCodes, code, ["--code-verifier", verifier]);
    expect(again.exitCode).toBe(1);
    const list = causes(again.stderr);
    expect(list[0]!.text).toMatch(/expired before it was exchanged/);
    // Sent before, refused then: the record says so, and it speaks against reuse (it drops out of the top five).
    expect(again.stderr).not.toMatch(/already redeemed|oauth-cli already redeemed this code/);
  });

  it("authorize --no-exchange then exchange with another redirect_uri: the recorded one is compared, and how they differ is shown", async () => {
    const run = startAuthorize(["--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--scope", "openid", "--no-exchange"], { env });
    await fetch(await completeLoginHttp((await run.url).href));
    const printed = JSON.parse((await run.done).stdout) as { code: string; code_verifier: string; redirect_uri: string };
    const other = printed.redirect_uri.replace(/\/callback$/, "/callback/");
    const refused = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", printed.code, "--redirect-uri", other, "--code-verifier", printed.code_verifier], { env });
    expect(refused.exitCode).toBe(1);
    const list = causes(refused.stderr);
    expect(list[0]!.text).toMatch(/redirect_uri sent to the token endpoint differs/);
    expect(list[0]!.seen).toContain(`the exchange sent redirect_uri ${other}, but \`oauth-cli authorize\` sent ${printed.redirect_uri} for this code: they differ in a trailing slash (path /callback/ vs /callback)`);
  });
});

describe("what the run sent comes first", () => {
  it("exchange without --code-verifier for a PKCE code: the missing verifier first, not advice to use --pkce S256", async () => {
    const { code } = await freshCode();
    const run = await exchange(sandbox, code, []);
    expect(run.exitCode).toBe(1);
    const [first] = causes(run.stderr);
    expect(first!.text).toMatch(/the exchange sent no code_verifier/);
    expect(first!.seen.join("\n")).toMatch(/this run sent no code_verifier/);
    expect(run.stderr).not.toMatch(/Use `oauth-cli authorize --pkce S256`/);
  });

  it("authorize --pkce none where PKCE is required: the PKCE cause first, seen: no code_challenge", async () => {
    const run = startAuthorize(["--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--scope", "openid", "--pkce", "none"], { env });
    const page = await fetch((await run.url).href);
    await page.text();
    const { exitCode, stderr } = await run.done;
    expect(exitCode).toBe(1);
    const [first] = causes(stderr);
    expect(first!.text).toMatch(/requires PKCE and the authorization request had no code_challenge/);
    expect(first!.seen).toContain("this run sent no code_challenge (--pkce none)");
  });

  it("a refresh token this server never issued: 'not issued by this server / to this client' first, not rotation", async () => {
    const run = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--refresh-token", "not-a-token-of-this-server"], { env });
    expect(run.exitCode).toBe(1);
    const [first] = causes(run.stderr);
    expect(first!.text).toMatch(/not issued by this server, or not to this client/);
    expect(first!.seen.join("\n")).toMatch(/the server said "grant request is invalid \(refresh token not found\)"/);
    expect(first!.seen.join("\n")).toMatch(/oauth-cli has no record of using this refresh token/);
  });

  it("refresh --scope with a scope the server does not know: 'more than the original grant' still first", async () => {
    const { code, verifier } = await freshCode();
    const tokens = JSON.parse((await exchange(sandbox, code, ["--code-verifier", verifier])).stdout);
    const run = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--refresh-token", tokens.refresh_token, "--scope", "openid no-such-scope"], { env });
    expect(run.exitCode).toBe(1);
    const list = causes(run.stderr);
    expect(list[0]!.text).toMatch(/On refresh, the scope asks for more than the original grant/);
    expect(list[0]!.seen).toContain('this refresh asked for scope "openid no-such-scope"; on refresh the scope must be within what the user granted originally');
  });
});

/**
 * A token endpoint speaking shapes oidc-provider never produces: python-oauthlib's redirect_uri
 * mismatch (invalid_request, "Mismatching redirect URI.") and seed 003's JSON-only endpoint that
 * wants `scope` in every token request. Its authorization endpoint signs everyone in at once.
 */
async function startOddServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (url.pathname === "/authorize") {
        const back = new URL(url.searchParams.get("redirect_uri")!);
        back.searchParams.set("code", "odd-code-1");
        back.searchParams.set("state", url.searchParams.get("state")!);
        res.writeHead(302, { location: back.href }).end();
        return;
      }
      res.writeHead(400, { "content-type": "application/json" });
      if (url.pathname === "/plain/token") res.end(JSON.stringify({ error: "invalid_grant" }));
      else if (url.pathname === "/oauthlib/token") res.end(JSON.stringify({ error: "invalid_request", error_description: "Mismatching redirect URI." }));
      else res.end(JSON.stringify({ error: "invalid_request", error_description: "Missing fields in POST body client_id, client_secret, grant_type and scope required." }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("shapes of other servers", () => {
  let odd: Awaited<ReturnType<typeof startOddServer>>;
  beforeAll(async () => {
    odd = await startOddServer();
  });
  afterAll(async () => odd?.close());

  it("a redirect_uri mismatch answered as invalid_request: diagnosed as the mismatch, with how the URIs differ", async () => {
    const endpoints = ["--authorization-endpoint", `${odd.url}/authorize`, "--token-endpoint", `${odd.url}/oauthlib/token`, "--client-id", "c1"];
    const run = startAuthorize([...endpoints, "--scope", "read", "--no-exchange"], { env });
    await fetch((await run.url).href);
    const printed = JSON.parse((await run.done).stdout) as { code: string; code_verifier: string; redirect_uri: string };
    const other = printed.redirect_uri.replace("127.0.0.1", "localhost");
    const refused = await runCli(["exchange", "--token-endpoint", `${odd.url}/oauthlib/token`, "--client-id", "c1", "--code", printed.code, "--redirect-uri", other, "--code-verifier", printed.code_verifier], { env });
    expect(refused.exitCode).toBe(1);
    const [first] = causes(refused.stderr);
    expect(first!.text).toMatch(/redirect_uri sent to the token endpoint differs/);
    expect(first!.seen).toContain('the server said "Mismatching redirect URI."');
    expect(first!.seen).toContain(`the exchange sent redirect_uri ${other}, but \`oauth-cli authorize\` sent ${printed.redirect_uri} for this code: they differ in host localhost vs 127.0.0.1`);
  });

  it("authorize --no-exchange then exchange, refused with a bare invalid_grant: the recorded arrival shows the code was seconds old, so expiry is not first", async () => {
    const endpoints = ["--authorization-endpoint", `${odd.url}/authorize`, "--token-endpoint", `${odd.url}/plain/token`, "--client-id", "c1"];
    const run = startAuthorize([...endpoints, "--scope", "read", "--no-exchange"], { env });
    await fetch((await run.url).href);
    const printed = JSON.parse((await run.done).stdout) as { code: string; code_verifier: string; redirect_uri: string };
    const refused = await runCli(["exchange", "--token-endpoint", `${odd.url}/plain/token`, "--client-id", "c1", "--code", printed.code, "--redirect-uri", printed.redirect_uri, "--code-verifier", printed.code_verifier], { env });
    expect(refused.exitCode).toBe(1);
    const list = causes(refused.stderr);
    expect(list[0]!.text).not.toMatch(/expired/);
    // Expiry and a redirect_uri mismatch were checked against the record and ruled down; the verifier is what is left.
    expect(list[0]!.text).toMatch(/code_verifier does not hash/);
    expect(list.map((c) => c.text).join("\n")).not.toMatch(/expired before it was exchanged|redirect_uri sent to the token endpoint differs/);
    expect(refused.stderr).toMatch(/oauth-cli has no record of sending this code before \(it received it from `authorize --no-exchange`\)/);
  });

  it("a JSON-only provider refusing the exchange: no false 'the authorization request carried no scope'", async () => {
    const endpoints = ["--authorization-endpoint", `${odd.url}/authorize`, "--token-endpoint", `${odd.url}/json/token`, "--client-id", "c1"];
    const run = startAuthorize([...endpoints, "--scope", "business_connect", "--body-format", "json", "--auth-method", "client_secret_post"], { env: { ...env, OAUTH_CLIENT_SECRET: "s1" } });
    expect((await run.url).searchParams.get("scope")).toBe("business_connect");
    await fetch((await run.url).href);
    const { exitCode, stderr } = await run.done;
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/invalid_request/);
    expect(stderr).not.toMatch(/authorization request carried no scope/);
    // What is true may be said: the exchange itself carried none.
    expect(stderr).toMatch(/seen: the code exchange carried no scope \(the authorization request asked for "business_connect"\)/);
  });
});
