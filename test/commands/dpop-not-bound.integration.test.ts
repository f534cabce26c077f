import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { type DotServer, startDotServer } from "../support/dot-server/index.js";
import { tracedProofs } from "../support/dpop.js";
import { completeLoginHttp } from "../support/login.js";
import { pkcePair } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

// A real authorization server that does not implement DPoP (RFC 9449): Django OAuth Toolkit ignores
// the DPoP header and answers token_type Bearer. The run still succeeds, says on stderr that the
// tokens are not bound to the key, and nothing later presents them as DPoP-bound.
let dot: DotServer;
beforeAll(async () => {
  dot = await startDotServer();
});
afterAll(async () => dot?.close());

const REDIRECT = "http://127.0.0.1:8123/callback";
const NOT_BOUND = /note: DPoP proofs were sent, but the server answered token_type "Bearer", not "DPoP": the access token is not bound to the key/;
const dir = makeTempDir("dpop-not-bound");
let stores = 0;
const newStore = () => join(dir, `tokens-${++stores}.json`);
const readStore = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

/** A code for DOT's public client: its login (auto-signed-in in the test project) and no consent page. */
async function dotCode(scope: string): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const url = new URL(dot.authorizationEndpoint);
  for (const [k, v] of Object.entries({ response_type: "code", client_id: dot.clients.public.client_id, redirect_uri: REDIRECT, scope, state: "s", code_challenge: challenge, code_challenge_method: "S256" })) {
    url.searchParams.set(k, v);
  }
  const code = new URL(await completeLoginHttp(url.href)).searchParams.get("code");
  if (!code) throw new Error("DOT gave no code");
  return { code, verifier };
}

describe("a server that ignores DPoP: the tokens are not bound, and the run says so", () => {
  it("client-credentials --dpop: the proof went out, the note is on stderr, the Bearer tokens on stdout, exit 0", async () => {
    const store = newStore();
    const run = await runCli(["client-credentials", "--token-endpoint", dot.tokenEndpoint, "--client-id", dot.clients.service.client_id, "--dpop", "--store", store, "-v", "-o", "json"], {
      env: { OAUTH_CLIENT_SECRET: dot.clients.service.client_secret! },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    // The note is about a proof that was really sent, not a missing flag.
    expect(tracedProofs(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(NOT_BOUND);
    const tokens = JSON.parse(run.stdout);
    expect(tokens).toMatchObject({ token_type: "Bearer", access_token: expect.any(String) });
    expect(run.stdout).not.toMatch(/not bound/);
    // The store says what the server said: a Bearer token.
    expect(readStore(store)).toMatchObject({ token_type: "Bearer", access_token: tokens.access_token });
  });

  it("exchange --dpop --store, then request --store presents the token as Bearer (the server's own userinfo accepts it)", async () => {
    const store = newStore();
    const { code, verifier } = await dotCode("openid read");
    const exchange = await runCli(["exchange", "--token-endpoint", dot.tokenEndpoint, "--client-id", dot.clients.public.client_id, "--code", code, "--redirect-uri", REDIRECT, "--code-verifier", verifier, "--dpop", "--store", store, "-o", "json"]);
    expect(exchange.exitCode, exchange.stderr).toBe(0);
    expect(exchange.stderr).toMatch(NOT_BOUND);
    const tokens = JSON.parse(exchange.stdout);
    expect(tokens).toMatchObject({ token_type: "Bearer", refresh_token: expect.any(String) });
    const saved = readStore(store);
    expect(saved.token_type).toBe("Bearer");
    // The proof key is kept beside the tokens: a server may bind a public client's refresh token
    // alone while answering Bearer (RFC 9449 §5), and refresh --store must then prove the same key.
    expect(saved.dpop_jwk).toMatchObject({ kty: "EC", crv: "P-256" });

    // A resource server that knows only Bearer: a DPoP scheme would be refused (RFC 6750 §2.1).
    const request = await runCli(["request", `${dot.origin}/o/userinfo/`, "--store", store, "-v"]);
    expect(request.exitCode, request.stderr).toBe(0);
    expect(request.stderr).toMatch(/^> Authorization: Bearer \[redacted/m);
    expect(request.stderr).not.toMatch(/^> Authorization: DPoP/m);
    expect(tracedProofs(request.stderr)).toHaveLength(0);
    expect(JSON.parse(request.stdout)).toMatchObject({ sub: expect.any(String) });

    // refresh --store proves the kept key again; the server still ignores it and says Bearer.
    const refresh = await runCli(["refresh", "--store", store, "--force", "-v"]);
    expect(refresh.exitCode, refresh.stderr).toBe(0);
    expect(tracedProofs(refresh.stderr)).toHaveLength(1);
    expect(tracedProofs(refresh.stderr)[0]!.header.jwk).toMatchObject({ x: (saved.dpop_jwk as Record<string, string>).x });
    expect(refresh.stderr).toMatch(NOT_BOUND);
    const after = readStore(store);
    expect(after.token_type).toBe("Bearer");
    expect(after.access_token).not.toBe(saved.access_token);
  });
});
