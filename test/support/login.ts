/**
 * Drives oidc-provider's dev login and consent pages over plain HTTP, with a cookie jar, so tests
 * get a real authorization code without a browser (like panva/openid-client's /drive helper).
 */
export interface LoginOptions {
  /** Any name: the dev login page accepts every login. Default "alice". */
  user?: string;
  /** Take the page's "[ Cancel ]" link: the provider redirects with error=access_denied. */
  deny?: boolean;
}

/** Returns the final redirect URL, the one pointing at the client's redirect_uri (not fetched). */
export async function completeLoginHttp(authorizationUrl: string, opts: LoginOptions = {}): Promise<string> {
  const user = opts.user ?? "alice";
  const origin = new URL(authorizationUrl).origin;
  const jar = new Map<string, string>();
  let next: { url: string; method: "GET" | "POST"; form?: URLSearchParams } = { url: authorizationUrl, method: "GET" };

  for (let step = 0; step < 20; step++) {
    const res = await fetch(next.url, {
      method: next.method,
      redirect: "manual",
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
        ...(next.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(next.form ? { body: next.form.toString() } : {}),
    });
    storeCookies(res, jar);
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      const target = new URL(location, next.url);
      if (target.origin !== origin) return target.href;
      next = { url: target.href, method: "GET" };
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`login flow: ${next.method} ${next.url} answered ${res.status}: ${html.slice(0, 500)}`);
    if (opts.deny) {
      const abort = /<a href="([^"]*\/abort)"/.exec(html)?.[1];
      if (!abort) throw new Error(`login flow: no cancel link on ${next.url}`);
      next = { url: new URL(unescapeHtml(abort), next.url).href, method: "GET" };
      continue;
    }
    next = submitForm(html, next.url, user);
  }
  throw new Error("login flow: too many steps without reaching the client's redirect_uri");
}

function submitForm(html: string, pageUrl: string, user: string): { url: string; method: "POST"; form: URLSearchParams } {
  const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form?.[1]) throw new Error(`login flow: no form on ${pageUrl}: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const input of form[2]?.matchAll(/<input([^>]*)>/gi) ?? []) {
    const attrs = input[1] ?? "";
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name) continue;
    const value = /value="([^"]*)"/.exec(attrs)?.[1];
    if (name === "login") fields.set(name, user);
    else if (name === "password") fields.set(name, "any");
    else fields.set(name, unescapeHtml(value ?? ""));
  }
  return { url: new URL(unescapeHtml(form[1]), pageUrl).href, method: "POST", form: fields };
}

function storeCookies(res: Response, jar: Map<string, string>): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = /expires=Thu, 01 Jan 1970/i.test(line);
    if (!value || expired) jar.delete(name);
    else jar.set(name, value);
  }
}

function unescapeHtml(s: string): string {
  return s.replace(/&amp;/g, "&").replace(/&#x2F;/gi, "/").replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}
