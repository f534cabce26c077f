import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { startHostileServer, type HostileServer } from "./hostile-server.js";
import { basicValue, leaks } from "./support.js";

/**
 * A server that quotes our request back in its error text must not make oauth-cli print a secret
 * it would redact in its -v trace: every line, the `error:` line included, goes through one
 * redacting sink (src/output/sink.ts). Checklist item 14 (azure-cli #17625, requests-oauthlib #536).
 */

const CLIENT_SECRET = "Cl1ent+Secret/=&é ok";
const REFRESH = "rt-Hostile+Refresh/Value=42";
const API_KEY = "ApiKey-Secret-77";
const SIG = "Sig-Secret-88";
const PRIVATE_TOKEN = "PrivTok-Secret-99";
const X_AUTH = "XAuth-Secret-55";
const SECRETS = [CLIENT_SECRET, REFRESH, API_KEY, SIG, PRIVATE_TOKEN, X_AUTH, basicValue("app", CLIENT_SECRET)];

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(async () => server.close());

function refresh(path: string, ...extra: string[]): Promise<Awaited<ReturnType<typeof runCli>>> {
  return runCli(
    ["refresh", "--token-endpoint", `${server.url}${path}?sig=${SIG}`, "--client-id", "app", "--refresh-token", "-",
      "--param", `api_key=${API_KEY}`, "--header", `Private-Token: ${PRIVATE_TOKEN}`, "--header", `X-Auth: Bearer ${X_AUTH}`, ...extra],
    { env: { OAUTH_CLIENT_SECRET: CLIENT_SECRET }, stdin: REFRESH },
  );
}

describe("secrets a server echoes back never reach the terminal", () => {
  for (const path of ["/echo-json/token", "/echo-text/token", "/echo-html/token", "/echo-header/token"]) {
    for (const method of ["client_secret_basic", "client_secret_post"]) {
      for (const verbose of [[], ["-v"]]) {
        it(`${path} ${method} ${verbose.join("")}`, async () => {
          const run = await refresh(path, "--auth-method", method, ...verbose);
          expect(run.exitCode).not.toBe(0);
          expect(run.exitCode).not.toBe(70);
          expect(run.stderr).toMatch(/error:/);
          // The echo reached the error text (the HTML page's title is cut short before it), redacted.
          if (path !== "/echo-html/token" || verbose.length) expect(run.stderr).toContain("[redacted");
          expect(leaks(run.stderr + run.stdout, SECRETS)).toEqual([]);
        });
      }
    }
  }

  it("--show-secrets shows them (the redaction above is what hid them)", async () => {
    const run = await refresh("/echo-json/token", "-v", "--show-secrets");
    expect(leaks(run.stderr, [CLIENT_SECRET])).not.toEqual([]);
    expect(run.stderr).toContain(REFRESH);
    expect(run.stderr).toContain(API_KEY);
    expect(run.stderr).toContain(basicValue("app", CLIENT_SECRET));
  });

  it("a client_secret in a URL's query is redacted in the `could not reach` line", async () => {
    const run = await runCli(["client-credentials", "--token-endpoint", "http://127.0.0.1:1/token?client_secret=QuerySecret-123&x=1", "--client-id", "app", "--auth-method", "none"]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("could not reach");
    expect(run.stderr).toContain("client_secret=[redacted");
    expect(leaks(run.stderr, ["QuerySecret-123"])).toEqual([]);
  });

  it("the password of http://user:PW@host is redacted everywhere, -v included", async () => {
    for (const target of ["http://127.0.0.1:1/token", `${server.url}/echo-text/token`]) {
      const url = target.replace("http://", "http://someone:UrlPass-Secret-1@");
      const run = await runCli(["client-credentials", "--token-endpoint", url, "--client-id", "app", "--auth-method", "none", "-v"]);
      expect(run.exitCode).not.toBe(70);
      expect(run.stderr).toContain("someone:[redacted");
      expect(leaks(run.stderr, ["UrlPass-Secret-1"])).toEqual([]);
    }
  });

  it("the -v trace redacts non-standard secret names in the request: api_key, sig, Private-Token, X-Auth", async () => {
    const run = await refresh("/echo-json/token", "-v");
    expect(run.stderr).toMatch(/> Private-Token: \[redacted/);
    expect(run.stderr).toMatch(/> X-Auth: Bearer \[redacted/);
    expect(run.stderr).toMatch(/api_key=\[redacted/);
    expect(run.stderr).toMatch(/sig=\[redacted/);
    expect(leaks(run.stderr, SECRETS)).toEqual([]);
  });

  it("tokens received are printed on stdout as the result, unredacted, while stderr hides them", async () => {
    const run = await runCli(["client-credentials", "--token-endpoint", `${server.url}/tokens/token`, "--client-id", "app", "-v", "-o", "json"], {
      env: { OAUTH_CLIENT_SECRET: CLIENT_SECRET },
    });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).access_token).toBe("hostile-access-token-1");
    expect(leaks(run.stderr, ["hostile-access-token-1", "hostile-refresh-token-1", CLIENT_SECRET])).toEqual([]);
  });

  it("the authorization URL the user must open is printed whole, even with a parameter named like a secret", async () => {
    let opened = "";
    const controller = new AbortController();
    const run = await runCli(
      ["authorize", "--authorization-endpoint", `${server.url}/authorize`, "--token-endpoint", `${server.url}/tokens/token`, "--client-id", "app", "--auth-method", "none", "--param", "id_token_hint=eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.", "--wait", "5"],
      {
        signal: controller.signal,
        openBrowser: async (url) => {
          opened = url;
          controller.abort();
        },
      },
    );
    expect(run.exitCode).toBe(130);
    expect(opened).toContain("id_token_hint=eyJ");
    expect(run.stderr).toContain(`  ${opened}\n`);
  });
});
