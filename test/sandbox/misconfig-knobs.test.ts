import { describe, expect, it, vi } from "vitest";
import { startAuthorize } from "../support/authorize.js";
import { runCli } from "../support/cli.js";
import { pkcePair } from "../support/provider.js";
import { withSandboxCommand } from "../support/sandbox-command.js";

/** With --auto-login, /auth answers with one redirect to the client (or an error page). */
function authorizeRequest(issuer: string, redirectUri: string, challenge: string): Promise<Response> {
  const url = new URL(`${issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: "sandbox-public", response_type: "code", redirect_uri: redirectUri, scope: "openid", state: "s",
    code_challenge: challenge, code_challenge_method: "S256",
  }).toString();
  return fetch(url, { redirect: "manual" });
}

describe("sandbox knobs for common client misconfigurations", () => {
  it("--without-refresh-grant: tokens come with a refresh token, and refreshing it is refused and diagnosed", () =>
    withSandboxCommand(["--without-refresh-grant"], async (sandbox) => {
      expect(sandbox.info.settings).toMatchObject({ withoutRefreshGrant: true });
      const clients = sandbox.info.clients as { client_id: string }[];
      expect(clients.length).toBeGreaterThan(0);
      const redirect = "http://127.0.0.1:49153/callback";
      const { verifier, challenge } = pkcePair();
      const res = await authorizeRequest(sandbox.issuer, redirect, challenge);
      expect(res.status).toBe(303);
      const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
      const exchange = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", "sandbox-public", "--code", code, "--redirect-uri", redirect, "--code-verifier", verifier, "-o", "json"]);
      expect(exchange.exitCode, exchange.stderr).toBe(0);
      const refreshToken = (JSON.parse(exchange.stdout) as { refresh_token?: string }).refresh_token;
      expect(refreshToken).toBeTruthy();

      const refresh = await runCli(["refresh", "--issuer", sandbox.issuer, "--client-id", "sandbox-public"], { env: { OAUTH_REFRESH_TOKEN: refreshToken } });
      expect(refresh.exitCode).toBe(1);
      // RFC 6749 §5.2's code for a grant the client may not use, as real providers answer.
      expect(refresh.stderr).toContain("the server answered unauthorized_client: requested grant type is not allowed for this client");
      // The diagnosis puts the grant not enabled for this client first.
      expect(refresh.stderr).toMatch(/most likely first:\n {2}1\. The grant type \(authorization_code, refresh_token[^\n]*is not enabled for this client/);
    }));

  it("--localhost-redirect-only: 127.0.0.1 is an unregistered redirect_uri; authorize --redirect-host localhost gets a code", () =>
    withSandboxCommand(["--localhost-redirect-only"], async (sandbox) => {
      const publicClient = (sandbox.info.clients as { client_id: string }[]).find((c) => c.client_id === "sandbox-public");
      expect(publicClient).toBeDefined();
      const { challenge } = pkcePair();
      const info = vi.spyOn(console, "info");
      const refused = await authorizeRequest(sandbox.issuer, "http://127.0.0.1:49153/callback", challenge);
      expect(refused.status).toBe(400);
      const page = await refused.text();
      expect(page).toContain("redirect_uri did not match any of the client&#39;s registered redirect_uris");
      // The sandbox's own error page: oidc-provider's default one prints a notice on stdout.
      expect(info.mock.calls.flat().join(" ")).not.toContain("renderError");
      expect(page).toContain("The sandbox refused this request");

      // The fix the flag's help names: the CLI's listener under the name the registration uses.
      const run = startAuthorize(["--issuer", sandbox.issuer, "--client-id", "sandbox-public", "--scope", "openid", "--redirect-host", "localhost", "--no-exchange"], {
        openBrowser: async (url) => {
          // The sandbox signs in as alice and redirects straight to the CLI's listener.
          const answer = await fetch(url, { redirect: "manual" });
          await fetch(answer.headers.get("location")!);
        },
      });
      const done = await run.done;
      expect(done.exitCode, done.stderr).toBe(0);
      expect((await run.url).searchParams.get("redirect_uri")).toMatch(/^http:\/\/localhost:\d+\/callback$/);
    }));
});
