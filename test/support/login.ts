import { Agent, fetch as undiciFetch } from "undici";

/**
 * Drives oidc-provider's dev login and consent pages (and its device pages) over plain HTTP, with a
 * cookie jar, so tests get a real authorization code or a real device approval without a browser
 * (like panva/openid-client's /drive helper). Real Chromium stays in the tests whose subject is the
 * browser path (authorize.e2e, par.e2e, sandbox/browser, device.e2e once, demo --browser).
 */
export interface LoginOptions {
  /** Any name: the dev login page accepts every login. Default "alice". */
  user?: string;
  /** Take the page's "[ Cancel ]" link: the provider redirects with error=access_denied. */
  deny?: boolean;
  /** PEM of a CA to trust, for a provider served over HTTPS by a test CA. */
  ca?: string;
}

interface Step {
  url: string;
  method: "GET" | "POST";
  form?: URLSearchParams;
}

interface Answer {
  status: number;
  /** The redirect target, resolved against the request URL. */
  location?: URL;
  html: string;
}

/** One user agent: a cookie jar, and a fetch that trusts `ca` when given. */
function userAgent(ca?: string): (step: Step) => Promise<Answer> {
  const jar = new Map<string, string>();
  const dispatcher = ca ? new Agent({ connect: { ca } }) : undefined;
  return async (step) => {
    const init = {
      method: step.method,
      redirect: "manual" as const,
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
        ...(step.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(step.form ? { body: step.form.toString() } : {}),
    };
    const res = dispatcher ? await undiciFetch(step.url, { ...init, dispatcher }) : await fetch(step.url, init);
    storeCookies(res.headers.getSetCookie(), jar);
    const location = res.headers.get("location");
    const html = await res.text();
    return { status: res.status, html, ...(location ? { location: new URL(location, step.url) } : {}) };
  };
}

/** Returns the final redirect URL, the one pointing at the client's redirect_uri (not fetched). */
export async function completeLoginHttp(authorizationUrl: string, opts: LoginOptions = {}): Promise<string> {
  const user = opts.user ?? "alice";
  const origin = new URL(authorizationUrl).origin;
  const send = userAgent(opts.ca);
  let next: Step = { url: authorizationUrl, method: "GET" };

  for (let step = 0; step < 20; step++) {
    const { status, location, html } = await send(next);
    if (status >= 300 && status < 400 && location) {
      if (location.origin !== origin) return location.href;
      next = { url: location.href, method: "GET" };
      continue;
    }
    if (status !== 200) throw new Error(`login flow: ${next.method} ${next.url} answered ${status}: ${html.slice(0, 500)}`);
    if (opts.deny) {
      const abort = /<a href="([^"]*\/abort)"/.exec(html)?.[1];
      if (!abort) throw new Error(`login flow: no cancel link on ${next.url}`);
      next = { url: new URL(unescapeHtml(abort), next.url).href, method: "GET" };
      continue;
    }
    next = submitForm(html, next.url, { login: user });
  }
  throw new Error("login flow: too many steps without reaching the client's redirect_uri");
}

export interface DeviceApprovalOptions {
  /** Any name: the dev login page accepts every login. Default "alice". */
  user?: string;
  /** Press "[ Abort ]" on the confirmation page instead of going on (RFC 8628 §3.5 access_denied). */
  abort?: boolean;
  /** PEM of a CA to trust, for a provider served over HTTPS by a test CA. */
  ca?: string;
}

/**
 * On oidc-provider's device pages (RFC 8628 §3.3): enters `userCode` at `verificationUri`, confirms
 * it (or aborts), signs in and consents. Resolves on the provider's "Sign-in Success" page, or, with
 * `abort`, on the page that says the sign-in was interrupted; throws on anything else.
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.3
 */
export async function approveDeviceHttp(verificationUri: string, userCode: string, opts: DeviceApprovalOptions = {}): Promise<void> {
  const send = userAgent(opts.ca);
  const entry = await send({ url: verificationUri, method: "GET" });
  if (entry.status !== 200) throw new Error(`device flow: GET ${verificationUri} answered ${entry.status}`);
  const codeForm = submitForm(entry.html, verificationUri, { user_code: userCode });
  const confirmPage = await send(codeForm);
  if (!/<title>Confirm Device<\/title>/.test(confirmPage.html)) {
    throw new Error(`device flow: the user code ${userCode} was not accepted: ${confirmPage.html.slice(0, 500)}`);
  }
  // The abort button posts the same form with abort=yes added, as a browser would.
  let next: Step = submitForm(confirmPage.html, codeForm.url, opts.abort ? { abort: "yes" } : {});
  for (let step = 0; step < 20; step++) {
    const { status, location, html } = await send(next);
    if (status >= 300 && status < 400 && location) {
      next = { url: location.href, method: "GET" };
      continue;
    }
    if (status !== 200) throw new Error(`device flow: ${next.method} ${next.url} answered ${status}: ${html.slice(0, 500)}`);
    if (opts.abort) {
      if (/The Sign-in request was interrupted/.test(html)) return;
      throw new Error(`device flow: abort did not end on the interrupted page: ${html.slice(0, 500)}`);
    }
    if (/<title>Sign-in Success<\/title>/.test(html)) return;
    next = submitForm(html, next.url, { login: opts.user ?? "alice" });
  }
  throw new Error("device flow: too many steps without reaching the success page");
}

/** The page's first POST form, its fields as the page set them, with `fill` overriding by name. */
function submitForm(html: string, pageUrl: string, fill: Record<string, string>): Step & { method: "POST"; form: URLSearchParams } {
  const form = /<form([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  const action = /action="([^"]+)"/.exec(form?.[1] ?? "")?.[1];
  if (!form || !action || !/method="post"/i.test(form[1]!)) throw new Error(`login flow: no form on ${pageUrl}: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const input of form[2]?.matchAll(/<input([^>]*)>/gi) ?? []) {
    const attrs = input[1] ?? "";
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name) continue;
    const value = /value="([^"]*)"/.exec(attrs)?.[1];
    if (name === "password") fields.set(name, "any");
    else fields.set(name, fill[name] ?? unescapeHtml(value ?? ""));
  }
  for (const [name, value] of Object.entries(fill)) if (name !== "login" && !fields.has(name)) fields.set(name, value);
  return { url: new URL(unescapeHtml(action), pageUrl).href, method: "POST", form: fields };
}

function storeCookies(setCookies: readonly string[], jar: Map<string, string>): void {
  for (const line of setCookies) {
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
