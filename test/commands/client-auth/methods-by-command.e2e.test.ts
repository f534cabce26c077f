import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../src/main.js";
import { startAuthorize } from "../../support/authorize.js";
import { launchBrowser, loginInBrowser } from "../../support/browser.js";
import { createTestContext, runCli } from "../../support/cli.js";
import { approveDeviceHttp, completeLoginHttp } from "../../support/login.js";
import { startTestProvider, type Sandbox } from "../../support/provider.js";
import { makeTempDir } from "../../support/temp.js";
import { testPki } from "../../support/test-pki.js";

// client_secret_jwt, tls_client_auth and self_signed_tls_client_auth through authorize, refresh and
// device, against one real oidc-provider served over HTTPS with mutual TLS. What is tested is the
// client's authentication at the token endpoint, so the user's part is driven over HTTP, except one
// authorize signed in through Chromium: a real browser on the test CA's HTTPS pages, once.
const pki = testPki("methods");
const { at } = pki;

let sandbox: Sandbox;
let browser: Browser;
beforeAll(async () => {
  pki.makeCa("/CN=methods CA");
  pki.issue("client", "/CN=sandbox-mtls");
  pki.selfSigned("self", "/CN=sandbox-mtls-self");
  const self = new X509Certificate(readFileSync(at("self.pem")));
  [sandbox, browser] = await Promise.all([
    startTestProvider({
      tls: { cert: readFileSync(at("server.pem"), "utf8"), key: readFileSync(at("server.key"), "utf8"), clientCa: readFileSync(at("ca.pem"), "utf8") },
      clientJwks: { keys: [{ ...self.publicKey.export({ format: "jwk" }), x5c: [self.raw.toString("base64")] }] },
    }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

const METHODS = [
  { method: "client_secret_jwt", client: "sandbox-jwt-secret", flags: [], env: { OAUTH_CLIENT_SECRET: "sandbox-jwt-secret-0123456789abcdef0123456789" }, signIn: "HTTP" },
  // The browser's one visit: the provider's pages over HTTPS from the test CA, on a server asking for client certificates.
  { method: "tls_client_auth", client: "sandbox-mtls", flags: ["--cert", at("client.pem"), "--key", at("client.key")], env: {}, signIn: "Chromium" },
  { method: "self_signed_tls_client_auth", client: "sandbox-mtls-self", flags: ["--cert", at("self.pem"), "--key", at("self.key")], env: {}, signIn: "HTTP" },
] as const;

/**
 * A fresh browser profile (no sign-in left from another test). It accepts the test CA's server
 * certificate as a user clicking through would: what is tested is the CLI, which uses --ca-file.
 */
async function page(): Promise<Page> {
  const context: BrowserContext = await browser.newContext({ ignoreHTTPSErrors: true });
  const p = await context.newPage();
  p.on("close", () => context.close().catch(() => undefined)); // the browser may be closing already
  await p.route(/^https?:\/\/(?!127\.0\.0\.1|localhost|\[::1\])/, (route) => route.abort());
  return p;
}

describe.each(METHODS)("$method with every grant command", ({ method, client, flags, env, signIn }) => {
  const common = () => ["--issuer", sandbox.issuer, "--ca-file", at("ca.pem"), "--client-id", client, "--auth-method", method, ...flags];

  it(`authorize signs in (${signIn}); refresh spends the refresh token`, async () => {
    const run = startAuthorize([...common(), "--scope", "openid offline_access", "-o", "json"], { env });
    if (signIn === "Chromium") {
      const p = await page();
      try {
        await p.goto((await run.url).href);
        await loginInBrowser(p, { user: "gil" });
      } finally {
        await p.close();
      }
    } else {
      // The redirect goes to the CLI's loopback listener, as the browser's would.
      const redirect = await completeLoginHttp((await run.url).href, { user: "gil", ca: readFileSync(at("ca.pem"), "utf8") });
      const answer = await fetch(redirect);
      expect(answer.status).toBe(200);
    }
    const done = await run.done;
    expect(done.exitCode, done.stderr).toBe(0);
    const tokens = JSON.parse(done.stdout) as Record<string, string>;
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const refreshed = await runCli(["refresh", ...common(), "-o", "json"], { env: { ...env, OAUTH_REFRESH_TOKEN: tokens.refresh_token! } });
    expect(refreshed.exitCode, refreshed.stderr).toBe(0);
    expect(JSON.parse(refreshed.stdout).access_token).not.toBe(tokens.access_token);
  });

  it("device: approved on the provider's device pages", async () => {
    const ctx = createTestContext({ env: { ...env, XDG_STATE_HOME: makeTempDir("methods-state") }, sleep: () => new Promise((resolve) => setTimeout(resolve, 100)) });
    const done = main(["device", ...common(), "--scope", "openid", "-o", "json"], ctx);
    let shown: RegExpExecArray | null = null;
    while (!(shown = /and enter the code:\n\n {4}(\S+)\n/.exec(ctx.err()))) {
      if (/\berror:/.test(ctx.err())) throw new Error(ctx.err());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await approveDeviceHttp(`${sandbox.issuer}/device`, shown[1]!, { user: "hal", ca: readFileSync(at("ca.pem"), "utf8") });
    expect(await done, ctx.err()).toBe(0);
    expect(JSON.parse(ctx.out()).access_token).toEqual(expect.any(String));
  });
});
