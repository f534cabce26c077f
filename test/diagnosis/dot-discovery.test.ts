import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthorize } from "../support/authorize.js";
import { runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { type DotServer, startDotServer } from "../support/dot-server/index.js";
import { startSeedServer, type SeedServer } from "../support/seed-server.js";

// Django OAuth Toolkit, a real server that is not oidc-provider: its discovery URL answers with
// Django's APPEND_SLASH 301, and its OpenID configuration has no scopes_supported.
let dot: DotServer;
let seed: SeedServer;
beforeAll(async () => {
  [dot, seed] = await Promise.all([startDotServer(), startSeedServer()]);
});
afterAll(async () => {
  await dot?.close();
  await seed?.close();
});

describe("discovery against Django OAuth Toolkit", () => {
  it("follows the same-origin 301 to the trailing slash, says so, and treats the server as OpenID without scopes_supported", async () => {
    let followed: Promise<Response> | undefined;
    const run = startAuthorize(["--issuer", dot.issuer, "--client-id", dot.clients.public.client_id, "-o", "json"], {
      openBrowser: async (url) => {
        // DOT's test glue signs alice in without a page: following the redirects with a cookie jar, as
        // a browser would, brings the code back to the CLI (not awaited: the CLI answers its callback
        // only after this returns).
        followed = completeLoginHttp(url).then((redirect) => fetch(redirect));
      },
    });
    await run.url;
    const { exitCode, stdout, stderr } = await run.done;
    expect((await followed)?.status).toBe(200);
    expect(stderr).toMatch(/note: discovery: http:\/\/127\.0\.0\.1:\d+\/o\/\.well-known\/openid-configuration redirected \(HTTP 301\) to http:\/\/127\.0\.0\.1:\d+\/o\/\.well-known\/openid-configuration\/ on the same origin; followed it/);
    expect(stderr).toMatch(/no --scope given: asking for "openid", since this server is an OpenID provider/);
    expect(exitCode).toBe(0);
    const tokens = JSON.parse(stdout) as Record<string, unknown>;
    // openid was really asked for: DOT issues an ID token only then.
    expect(typeof tokens.id_token).toBe("string");
    expect(String(tokens.scope)).toContain("openid");
  });

  it("does not follow a redirect to another origin: prints the Location and the exact --issuer to give", async () => {
    // No real server here redirects discovery across origins; this small one does, and nothing follows it.
    const { exitCode, stderr, stdout } = await runCli(["client-credentials", "--issuer", `${seed.url}/moved`, "--client-id", "x", "--client-secret", "y"]);
    expect(exitCode).toBe(4);
    expect(stderr).toContain(`${seed.url}/moved/.well-known/openid-configuration answered HTTP 301 with Location: https://id.example.net/o/.well-known/openid-configuration/ (another origin; not followed)`);
    expect(stderr).toContain("give --issuer https://id.example.net/o");
    expect(stdout).toBe("");
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
