import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, loginInBrowser, reusableLoopbackPage } from "../support/browser.js";
import { authorizationUrl, pkcePair, startTestProvider, type Sandbox } from "../support/provider.js";

let sandbox: Sandbox;
let browser: Browser;
let loopbackPage: () => Promise<Page>;
let callback: Server;
let port: number;
const received: URL[] = [];

beforeAll(async () => {
  sandbox = await startTestProvider();
  browser = await launchBrowser();
  loopbackPage = reusableLoopbackPage(browser);
  // A tiny redirect listener, like the CLI's loopback one: records the callback, answers a page.
  callback = createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    if (url.pathname !== "/callback") {
      res.writeHead(404).end();
      return;
    }
    received.push(url);
    res.writeHead(200, { "content-type": "text/html" }).end("<p>done, you can close this page</p>");
  });
  await new Promise<void>((resolve) => callback.listen(0, "127.0.0.1", resolve));
  port = (callback.address() as AddressInfo).port;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => callback?.close(resolve));
  await sandbox?.close();
});

it("a real Chromium logs in and consents on the sandbox's pages and the callback gets a code", async () => {
  const page = await loopbackPage();
  const { challenge } = pkcePair();
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  await page.goto(authorizationUrl(sandbox, { redirectUri, challenge, state: "browser-state" }));
  await loginInBrowser(page, { user: "erin" });
  await page.waitForURL((url) => url.pathname === "/callback");
  expect(received).toHaveLength(1);
  const got = received[0]!;
  expect(got.searchParams.get("code")).toBeTruthy();
  expect(got.searchParams.get("state")).toBe("browser-state");
  expect(got.searchParams.get("iss")).toBe(sandbox.issuer);
  expect(await page.textContent("body")).toContain("done");
});

it("cancelling in the browser sends access_denied to the callback", async () => {
  const page = await loopbackPage();
  const { challenge } = pkcePair();
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  await page.goto(authorizationUrl(sandbox, { redirectUri, challenge, state: "deny-state" }));
  await loginInBrowser(page, { deny: true });
  await page.waitForURL((url) => url.pathname === "/callback");
  const got = received.at(-1)!;
  expect(got.searchParams.get("error")).toBe("access_denied");
  expect(got.searchParams.get("state")).toBe("deny-state");
});
