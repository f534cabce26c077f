import { expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { isPortFree } from "../support/sandbox-command.js";

it("npm run demo: sandbox, authorize, refresh with rotation, client-credentials, a reproduced invalid_grant, revoke then introspect; exit 0, port freed", async () => {
  const run = await runCli(["demo"]);
  const out = run.stdout;
  expect(run.exitCode, `${out}\n${run.stderr}`).toBe(0);
  const issuer = /Started the sandbox at (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
  expect(issuer, out).toBeTruthy();
  const [, url, port] = issuer!;

  // Step 1: authorize with PKCE through the headless browser, then the code redeemed for tokens.
  const [intro, step1, step2, step3, step4, step5] = out.split(/^\d\/5 {2}/m);
  expect(intro).toContain("oauth-cli demo");
  expect(step1).toContain(`$ oauth-cli authorize --issuer ${url} --client-id sandbox-public`);
  expect(step1).toMatch(/code_challenge_method=S256/);
  expect(step1).toMatch(/\$ oauth-cli exchange .*--code <code> .*--code-verifier <code_verifier>/);
  const firstRefresh = /refresh_token {2}(\S+)/.exec(step1!)?.[1];
  expect(step1).toMatch(/✓ Bearer access token, expires in 3600 s/);
  expect(step1).toMatch(/access_token {3}\S{20,}/);
  expect(step1).toMatch(/id_token .*sub "alice"/);
  // inspect on that ID token: verified against the sandbox's keys, with the nonce authorize sent.
  expect(step1).toMatch(new RegExp(`\\$ oauth-cli inspect <id_token> --issuer ${url} --client-id sandbox-public --nonce [A-Za-z0-9_-]{43} -o pretty`));
  expect(step1).toMatch(/✓ signature: verified with key kid ".+" from http:\/\/127\.0\.0\.1:\d+\/jwks/);
  expect(step1).toMatch(/✓ nonce: "[A-Za-z0-9_-]{43}"/);
  expect(step1).toMatch(/exp\s+\d+ {2}\S+Z \(expires in 60 min\)/);
  expect(step1).toContain("✓ valid");
  expect(firstRefresh).toBeTruthy();

  // Step 2: refresh, and the rotation is shown: a different refresh token came back.
  expect(step2).toMatch(/\$ OAUTH_REFRESH_TOKEN=<refresh_token from step 1> oauth-cli refresh --issuer/);
  const secondRefresh = /refresh_token {2}(\S+)/.exec(step2!)?.[1];
  expect(secondRefresh).toBeTruthy();
  expect(secondRefresh).not.toBe(firstRefresh);
  expect(step2).toContain("rotated:");
  // Secrets passed by environment never appear in the shown command line.
  expect(out).not.toContain(`OAUTH_REFRESH_TOKEN=${firstRefresh}`);

  // Step 3: client credentials with the basic client.
  expect(step3).toContain("$ OAUTH_CLIENT_SECRET=sandbox-basic-secret oauth-cli client-credentials");
  expect(step3).toMatch(/✓ Bearer access token.*scope "api:read"/);

  // Step 4: the same exchange again: a real invalid_grant from the server, explained.
  expect(step4).toMatch(/\$ oauth-cli exchange .*--code <code>/);
  expect(step4).toContain("error: the server answered invalid_grant");
  expect(step4).toContain("authorization code already consumed");
  expect(step4).toMatch(/Likely causes, most likely first:\n\s+1\. The authorization code was already redeemed/);
  expect(step4).toContain("exit status 1");

  // Step 5: revoke the refresh token of step 2; the server then says its access token is inactive.
  expect(step5).toContain("$ OAUTH_TOKEN=<refresh_token from step 2> oauth-cli revoke");
  expect(step5).toMatch(/\$ OAUTH_CLIENT_SECRET=sandbox-basic-secret OAUTH_TOKEN=<access_token from step 2> oauth-cli introspect/);
  expect(step5).toContain("✗ not active:");
  expect(out).not.toContain(`OAUTH_TOKEN=${secondRefresh}`);

  expect(out).toContain(`Stopped the sandbox; port ${port} is free again.`);
  expect(await isPortFree(Number(port))).toBe(true);
});

it("npm run demo -- --browser: the sign-in happens on the provider's pages in a real (headless) Chromium", async () => {
  const { launchBrowser, loginInBrowser, newLoopbackPage } = await import("../support/browser.js");
  const browser = await launchBrowser();
  const visited: string[] = [];
  try {
    // The context's openBrowser is what `open` does for a user: show the URL in a browser.
    const openBrowser = async (url: string) => {
      const page = await newLoopbackPage(browser);
      void page
        .goto(url)
        .then(async () => {
          visited.push(page.url());
          await loginInBrowser(page, { user: "bob" });
        })
        .catch(() => undefined);
    };
    const run = await runCli(["demo", "--browser"], { openBrowser });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("Sign in in your browser");
    // The browser really was on the sandbox's login page, and the user it signed in as got the tokens.
    expect(visited.some((u) => /\/interaction\//.test(u))).toBe(true);
    expect(run.stdout).toMatch(/id_token .*sub "bob"/);
    expect(run.stdout).toContain("error: the server answered invalid_grant");
  } finally {
    await browser.close();
  }
});
