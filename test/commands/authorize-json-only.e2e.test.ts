import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthorize } from "../support/authorize.js";
import { runCli } from "../support/cli.js";
import { type JsonOnlyProvider, startJsonOnlyProvider } from "../support/json-only-provider.js";

// The JSON-only provider's whole flow (../shared/seeds/003_*.txt): JSON token bodies, and
// client_id, client_secret, grant_type and scope required in every token request. The user's
// "Allow" is posted over HTTP, as the page's form would: what is tested is the CLI's token requests.
let provider: JsonOnlyProvider;
beforeAll(async () => {
  provider = await startJsonOnlyProvider();
});
afterAll(async () => {
  await provider?.close();
});

function base(): string[] {
  return [
    "--authorization-endpoint", provider.authorizationEndpoint, "--token-endpoint", provider.tokenEndpoint,
    "--client-id", provider.client.id, "--auth-method", "client_secret_post", "--body-format", "json", "--scope", "business_connect",
  ];
}

/**
 * The context's openBrowser: loads the provider's consent page, posts its "Allow" form, and takes
 * the redirect to the CLI's listener (not awaited: the CLI answers it after this returns).
 */
function allowOverHttp(): (url: string) => Promise<void> {
  return async (url) => {
    const page = await (await fetch(url)).text();
    const query = /<form method="post" action="([^"]+)"><input type="hidden" name="query" value="([^"]*)">/.exec(page);
    if (!query) throw new Error(`no Allow form on the consent page: ${page}`);
    const allowed = await fetch(new URL(query[1]!, url), { method: "POST", redirect: "manual", body: new URLSearchParams({ query: query[2]! }) });
    const callback = allowed.headers.get("location");
    if (allowed.status !== 302 || !callback) throw new Error(`Allow answered ${allowed.status}, not a redirect`);
    void fetch(callback).catch(() => undefined);
  };
}

const env = { OAUTH_CLIENT_SECRET: "business-app-secret" };

describe("authorize against the JSON-only provider", () => {
  it("works end to end with flags alone: scope in the code exchange, resource in both requests, a token-only parameter", async () => {
    const before = provider.tokenRequests.length;
    const run = startAuthorize([...base(), "--exchange-scope", "--resource", "https://api.example.com/", "--token-param", "audience=business", "-o", "json"], {
      env,
      openBrowser: allowOverHttp(),
    });
    const { exitCode, stdout, stderr } = await run.done;
    expect(exitCode, stderr).toBe(0);
    const tokens = JSON.parse(stdout) as Record<string, unknown>;
    expect(typeof tokens.access_token).toBe("string");
    expect(tokens.scope).toBe("business_connect");

    const authorization = provider.authorizationRequests.at(-1)!;
    expect(authorization.getAll("resource")).toEqual(["https://api.example.com/"]);
    expect(authorization.has("audience")).toBe(false);
    const exchange = provider.tokenRequests.slice(before)[0]!;
    expect(exchange).toMatchObject({
      grant_type: "authorization_code", client_id: "business-app", client_secret: "business-app-secret", scope: "business_connect",
      resource: "https://api.example.com/", audience: "business",
    });
    expect(typeof exchange.code_verifier).toBe("string");

    // Every grant needs the scope here: refresh carries it with --scope.
    const refreshed = await runCli(
      ["refresh", "--token-endpoint", provider.tokenEndpoint, "--client-id", provider.client.id, "--auth-method", "client_secret_post", "--body-format", "json",
        "--scope", "business_connect", "--refresh-token", String(tokens.refresh_token), "-o", "json"],
      { env },
    );
    expect(refreshed.exitCode, refreshed.stderr).toBe(0);
    expect(provider.tokenRequests.at(-1)).toMatchObject({ grant_type: "refresh_token", scope: "business_connect" });
  });

  it("without --exchange-scope: the server's \"scope required\" is diagnosed naming the flag, also in the JSON on stderr", async () => {
    const run = startAuthorize([...base(), "-o", "json"], { env, openBrowser: allowOverHttp() });
    const { exitCode, stdout, stderr } = await run.done;
    expect(exitCode).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("Missing fields in POST body client_id, client_secret, grant_type and scope required.");
    const first = /Likely causes, most likely first:\n {2}1\. .*\n(?: {5}.*\n)*/.exec(stderr)![0];
    expect(first).toContain("--exchange-scope");
    expect(first).toContain('seen: the code exchange carried no scope (the authorization request asked for "business_connect")');
    // The authorization request did carry scope=business_connect: nothing may say otherwise.
    expect(stderr).not.toMatch(/authorization request carried no scope/);
    // -o json: the last stderr line is the error as one JSON object (decode-error --json's shape).
    const last = JSON.parse(stderr.trimEnd().split("\n").at(-1)!) as { error: string; causes: { id: string; test?: string }[]; http: { status: number }; exitCode: number };
    expect(last.error).toBe("invalid_request");
    expect(last.http.status).toBe(400);
    expect(last.exitCode).toBe(1);
    expect(last.causes[0]!.test).toContain("--exchange-scope");
  });

  it("a refresh without --scope: the diagnosis says this request carried none and names --scope", async () => {
    const run = await runCli(
      ["refresh", "--token-endpoint", provider.tokenEndpoint, "--client-id", provider.client.id, "--auth-method", "client_secret_post", "--body-format", "json", "--refresh-token", "any-token"],
      { env },
    );
    expect(run.exitCode).toBe(1);
    const first = /Likely causes, most likely first:\n {2}1\. .*\n(?: {5}.*\n)*/.exec(run.stderr)![0];
    expect(first).toContain("seen: the token request carried no scope");
    expect(first).toContain("Add `--scope …`");
  });

  it("refuses --token-param scope=…, naming --exchange-scope, before anything is sent", async () => {
    const before = provider.authorizationRequests.length;
    const { exitCode, stderr } = await runCli(["authorize", ...base(), "--token-param", "scope=business_connect", "--no-open"], { env });
    expect(exitCode).toBe(2);
    expect(stderr).toContain("--token-param scope: set by the command itself; use --exchange-scope");
    expect(provider.authorizationRequests.length).toBe(before);
  });
});
