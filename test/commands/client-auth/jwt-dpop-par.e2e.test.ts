import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthorize } from "../../support/authorize.js";
import { completeLoginHttp } from "../../support/login.js";
import { introspect, startTestProvider, type Sandbox } from "../../support/provider.js";
import { makeTempDir } from "../../support/temp.js";

// private_key_jwt meets DPoP and PAR: the CLI in-process, the real oidc-provider (sandbox-jwt). The
// sign-in is driven over HTTP: what is tested is the two proofs on each request (par.e2e signs in in Chromium).
const dir = makeTempDir("jwt-dpop-par");
const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
const keyFile = join(dir, "client.pem");
writeFileSync(keyFile, pair.privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
const privateD = (pair.privateKey.export({ format: "jwk" }) as { d: string }).d;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider({ clientJwks: { keys: [{ ...pair.publicKey.export({ format: "jwk" }), kid: "k1", alg: "ES256", use: "sig" }] } });
});
afterAll(async () => {
  await sandbox?.close();
});

/** Each traced POST: its URL, its request lines (headers and body), and the client_assertion claims printed after its answer. */
function tracedPosts(stderr: string) {
  return stderr.split(/^(?=> POST )/m).filter((part) => part.startsWith("> POST ")).map((part) => {
    const claims = /^\* client_assertion claims (\{.*\}) \(signature redacted\)$/m.exec(part)?.[1];
    return {
      url: /^> POST (\S+)/.exec(part)![1]!,
      lines: part.split("\n").filter((line) => line.startsWith(">")).join("\n"),
      claims: claims ? (JSON.parse(claims) as Record<string, unknown>) : undefined,
    };
  });
}

describe("authorize --auth-method private_key_jwt --private-key K --dpop --par", () => {
  it("the push and the token request each carry an assertion and a DPoP proof; the tokens are DPoP-bound", async () => {
    const run = startAuthorize(["--issuer", sandbox.issuer, "--client-id", "sandbox-jwt", "--auth-method", "private_key_jwt", "--private-key", keyFile, "--dpop", "--par", "--scope", "openid offline_access", "-o", "json", "-v"]);
    const url = await run.url;
    // PAR: the browser carries only client_id and request_uri (RFC 9126 §4).
    expect([...url.searchParams.keys()].sort()).toEqual(["client_id", "request_uri"]);
    await fetch(await completeLoginHttp(url.href, { user: "pat" }));
    const { exitCode, stdout, stderr } = await run.done;
    // For the closing note: the redacted trace of this run, when asked for.
    if (process.env.OAUTH_CLI_KEEP_TRACE) writeFileSync(process.env.OAUTH_CLI_KEEP_TRACE, stderr);
    expect(exitCode, stderr).toBe(0);

    const tokens = JSON.parse(stdout) as Record<string, string>;
    expect(tokens.token_type).toBe("DPoP");
    expect(await introspect(sandbox, tokens.access_token!)).toMatchObject({ active: true, sub: "pat", client_id: "sandbox-jwt", token_type: "DPoP" });
    expect(stderr).not.toMatch(/not bound/);

    const posts = tracedPosts(stderr);
    const push = posts.find((p) => p.url === `${sandbox.issuer}/request`);
    const token = posts.find((p) => p.url === `${sandbox.issuer}/token`);
    expect(push, stderr).toBeDefined();
    expect(token, stderr).toBeDefined();
    for (const post of [push!, token!]) {
      // Both proofs of the one request: the assertion in the body (RFC 7523 §2.2), the DPoP proof in its header (RFC 9449 §4).
      expect(post.lines).toMatch(/client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=\[redacted \d+ chars\]/);
      expect(post.lines).toMatch(/^> DPoP: \[signed JWT, signature redacted\] header=\{"typ":"dpop\+jwt","alg":"ES256"/m);
      expect(post.lines).not.toMatch(/client_secret|Authorization: Basic/);
    }
    expect(push!.lines).toMatch(/"htu":"[^"]*\/request"/);
    expect(token!.lines).toMatch(/"htu":"[^"]*\/token"/);
    // The push's assertion names the issuer (RFC 9126 §2: it SHOULD), the token request's its token endpoint.
    expect(push!.claims).toMatchObject({ iss: "sandbox-jwt", sub: "sandbox-jwt", aud: sandbox.issuer });
    expect(token!.claims).toMatchObject({ iss: "sandbox-jwt", sub: "sandbox-jwt", aud: `${sandbox.issuer}/token` });
    expect(push!.claims!.jti).not.toBe(token!.claims!.jti);
    // Nothing secret in the trace: no private key, no token.
    expect(stderr).not.toContain(privateD);
    expect(stderr).not.toContain(tokens.access_token!);
    expect(stderr).not.toContain(tokens.refresh_token!);
  });
});
