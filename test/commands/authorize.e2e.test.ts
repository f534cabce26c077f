import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthorize } from "../support/authorize.js";
import { chromiumOpener, launchBrowser, loginInBrowser, reusableLoopbackPage } from "../support/browser.js";
import { introspect, PUBLIC, startTestProvider, userinfo, type Sandbox } from "../support/provider.js";

// End to end: the CLI in-process, a real oidc-provider, and Debian's Chromium as the user's browser.
let sandbox: Sandbox;
let browser: Browser;
let loopbackPage: () => Promise<Page>;
beforeAll(async () => {
  [sandbox, browser] = await Promise.all([startTestProvider(), launchBrowser()]);
  loopbackPage = reusableLoopbackPage(browser);
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

describe("authorize in a real browser", () => {
  it("signs in and consents on the provider's pages, lands on the CLI's page, and the terminal has working tokens", async () => {
    const opener = chromiumOpener(loopbackPage);
    const run = startAuthorize(["--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--scope", "openid profile email offline_access", "-o", "json"], {
      openBrowser: opener.open,
    });
    const url = await run.url;
    const page = await opener.page;
    await page.waitForURL((u) => u.origin === sandbox.issuer && u.pathname.startsWith("/interaction/"));
    await loginInBrowser(page, { user: "erin" });
    const { exitCode, stdout, stderr } = await run.done;
    expect(stderr).not.toContain("error:");
    expect(exitCode).toBe(0);

    // The tab is on the CLI's page at the exact redirect URI, showing success and no secret.
    await page.waitForLoadState("domcontentloaded");
    const landed = new URL(page.url());
    expect(landed.origin + landed.pathname).toBe(url.searchParams.get("redirect_uri"));
    const text = await page.locator("body").innerText();
    expect(text).toContain("Signed in");
    expect(text).toContain("The terminal has the tokens");
    expect(text).toContain("You can close this tab");
    const tokens = JSON.parse(stdout);
    const html = await page.content();
    for (const secret of [tokens.access_token, tokens.refresh_token, tokens.id_token, landed.searchParams.get("code")]) {
      expect(secret).toEqual(expect.any(String));
      expect(html).not.toContain(secret);
    }
    expect(await userinfo(sandbox, tokens.access_token)).toMatchObject({ sub: "erin", email: "erin@sandbox.test" });
    expect(await introspect(sandbox, tokens.access_token)).toMatchObject({ active: true, client_id: PUBLIC.id, sub: "erin" });
    expect(stderr).toContain(url.href);
  });

  it("pressing cancel: access_denied explained on the page and in the terminal, exit 1", async () => {
    const opener = chromiumOpener(loopbackPage);
    const run = startAuthorize(["--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--scope", "openid"], { openBrowser: opener.open });
    await run.url;
    const page = await opener.page;
    await page.waitForURL((u) => u.origin === sandbox.issuer && u.pathname.startsWith("/interaction/"));
    await loginInBrowser(page, { deny: true });
    const { exitCode, stdout, stderr } = await run.done;
    expect(exitCode).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/error: the server answered access_denied/);
    expect(stderr).toMatch(/What to try|Likely causes/);
    await page.waitForLoadState("domcontentloaded");
    const text = await page.locator("body").innerText();
    expect(text).toContain("The provider refused: access_denied");
    expect(text).toContain("What it means");
    expect(text).toContain("What to try");
  });
});
