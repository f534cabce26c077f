import { createServer as createNetServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../../src/http/types.js";
import { createHttpClient } from "../../src/http/send.js";
import { callbackUrl, startAuthorize } from "../support/authorize.js";
import { runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, BASIC, PUBLIC, startTestProvider, userinfo, type Sandbox } from "../support/provider.js";

// The real thing throughout: oidc-provider on loopback, the CLI's real listener, real HTTP requests to it.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

const base = () => ["--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--scope", "openid profile"];

/** What a browser does with the callback: GET it and read the page. */
async function visit(url: string, init: RequestInit = {}): Promise<{ status: number; html: string }> {
  const res = await fetch(url, init);
  return { status: res.status, html: await res.text() };
}

/** Resolves true when nothing accepts connections on 127.0.0.1:port (the listener is gone). */
async function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  const probe = createNetServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

describe("authorize: the happy path over real HTTP", () => {
  it("logs in, lands on the success page (no token on it), prints tokens that work at userinfo, and closes the port", async () => {
    const run = startAuthorize([...base(), "-o", "json", "-v"]);
    const url = await run.url;
    expect(url.origin + url.pathname).toBe(`${sandbox.issuer}/auth`);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const final = await completeLoginHttp(url.href, { user: "alice" });
    const code = new URL(final).searchParams.get("code")!;
    const page = await visit(final);
    const { exitCode, stdout, stderr } = await run.done;
    expect(stderr).not.toMatch(/error:/);
    expect(exitCode).toBe(0);
    expect(page.status).toBe(200);
    expect(page.html).toContain("Signed in");
    expect(page.html).toContain("The terminal has the tokens");
    const tokens = JSON.parse(stdout);
    expect(page.html).not.toContain(tokens.access_token);
    expect(page.html).not.toContain(code);
    expect(await userinfo(sandbox, tokens.access_token)).toMatchObject({ sub: "alice" });
    // The URL reached stderr even with -o json; no code, verifier or token did, even with -v (checklist 14).
    expect(stderr).toContain(url.href);
    expect(stderr).toContain("grant_type=authorization_code");
    expect(stderr).not.toContain(code);
    expect(stderr).not.toContain(tokens.access_token);
    expect(stderr).not.toMatch(/code_verifier=[A-Za-z0-9_-]{43}/);
    // The listener never outlives the command.
    expect(await portIsFree(Number(new URL(url.searchParams.get("redirect_uri")!).port))).toBe(true);
  });

  it("the token request repeats the redirect_uri byte for byte and sends the verifier of the challenge", async () => {
    const seen: { body?: string } = {};
    const real = createHttpClient({}, Date.now);
    const http: HttpClient = { ...real, send: async (request, options) => {
      if (request.url.endsWith("/token")) seen.body = String(request.body);
      return real.send(request, options);
    } };
    const run = startAuthorize(base(), { http });
    const url = await run.url;
    await visit(await completeLoginHttp(url.href));
    expect((await run.done).exitCode).toBe(0);
    const form = new URLSearchParams(seen.body);
    expect(form.get("redirect_uri")).toBe(url.searchParams.get("redirect_uri"));
    const { createHash } = await import("node:crypto");
    expect(createHash("sha256").update(form.get("code_verifier")!).digest("base64url")).toBe(url.searchParams.get("code_challenge"));
  });
});

describe("authorize: stray and hostile requests while waiting", () => {
  it("404s other paths, 400s wrong and missing state (reported), keeps waiting, then succeeds with the real callback", async () => {
    const run = startAuthorize(base());
    const url = await run.url;
    const redirect = new URL(url.searchParams.get("redirect_uri")!);
    expect((await visit(`${redirect.origin}/favicon.ico`)).status).toBe(404);
    expect((await visit(`${redirect.origin}/callbackx?code=a&state=b`)).status).toBe(404);
    expect((await visit(`${redirect.origin}/`)).status).toBe(404);
    const wrong = await visit(callbackUrl(url, { code: "forged", state: "not-the-state", iss: sandbox.issuer }));
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain("still waiting");
    const missing = await visit(callbackUrl(url, { code: "forged", iss: sandbox.issuer }));
    expect(missing.status).toBe(400);
    // An error without our state cannot abort the flow either (toolhive PR #6238).
    expect((await visit(callbackUrl(url, { error: "access_denied" }))).status).toBe(400);
    const good = await visit(await completeLoginHttp(url.href));
    const { exitCode, stderr, stdout } = await run.done;
    expect(exitCode).toBe(0);
    expect(good.html).toContain("Signed in");
    expect(stderr).toContain("the redirect's state is not the one this run sent");
    expect(stderr).toContain("the redirect carries no state");
    expect(JSON.parse(stdout).access_token).toEqual(expect.any(String));
  });

  it("a second callback after the first was accepted gets a harmless page and changes nothing", async () => {
    let second: { status: number; html: string } | undefined;
    let authUrl: URL | undefined;
    const real = createHttpClient({}, Date.now);
    // While the CLI redeems the first code, a second (replayed) callback arrives.
    const http: HttpClient = { ...real, send: async (request, options) => {
      if (request.url.endsWith("/token") && authUrl) second = await visit(callbackUrl(authUrl, { code: "replayed", state: authUrl.searchParams.get("state")!, iss: sandbox.issuer }));
      return real.send(request, options);
    } };
    const run = startAuthorize(base(), { http });
    authUrl = await run.url;
    const first = await visit(await completeLoginHttp(authUrl.href));
    const { exitCode } = await run.done;
    expect(exitCode).toBe(0);
    expect(first.html).toContain("Signed in");
    expect(second?.status).toBe(200);
    expect(second?.html).toContain("already received");
  });

  it("a callback naming a foreign iss fails with exit 4, explains mix-up, and does not trust its error", async () => {
    const run = startAuthorize(base());
    const url = await run.url;
    const page = await visit(callbackUrl(url, { error: "access_denied", error_description: "user said no", state: url.searchParams.get("state")!, iss: "https://evil.example" }));
    const { exitCode, stderr, stdout } = await run.done;
    expect(exitCode).toBe(4);
    expect(stderr).toContain('came from issuer "https://evil.example"');
    expect(stderr).toMatch(/mix-up attack/);
    expect(stderr).toContain("error=access_denied; that is not trusted");
    expect(stderr).not.toMatch(/Likely causes/); // the error is not explained as if it were real
    expect(stdout).toBe("");
    expect(page.html).toMatch(/mix-up attack/);
  });

  it("a callback without iss fails with exit 4 when the metadata promises iss (RFC 9207)", async () => {
    const run = startAuthorize(base());
    const url = await run.url;
    await visit(callbackUrl(url, { code: "whatever", state: url.searchParams.get("state")! }));
    const { exitCode, stderr } = await run.done;
    expect(exitCode).toBe(4);
    expect(stderr).toContain("has no \"iss\"");
    expect(stderr).toContain("authorization_response_iss_parameter_supported");
  });
});

describe("authorize: error callbacks", () => {
  it("decodes + as a space (seed 003), explains the error in the terminal and on the page, exit 1", async () => {
    const run = startAuthorize(base());
    const url = await run.url;
    const query = `error=invalid_request&error_description=localhost+is+not+allowed+for+redirect_uri.+Use+the+IP+literal+(127.0.0.1)+instead&state=${encodeURIComponent(url.searchParams.get("state")!)}&iss=${encodeURIComponent(sandbox.issuer)}`;
    const page = await visit(`${url.searchParams.get("redirect_uri")}?${query}`);
    const { exitCode, stderr } = await run.done;
    expect(exitCode).toBe(1);
    expect(stderr).toContain("invalid_request: localhost is not allowed for redirect_uri. Use the IP literal (127.0.0.1) instead");
    expect(stderr).toMatch(/What to try|Likely causes/);
    expect(page.html).toContain("localhost is not allowed for redirect_uri. Use the IP literal (127.0.0.1) instead");
    expect(page.html).toContain("What it means");
  });

  it("escapes everything it echoes: a <script> in error_description is inert text on the page", async () => {
    const run = startAuthorize(base());
    const url = await run.url;
    const page = await visit(callbackUrl(url, {
      error: "server_error", error_description: '<script>alert("x")</script>', error_uri: 'javascript:"><img src=x onerror=alert(1)>',
      state: url.searchParams.get("state")!, iss: sandbox.issuer,
    }));
    expect((await run.done).exitCode).toBe(1);
    expect(page.html).not.toContain("<script>");
    expect(page.html).not.toContain("<img");
    expect(page.html).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;");
  });
});

describe("authorize: the listener's limits", () => {
  it("a port in use is a usage error with the fix (exit 2)", async () => {
    const squatter = createNetServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    const port = (squatter.address() as { port: number }).port;
    try {
      const run = await runCli(["authorize", ...base(), "--port", String(port)]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(run.stderr).toMatch(/another --port/);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it("--wait 0.5 gives up with exit 3 and names the URL it waited on; --no-open still prints the URL", async () => {
    const run = startAuthorize([...base(), "--wait", "0.5", "--no-open"]);
    const url = await run.url;
    const { exitCode, stderr } = await run.done;
    expect(run.opened).toEqual([]);
    expect(exitCode).toBe(3);
    // The message names the URL, and the wait as given (not rounded to 1 s or 0 s).
    expect(stderr).toMatch(new RegExp(`no redirect reached ${url.searchParams.get("redirect_uri")!.replace(/[.?]/g, "\\$&")} within 0\\.5 s`));
    expect(await portIsFree(Number(new URL(url.searchParams.get("redirect_uri")!).port))).toBe(true);
  });

  it("Ctrl-C closes the listener: exit 130 and the port is free afterwards", async () => {
    const interrupt = new AbortController();
    const run = startAuthorize(base(), { signal: interrupt.signal });
    const url = await run.url;
    const port = Number(new URL(url.searchParams.get("redirect_uri")!).port);
    expect(await portIsFree(port)).toBe(false);
    interrupt.abort();
    const { exitCode, stderr } = await run.done;
    expect(exitCode).toBe(130);
    expect(stderr).toContain("interrupted");
    expect(await portIsFree(port)).toBe(true);
  });

  it("a failed browser open is a note, and the flow still completes from the printed URL", async () => {
    const run = startAuthorize(base(), { openBrowser: async () => Promise.reject(new Error("no display")) });
    const url = await run.url;
    await visit(await completeLoginHttp(url.href));
    const { exitCode, stderr } = await run.done;
    expect(exitCode).toBe(0);
    expect(stderr).toContain("could not open a browser (no display)");
    expect(stderr).toContain(url.href);
  });
});

describe("authorize: options", () => {
  it("--no-exchange prints what exchange needs, and exchange then gives tokens", async () => {
    const run = startAuthorize([...base(), "--no-exchange"]);
    const url = await run.url;
    const page = await visit(await completeLoginHttp(url.href));
    const first = await run.done;
    expect(first.exitCode).toBe(0);
    expect(page.html).toContain("not exchanged");
    const out = JSON.parse(first.stdout);
    expect(Object.keys(out).sort()).toEqual(["code", "code_verifier", "iss", "nonce", "redirect_uri", "state"]);
    expect(out).toMatchObject({ state: url.searchParams.get("state"), redirect_uri: url.searchParams.get("redirect_uri"), iss: sandbox.issuer, nonce: url.searchParams.get("nonce") });
    const exchange = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", out.code, "--redirect-uri", out.redirect_uri, "--code-verifier", out.code_verifier]);
    expect(exchange.exitCode).toBe(0);
    expect(await userinfo(sandbox, JSON.parse(exchange.stdout).access_token)).toMatchObject({ sub: "alice" });
  });

  it("--redirect-host localhost listens on 127.0.0.1 and ::1, same port; both reach the flow", async () => {
    const run = startAuthorize([...base(), "--redirect-host", "localhost"]);
    const url = await run.url;
    const redirect = new URL(url.searchParams.get("redirect_uri")!);
    expect(redirect.hostname).toBe("localhost");
    const state = url.searchParams.get("state")!;
    // Over IPv4: a stray callback is refused (proves 127.0.0.1 is this listener), the flow goes on.
    const v4 = await visit(`http://127.0.0.1:${redirect.port}/callback?code=x&state=wrong`);
    expect(v4.status).toBe(400);
    // Over IPv6: the real callback.
    const final = new URL(await completeLoginHttp(url.href));
    expect(final.searchParams.get("state")).toBe(state);
    const v6 = await visit(`http://[::1]:${redirect.port}/callback${final.search}`);
    expect(v6.html).toContain("Signed in");
    const { exitCode, stderr } = await run.done;
    expect(exitCode).toBe(0);
    expect(stderr).toContain(`127.0.0.1:${redirect.port} and [::1]:${redirect.port}`);
  });

  it("--pkce none sends no challenge and no verifier (a confidential client)", async () => {
    const run = startAuthorize(["--issuer", sandbox.issuer, "--client-id", BASIC.id, "--scope", "openid", "--pkce", "none", "-v"], { env: { OAUTH_CLIENT_SECRET: BASIC.secret } });
    const url = await run.url;
    expect(url.searchParams.has("code_challenge")).toBe(false);
    expect(url.searchParams.has("code_challenge_method")).toBe(false);
    await visit(await completeLoginHttp(url.href));
    const { exitCode, stderr } = await run.done;
    expect(exitCode).toBe(0);
    expect(stderr).toContain("--pkce none");
    expect(stderr).toContain("grant_type=authorization_code");
    expect(stderr).not.toContain("code_verifier");
  });

  it("--param goes into the authorization request; --prompt and --login-hint too; own parameters are refused", async () => {
    // Interrupted once the URL is checked: nobody signs in, and waiting out --wait would only cost time.
    const interrupt = new AbortController();
    const run = startAuthorize([...base(), "--param", "ui_locales=de", "--prompt", "login", "--login-hint", "bob@example.com"], { signal: interrupt.signal });
    const url = await run.url;
    expect(url.searchParams.get("ui_locales")).toBe("de");
    expect(url.searchParams.get("prompt")).toBe("login");
    expect(url.searchParams.get("login_hint")).toBe("bob@example.com");
    interrupt.abort();
    expect((await run.done).exitCode).toBe(130);
    const refused = await runCli(["authorize", ...base(), "--param", "state=mine"]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("error: --param state: set by the command itself; use --state\n");
  });

  it("without a TTY it never prompts: exit 2 naming each missing flag", async () => {
    const run = await runCli(["authorize"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--issuer URL (or --authorization-endpoint URL with --token-endpoint URL)");
    expect(run.stderr).toContain("--client-id ID (or OAUTH_CLIENT_ID)");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("bad flag values are usage errors naming the flag", async () => {
    for (const [flag, value, message] of [
      ["--port", "http", /--port: "http" is not a port number/],
      ["--wait", "-3", /--wait: "-3"/],
      ["--redirect-path", "callback", /--redirect-path: "callback" must start with \//],
      ["--pkce", "S512", /argument 'S512' is invalid/],
    ] as const) {
      const run = await runCli(["authorize", ...base(), flag, value]);
      expect(run.exitCode, flag).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});

describe("authorize: prompts and --paste", () => {
  it("on a TTY asks for the issuer and client id, then offers scopes_supported as a checklist", async () => {
    const asked: string[] = [];
    let offered: { value: string; checked?: boolean }[] = [];
    const prompter = {
      input: async (q: { message: string }) => {
        asked.push(q.message);
        return q.message.startsWith("Issuer URL") ? sandbox.issuer : PUBLIC.id;
      },
      checkbox: async (q: { choices: { value: string; checked?: boolean }[] }) => {
        offered = q.choices;
        return ["openid", "email"];
      },
    };
    const run = startAuthorize([], { prompter, stdinTTY: true, stderrTTY: true });
    const url = await run.url;
    expect(asked).toEqual(["Issuer URL (its discovery document is fetched to check it)", "Client id"]);
    const metadata = (await (await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] };
    expect(offered.map((c) => c.value)).toEqual(metadata.scopes_supported);
    expect(offered.find((c) => c.value === "openid")?.checked).toBe(true);
    expect(url.searchParams.get("scope")).toBe("openid email");
    expect(url.searchParams.get("client_id")).toBe(PUBLIC.id);
    await visit(await completeLoginHttp(url.href));
    const { exitCode, stdout } = await run.done;
    expect(exitCode).toBe(0);
    expect(await userinfo(sandbox, JSON.parse(stdout).access_token)).toMatchObject({ sub: "alice", email: "alice@sandbox.test" });
  });

  it("checks each issuer answer when given: a missing scheme gets a suggestion, a server without discovery is re-asked, before the client id", async () => {
    const port = new URL(sandbox.issuer).port;
    // Like inquirer: an answer whose validate returns a message is shown that message and asked again.
    const answers = [`127.0.0.1:${port}`, "http://127.0.0.1:9/", sandbox.issuer];
    const events: string[] = [];
    const prompter = {
      input: async (q: { message: string; validate?: (v: string) => true | string | Promise<true | string> }) => {
        if (!q.message.startsWith("Issuer URL")) {
          events.push("client id asked");
          return PUBLIC.id;
        }
        for (;;) {
          const answer = answers.shift()!;
          const verdict = (await q.validate?.(answer)) ?? true;
          events.push(verdict === true ? `ok ${answer}` : verdict);
          if (verdict === true) return answer;
        }
      },
      checkbox: async () => ["openid"],
    };
    const run = startAuthorize([], { prompter, stdinTTY: true, stderrTTY: true });
    const url = await run.url;
    expect(events[0]).toBe(`no http:// or https:// in it: did you mean http://127.0.0.1:${port}?`);
    expect(events[1]).toMatch(/^no discovery document from http:\/\/127\.0\.0\.1:9\/: /);
    expect(events.slice(2)).toEqual([`ok ${sandbox.issuer}`, "client id asked"]);
    expect(url.searchParams.get("client_id")).toBe(PUBLIC.id);
    await visit(await completeLoginHttp(url.href));
    expect((await run.done).exitCode).toBe(0);
  });

  it("--issuer 127.0.0.1:8933 (no scheme) is a usage error suggesting http://127.0.0.1:8933, before any request", async () => {
    for (const command of [["authorize", "--client-id", PUBLIC.id], ["client-credentials", "--client-id", BASIC.id, "--client-secret-file", "/dev/null"]]) {
      const run = await runCli([...command, "--issuer", "127.0.0.1:8933"]);
      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr).toContain('--issuer: "127.0.0.1:8933" has no scheme (http:// or https://)');
      expect(run.stderr).toContain("did you mean --issuer http://127.0.0.1:8933?");
    }
    const remote = await runCli(["authorize", "--client-id", PUBLIC.id, "--issuer", "login.example.com/realms/x"]);
    expect(remote.stderr).toContain("did you mean --issuer https://login.example.com/realms/x?");
  });

  it("--paste on a TTY: the pasted redirect URL is checked (state, iss, redirect URI) and redeemed", async () => {
    let authUrl!: (url: URL) => void;
    const gotUrl = new Promise<URL>((resolve) => (authUrl = resolve));
    const prompter = {
      // The user signs in elsewhere and pastes the address the browser ended on.
      input: async () => completeLoginHttp((await gotUrl).href),
      checkbox: async () => [],
    };
    const run = startAuthorize([...base(), "--paste"], { prompter, openBrowser: async (u) => authUrl(new URL(u)) });
    const url = await run.url;
    const { exitCode, stdout, stderr } = await run.done;
    expect(stderr).not.toContain("error:");
    expect(exitCode).toBe(0);
    expect(url.searchParams.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(await userinfo(sandbox, JSON.parse(stdout).access_token)).toMatchObject({ sub: "alice" });
  });

  it("--paste refuses a pasted URL whose state is not this run's (exit 2)", async () => {
    const prompter = { input: async () => "http://127.0.0.1:8123/callback?code=abc&state=someone-elses", checkbox: async () => [] };
    const run = await runCli(["authorize", ...base(), "--paste", "--no-open", "--redirect-uri", "http://127.0.0.1:8123/callback"], { prompter });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("the pasted URL is not the response to this run: the redirect's state is not the one this run sent");
  });

  it("--paste with a bare code on standard input (no TTY) redeems it", async () => {
    const redirectUri = "http://127.0.0.1:8765/callback";
    // A code obtained beforehand for the confidential client without PKCE, as with --pkce none.
    // Without openid this run sends no nonce of its own to hold that sign-in's ID token to (see
    // test/commands/authorize-id-token.test.ts for a bare code whose ID token lacks this run's nonce).
    const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { clientId: BASIC.id, redirectUri })));
    const code = final.searchParams.get("code")!;
    const run = await runCli(["authorize", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--scope", "profile", "--pkce", "none", "--paste", "--no-open", "--redirect-uri", redirectUri], {
      stdin: `${code}\n`,
      env: { OAUTH_CLIENT_SECRET: BASIC.secret },
    });
    expect(run.stderr).toContain("a bare code cannot be checked against state and iss");
    expect(run.exitCode).toBe(0);
    expect(await userinfo(sandbox, JSON.parse(run.stdout).access_token)).toMatchObject({ sub: "alice" });
  });
});

describe("authorize without --scope", () => {
  it("asks an OpenID provider for openid (said on stderr), so a first try works", async () => {
    const run = startAuthorize(["--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "-o", "json"]);
    const url = await run.url;
    expect(url.searchParams.get("scope")).toBe("openid");
    await visit(await completeLoginHttp(url.href));
    const { exitCode, stdout, stderr } = await run.done;
    expect(exitCode).toBe(0);
    expect(stderr).toMatch(/no --scope given: asking for "openid"/);
    expect(JSON.parse(stdout).id_token).toEqual(expect.any(String));
  });

  it("with no scope at all, the server's refusal is diagnosed as the missing scope", async () => {
    // A server without discovery: no scope is sent, and oidc-provider answers access_denied.
    const run = startAuthorize([
      "--authorization-endpoint", `${sandbox.issuer}/auth`, "--token-endpoint", `${sandbox.issuer}/token`, "--client-id", PUBLIC.id,
    ]);
    const url = await run.url;
    expect(url.searchParams.has("scope")).toBe(false);
    await visit(await completeLoginHttp(url.href));
    const { exitCode, stderr } = await run.done;
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/access_denied/);
    expect(stderr).toMatch(/Likely causes, most likely first:\n {2}1\. No scope was requested/);
    expect(stderr).toMatch(/seen: the authorization request carried no scope/);
  });
});
