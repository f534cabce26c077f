/**
 * The demo's stand-in for a browser on machines without one: it follows the authorization
 * server's redirects (the sandbox's auto-login answers /auth with one redirect straight to the
 * client) and then delivers the final redirect to the client's loopback listener, as a browser
 * would.
 */
export interface HeadlessBrowser {
  /** For Context.openBrowser: returns at once, navigates in the background like a real browser. */
  open(url: string): Promise<void>;
  /** Waits for background navigations; rejects with what went wrong in one. */
  settle(): Promise<void>;
}

export function createHeadlessBrowser(): HeadlessBrowser {
  const navigations: Promise<void>[] = [];

  async function navigate(start: string): Promise<void> {
    const origin = new URL(start).origin;
    let url = start;
    for (let hop = 0; hop < 10; hop++) {
      const res = await fetch(url, { redirect: "manual" });
      await res.arrayBuffer();
      const location = res.headers.get("location");
      if (res.status < 300 || res.status > 399 || !location) {
        throw new Error(`${url} answered ${res.status} without a redirect: no auto-login? (the demo's sandbox runs with --auto-login)`);
      }
      const next = new URL(location, url);
      if (next.origin === origin) {
        url = next.href;
        continue;
      }
      const callback = await fetch(next, { redirect: "manual" });
      await callback.arrayBuffer();
      return;
    }
    throw new Error("too many redirects at the authorization server");
  }

  return {
    async open(url) {
      const navigation = navigate(url);
      navigation.catch(() => undefined);
      navigations.push(navigation);
    },
    async settle() {
      await Promise.all(navigations);
    },
  };
}
