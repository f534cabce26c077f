import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/main.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { createTestContext, runCli } from "../support/cli.js";
import { introspect, startTestProvider, type Sandbox } from "../support/provider.js";
import { approveDeviceHttp } from "../support/login.js";
import { makeTempDir } from "../support/temp.js";

// End to end: the CLI in-process, the real oidc-provider of the sandbox with its device flow, and
// Debian's Chromium as the phone the user approves on, once. The other approvals are about what the
// CLI does with them (DPoP polls, access_denied), so they drive the same provider pages over HTTP.
const DEVICE_CLIENT = "sandbox-device";
let sandbox: Sandbox;
let browser: Browser;
beforeAll(async () => {
  [sandbox, browser] = await Promise.all([startTestProvider(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

/**
 * The CLI's waits are recorded (the intervals it chose) and shortened to 100 ms, so the test does
 * not sit out 5 s intervals; everything else, polls included, is real.
 */
function shortSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: (ms) => new Promise((resolve) => { waits.push(ms); setTimeout(resolve, 100); }) };
}

interface DeviceRun {
  /** The address and the user code, once they are on stderr. */
  readonly shown: Promise<{ uri: string; code: string }>;
  readonly done: Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

/** Starts `oauth-cli device ARGS` in-process, watching its stderr for the code as a user would. */
function startDevice(args: readonly string[], sleep: (ms: number) => Promise<void>): DeviceRun {
  const ctx = createTestContext({ sleep, env: { XDG_STATE_HOME: makeTempDir("device-state") } });
  const done = main(["device", ...args], ctx).then((exitCode) => ({ exitCode, stdout: ctx.out(), stderr: ctx.err() }));
  const shown = (async () => {
    for (;;) {
      const match = /open this address[^\n]*\n\n {4}(\S+)\n\nand enter the code:\n\n {4}(\S+)\n/.exec(ctx.err());
      if (match) return { uri: match[1]!, code: match[2]! };
      if (/\berror:/.test(ctx.err())) throw new Error(ctx.err());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return { shown, done };
}

/** On the provider's page: types the user code as a person would, and confirms it is the one on the device. */
async function enterCode(page: Page, code: string): Promise<void> {
  await page.locator('input[name="user_code"]').fill(code);
  await Promise.all([page.waitForURL(() => true, { waitUntil: "commit" }), page.getByRole("button", { name: "Continue" }).click()]);
  await page.getByText("Confirm Device").waitFor();
}

/** Signs in on the dev login page and consents. Ends on the provider's success page. */
async function approve(page: Page, user: string): Promise<void> {
  await Promise.all([page.waitForURL(/\/interaction\//), page.getByRole("button", { name: "Continue" }).click()]);
  await page.locator('input[name="login"]').fill(user);
  await page.locator('input[name="password"]').fill("any");
  await Promise.all([page.waitForURL(() => true, { waitUntil: "commit" }), page.locator('button[type="submit"]').click()]);
  // The consent page, unless the provider skips it.
  const consent = page.locator('input[name="prompt"][value="consent"]');
  if (await consent.count().catch(() => 0)) await page.locator('button[type="submit"]').click();
  await page.getByText("Sign-in Success").waitFor();
}

describe("oauth-cli device against the sandbox's oidc-provider", () => {
  it("the user enters the code on the device page in Chromium and approves: tokens on stdout, saved with --store, refreshable", async () => {
    const store = join(makeTempDir("device"), "tokens.json");
    const { waits, sleep } = shortSleep();
    const run = startDevice(["--issuer", sandbox.issuer, "--client-id", DEVICE_CLIENT, "--scope", "openid profile offline_access", "--store", store, "-o", "json"], sleep);
    const { uri, code } = await run.shown;
    expect(uri).toBe(`${sandbox.issuer}/device`);

    const page = await newLoopbackPage(browser);
    try {
      await page.goto(uri);
      await enterCode(page, code);
      await approve(page, "dana");
    } finally {
      await page.close();
    }
    const { exitCode, stdout, stderr } = await run.done;
    expect(exitCode, stderr).toBe(0);
    // oidc-provider sends no interval: every wait is RFC 8628's default 5 s.
    expect(waits.length).toBeGreaterThan(0);
    expect(new Set(waits)).toEqual(new Set([5000]));

    const tokens = JSON.parse(stdout) as Record<string, string>;
    expect(await introspect(sandbox, tokens.access_token!)).toMatchObject({ active: true, sub: "dana", client_id: DEVICE_CLIENT });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const saved = JSON.parse(readFileSync(store, "utf8")) as Record<string, unknown>;
    expect(JSON.stringify(saved)).toContain(tokens.refresh_token!);

    // The store carries on like any other grant's: refresh --store spends the device flow's refresh token.
    const refreshed = await runCli(["refresh", "--store", store, "--issuer", sandbox.issuer, "--client-id", DEVICE_CLIENT, "--force", "-o", "json"]);
    expect(refreshed.exitCode, refreshed.stderr).toBe(0);
    const fresh = JSON.parse(refreshed.stdout) as Record<string, string>;
    expect(fresh.access_token).not.toBe(tokens.access_token);
    expect(await introspect(sandbox, fresh.access_token!)).toMatchObject({ active: true, sub: "dana" });
  });

  it("--dpop: every poll carries a fresh proof, and the tokens are DPoP-bound to the run's key (RFC 9449)", async () => {
    const { sleep } = shortSleep();
    const run = startDevice(["--issuer", sandbox.issuer, "--client-id", DEVICE_CLIENT, "--scope", "openid", "--dpop", "-o", "json", "-v"], sleep);
    const { uri, code } = await run.shown;
    await approveDeviceHttp(uri, code, { user: "dana" });
    const { exitCode, stdout, stderr } = await run.done;
    expect(exitCode, stderr).toBe(0);
    const tokens = JSON.parse(stdout) as Record<string, string>;
    expect(tokens.token_type).toBe("DPoP");
    const polls = [...stderr.matchAll(/^> POST \S+\/token\n((?:> .*\n)*)/gm)].map((m) => /^> DPoP: \[signed JWT, signature redacted\] .*"jti":"([^"]+)"/m.exec(m[1]!)?.[1]);
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((jti) => jti !== undefined)).toBe(true);
    expect(new Set(polls).size).toBe(polls.length);
    const live = await introspect(sandbox, tokens.access_token!);
    expect(live).toMatchObject({ active: true, token_type: "DPoP" });
    expect(live.cnf).toEqual({ jkt: expect.any(String) });
  });

  it("the user aborts on the confirmation page: access_denied, explained, exit 1, nothing on stdout", async () => {
    const { sleep } = shortSleep();
    const run = startDevice(["--issuer", sandbox.issuer, "--client-id", DEVICE_CLIENT, "--scope", "openid"], sleep);
    const { uri, code } = await run.shown;
    await approveDeviceHttp(uri, code, { abort: true });
    const { exitCode, stdout, stderr } = await run.done;
    expect(exitCode).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("error: the server answered access_denied");
    expect(stderr).toContain("RFC 8628 §3.5");
    expect(stderr).toContain("hint: The user declined");
  });
});

describe("oauth-cli device: the code expires (the sandbox's --device-code-ttl)", () => {
  it("nobody approves within the device code's lifetime: expired_token from the server, explained, exit 1", async () => {
    const short = await startTestProvider({ deviceCodeTtl: 1 });
    try {
      const { waits, sleep } = shortSleep();
      const run = await runCli(["device", "--issuer", short.issuer, "--client-id", DEVICE_CLIENT], { sleep });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain("code expires in 1 s");
      expect(run.stderr).toContain("error: the server answered expired_token");
      expect(run.stderr).toContain("hint: Nobody approved before the code expired");
      expect(new Set(waits)).toEqual(new Set([5000]));
    } finally {
      await short.close();
    }
  });
});
