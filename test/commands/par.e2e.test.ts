import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthorize } from "../support/authorize.js";
import { chromiumOpener, launchBrowser, loginInBrowser, newLoopbackPage } from "../support/browser.js";
import { runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { introspect, PUBLIC, startTestProvider, userinfo, type Sandbox } from "../support/provider.js";

// PAR (RFC 9126) end to end: the CLI in-process, a real oidc-provider, Debian's Chromium as the browser
// for the push's sign-in. The other runs are about what the CLI pushes and redeems, so the user's part
// goes over HTTP (the same provider pages, the redirect delivered to the CLI's listener).
let sandbox: Sandbox;
let requiring: Sandbox;
let browser: Browser;
beforeAll(async () => {
  [sandbox, requiring, browser] = await Promise.all([startTestProvider(), startTestProvider({ requirePar: true }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  await requiring?.close();
});

const PAR_CLIENT = "sandbox-par";
const DPOP = { id: "sandbox-dpop", secret: "sandbox-dpop-secret" } as const;

/** Signs in on the provider's pages in Chromium and waits for the run. */
async function signInChromium(issuer: string, argv: string[], env: Record<string, string> = {}) {
  const opener = chromiumOpener(() => newLoopbackPage(browser));
  const run = startAuthorize(argv, { openBrowser: opener.open, env });
  const url = await run.url;
  const page = await opener.page;
  await page.waitForURL((u) => u.origin === issuer && u.pathname.startsWith("/interaction/"));
  await loginInBrowser(page, { user: "pat" });
  const result = await run.done;
  await page.close();
  return { url, ...result };
}

/** The same over HTTP: the provider's pages answered, the final redirect delivered to the CLI's listener. */
async function signInHttp(argv: string[], env: Record<string, string> = {}) {
  const run = startAuthorize(argv, { env });
  const url = await run.url;
  await fetch(await completeLoginHttp(url.href, { user: "pat" }));
  return { url, ...(await run.done) };
}

describe("authorize --par", () => {
  it("pushes the request; the browser (Chromium) carries only client_id and request_uri; the tokens work", async () => {
    const { url, exitCode, stdout, stderr } = await signInChromium(sandbox.issuer, ["--issuer", sandbox.issuer, "--client-id", PAR_CLIENT, "--par", "--scope", "openid profile", "-o", "json", "-v"]);
    expect(exitCode, stderr).toBe(0);
    expect([...url.searchParams.keys()].sort()).toEqual(["client_id", "request_uri"]);
    expect(url.searchParams.get("client_id")).toBe(PAR_CLIENT);
    expect(url.searchParams.get("request_uri")).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    // The push itself, traced: the whole authorization request went in its body.
    expect(stderr).toMatch(new RegExp(`> POST ${sandbox.issuer}/request\\n`));
    expect(stderr).toMatch(/> .*response_type=code.*code_challenge=.*code_challenge_method=S256/);
    expect(stderr).toMatch(/< HTTP 201/);
    const tokens = JSON.parse(stdout);
    expect(await userinfo(sandbox, tokens.access_token)).toMatchObject({ sub: "pat" });
  });

  it("without --par, a server that requires PAR (require_pushed_authorization_requests) gets a pushed request anyway", async () => {
    const { url, exitCode, stdout, stderr } = await signInHttp(["--issuer", requiring.issuer, "--client-id", PUBLIC.id, "--scope", "openid", "-o", "json"]);
    expect(exitCode, stderr).toBe(0);
    expect(stderr).toMatch(/note: the server requires pushed authorization requests/);
    expect([...url.searchParams.keys()].sort()).toEqual(["client_id", "request_uri"]);
    expect(await introspect(requiring, JSON.parse(stdout).access_token)).toMatchObject({ active: true, client_id: PUBLIC.id });
  });

  it("a client registered for PAR only, sent a plain request, is refused on the redirect and told to add --par", async () => {
    const run = startAuthorize(["--issuer", sandbox.issuer, "--client-id", PAR_CLIENT, "--scope", "openid"]);
    const url = await run.url;
    expect(url.searchParams.get("request_uri")).toBeNull();
    // The provider answers the plain request with a redirect carrying the error, no page in between.
    await fetch(await completeLoginHttp(url.href));
    const { exitCode, stderr } = await run.done;
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/error: the server answered invalid_request/);
    expect(stderr).toMatch(/hint: .*add --par/);
  });

  it("--par --dpop: the push carries a proof (nonce asked once), the token request reuses that nonce, and the token is DPoP-bound", async () => {
    const { exitCode, stdout, stderr } = await signInHttp(["--issuer", sandbox.issuer, "--client-id", DPOP.id, "--par", "--dpop", "--scope", "openid", "-o", "json", "-v"], { OAUTH_CLIENT_SECRET: DPOP.secret });
    expect(exitCode, stderr).toBe(0);
    const tokens = JSON.parse(stdout);
    expect(tokens.token_type).toBe("DPoP");
    const live = await introspect(sandbox, tokens.access_token);
    expect(live).toMatchObject({ active: true, token_type: "DPoP" });
    // Each traced request and the proof it carried.
    const requests = [...stderr.matchAll(/^> POST (\S+)\n((?:> .*\n)*)/gm)].map((m) => ({ url: m[1]!, nonce: /"nonce":"([^"]+)"/.exec(m[2]!)?.[1], proof: /^> DPoP: /m.test(m[2]!) }));
    const pushes = requests.filter((r) => r.url.endsWith("/request"));
    const tokenCalls = requests.filter((r) => r.url.endsWith("/token"));
    expect(pushes.every((r) => r.proof)).toBe(true);
    // The push: refused once with use_dpop_nonce, then sent again with the nonce.
    expect(pushes).toHaveLength(2);
    expect(pushes[0]!.nonce).toBeUndefined();
    expect(pushes[1]!.nonce).toEqual(expect.any(String));
    // The token request already carries the kept nonce: no second use_dpop_nonce round.
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]!.nonce).toEqual(expect.any(String));
    expect(stderr).not.toMatch(/not bound/);
  });
});

describe("PAR errors", () => {
  it("a wrong client secret at the push: invalid_client explained as a PAR failure, before any browser", async () => {
    const opened: string[] = [];
    const run = await runCli(["authorize", "--issuer", sandbox.issuer, "--client-id", DPOP.id, "--par", "--scope", "openid"], { env: { OAUTH_CLIENT_SECRET: "wrong" }, openBrowser: async (u) => void opened.push(u) });
    expect(run.exitCode).toBe(1);
    expect(opened).toEqual([]);
    expect(run.stderr).toMatch(/error: the server answered invalid_client/);
    expect(run.stderr).toContain(`refused by the pushed authorization request endpoint ${sandbox.issuer}/request (RFC 9126 §2.3)`);
    expect(run.stderr).toMatch(/this run pushed: .*redirect_uri.*code_challenge/);
    expect(run.stderr).toMatch(/hint: The pushed authorization request endpoint authenticates the client/);
  });

  it("--par with a server that has no PAR endpoint: a usage error naming --par-endpoint (exit 2)", async () => {
    const run = await runCli(["authorize", "--authorization-endpoint", `${sandbox.issuer}/auth`, "--token-endpoint", `${sandbox.issuer}/token`, "--client-id", PAR_CLIENT, "--par", "--no-open"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/no pushed_authorization_request_endpoint; give --par-endpoint URL/);
  });
});
