import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { testHome } from "./temp.js";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Debian's Chromium, headless, with everything that phones home switched off. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium)`);
  }
  // Chromium keeps crash reports and caches under the home folder: the test file's own, not the user's.
  const home = testHome();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), XDG_CACHE_HOME: join(home, ".cache") },
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
      "--no-first-run", "--disable-component-update", "--disable-sync",
    ],
  });
}

/**
 * A page that may only talk to loopback: oidc-provider's dev pages @import a web font, and a
 * sandboxed test machine has no network to fetch it from.
 */
export async function newLoopbackPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost|\[::1\])/, (route) => route.abort());
  return page;
}

/**
 * One loopback page for a whole test file, its cookies cleared before each use, so every sign-in
 * starts signed out as in a fresh profile: a new page is a new browser context, ~0.5 s of CPU.
 */
export function reusableLoopbackPage(browser: Browser): () => Promise<Page> {
  let page: Promise<Page> | undefined;
  return async () => {
    page ??= newLoopbackPage(browser);
    const p = await page;
    await p.context().clearCookies();
    return p;
  };
}

/**
 * On oidc-provider's dev pages (already opened): signs in as `user` and consents, or with `deny`
 * takes the "[ Cancel ]" link. Resolves once the browser has left the provider's pages.
 */
export async function loginInBrowser(page: Page, opts: { user?: string; deny?: boolean } = {}): Promise<void> {
  const providerOrigin = new URL(page.url()).origin;
  const leftProvider = () => page.waitForURL((url) => url.origin !== providerOrigin, { waitUntil: "commit" });
  if (opts.deny) {
    await Promise.all([leftProvider(), page.getByText("[ Cancel ]").click()]);
    return;
  }
  await page.locator('input[name="login"]').fill(opts.user ?? "alice");
  await page.locator('input[name="password"]').fill("any");
  await Promise.all([page.waitForURL(/\/interaction\/|\/auth\//), page.locator('button[type="submit"]').click()]);
  // The consent page (skipped by the provider when nothing new is asked for).
  if (new URL(page.url()).origin === providerOrigin) {
    await page.locator('input[name="prompt"][value="consent"]').waitFor({ state: "attached" });
    await Promise.all([leftProvider(), page.locator('button[type="submit"]').click()]);
  }
}

/**
 * A context's openBrowser for authorize runs: the URL goes to a page `pageFor` gives (a fresh
 * loopback page, say), like `open` would; `page` resolves to that page once the run opened it.
 */
export function chromiumOpener(pageFor: () => Promise<Page>): { open: (url: string) => Promise<void>; page: Promise<Page> } {
  let resolvePage!: (page: Page) => void;
  const page = new Promise<Page>((resolve) => (resolvePage = resolve));
  return {
    page,
    open: async (url) => {
      const tab = await pageFor();
      await tab.goto(url);
      resolvePage(tab);
    },
  };
}
