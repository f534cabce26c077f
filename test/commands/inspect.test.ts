import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CompactEncrypt, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leftHalfHash } from "../../src/jwt/checks.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, pkcePair, PUBLIC, type Sandbox, startTestProvider, tokenRequest } from "../support/provider.js";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp.js";

/**
 * `oauth-cli inspect` against the real oidc-provider: its ID tokens, its discovery document and
 * JWKS. The forged tokens are made here with jose (another key, alg none, a JWE, a wrong at_hash):
 * no real server hands those out, which is the point of checking for them.
 */
let sandbox: Sandbox;
let idToken: string;
let accessToken: string;
let claims: JWTPayload;
let forger: Awaited<ReturnType<typeof generateKeyPair>>;
let forgerJwks: string;
const NONCE = "n-4711";
const dir = makeTempDir("inspect");

beforeAll(async () => {
  sandbox = await startTestProvider();
  const { verifier, challenge } = pkcePair();
  const redirectUri = "http://127.0.0.1:9/callback";
  const url = new URL(authorizationUrl(sandbox, { redirectUri, challenge }));
  url.searchParams.set("nonce", NONCE);
  const code = new URL(await completeLoginHttp(url.href)).searchParams.get("code")!;
  const tokens = await tokenRequest(sandbox, { grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier, client_id: PUBLIC.id });
  idToken = String(tokens.body.id_token);
  accessToken = String(tokens.body.access_token);
  claims = JSON.parse(Buffer.from(idToken.split(".")[1]!, "base64url").toString()) as JWTPayload;
  forger = await generateKeyPair("RS256", { extractable: true });
  forgerJwks = join(dir, "forger.jwks.json");
  writeFileSync(forgerJwks, JSON.stringify({ keys: [{ ...(await exportJWK(forger.publicKey)), kid: "forger", alg: "RS256", use: "sig" }] }));
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as { kid: string }).kid;
const inspect = (args: string[], opts = {}) => runCli(["inspect", ...args], opts);
const asIdToken = () => ["--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--nonce", NONCE];
/** Same claims, signed by a key the issuer never had. */
const signByForger = (payload: JWTPayload, kid = "forger") => new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid }).sign(forger.privateKey);

describe("inspect: a real ID token from oidc-provider", () => {
  it("is valid: signature verified with the issuer's JWKS (found by discovery), iss, aud, nonce, exp, iat checked; exit 0", async () => {
    const run = await inspect([idToken, ...asIdToken(), "-o", "json"]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as { valid: boolean; claims: JWTPayload; checks: { claim: string; ok: boolean; actual: string }[] };
    expect(result.valid).toBe(true);
    expect(result.claims.nonce).toBe(NONCE);
    expect(result.checks.map((c) => c.claim)).toEqual(["signature", "iss", "aud", "sub", "exp", "iat", "nonce"]);
    expect(result.checks[0]!.actual).toContain(`kid "${kidOf(idToken)}" from ${sandbox.issuer}/jwks`);
  });

  it("pretty output: header, claims with dates and relative times, each check, the verdict", async () => {
    const run = await inspect([idToken, ...asIdToken(), "-o", "pretty"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^ID token: a signed JWT \(JWS, RS256\)/);
    expect(run.stdout).toMatch(new RegExp(`exp\\s+${claims.exp}  \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z \\(expires in 60 min\\)`));
    expect(run.stdout).toMatch(/iat\s+\d+  .*\(issued \d+ s ago\)/);
    expect(run.stdout).toContain("✓ nonce:");
    expect(run.stdout).toMatch(/✓ valid\n$/);
  });

  it("without --issuer, the keys come from the token's own iss, and it says so; -v traces discovery and the JWKS fetch", async () => {
    const run = await inspect([idToken, "-v", "-o", "json"]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`note: keys from the discovery document of the token's own iss (${sandbox.issuer})`);
    expect(run.stderr).toContain(`GET ${sandbox.issuer}/jwks`);
  });

  it("reads the token from standard input with -, and takes a Bearer header value", async () => {
    const run = await inspect(["-", "--jwks-uri", `${sandbox.issuer}/jwks`, "-o", "json"], { stdin: `Bearer ${idToken}\n` });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).valid).toBe(true);
  });

  it("an expired token: exit 1, one line naming exp, what was expected and what it has", async () => {
    const later = ((claims.exp as number) + 2 * 3600) * 1000;
    const run = await inspect([idToken, ...asIdToken(), "-o", "json"], { now: () => later });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^ {2}exp: expected later than now \(.*with 30 s clock tolerance\), got \d+ \(.*expired 2 h ago\)$/m);
    expect(run.stderr).not.toMatch(/signature:/); // the signature itself is fine
  });

  it("a token issued in the future (beyond the tolerance): iat fails; --clock-tolerance widens it", async () => {
    const earlier = ((claims.iat as number) - 120) * 1000;
    const strict = await inspect([idToken, ...asIdToken()], { now: () => earlier });
    expect(strict.exitCode).toBe(1);
    expect(strict.stderr).toMatch(/^ {2}iat: expected not after now .*, got \d+ .*issued 2 min in the future\)$/m);
    const tolerant = await inspect([idToken, ...asIdToken(), "--clock-tolerance", "300"], { now: () => earlier });
    expect(tolerant.exitCode).toBe(0);
  });

  it("the wrong audience: aud names the client it was expected to contain and the one it has", async () => {
    const run = await inspect([idToken, "--issuer", sandbox.issuer, "--client-id", "someone-else"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`  aud: expected to contain "someone-else", got "${PUBLIC.id}"`);
  });

  it("the wrong nonce, and the wrong issuer", async () => {
    const run = await inspect([idToken, "--jwks-uri", `${sandbox.issuer}/jwks`, "--issuer", "https://id.example.com", "--client-id", PUBLIC.id, "--nonce", "not-it"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`  nonce: expected "not-it" (the nonce sent in the authorization request), got "${NONCE}"`);
    expect(run.stderr).toContain(`  iss: expected "https://id.example.com", got "${sandbox.issuer}"`);
    expect(run.stderr).toContain("2 checks failed");
  });
});

describe("inspect: forged tokens are caught", () => {
  it("the same claims re-signed with another key under the issuer's kid: the signature fails", async () => {
    const forged = await signByForger(claims, kidOf(idToken));
    const run = await inspect([forged, ...asIdToken()]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^ {2}signature: expected a valid RS256 signature by key kid ".*" from http:\/\/127\.0\.0\.1:\d+\/jwks, got a signature that does not verify/m);
    expect(run.stderr).toContain("1 check failed");
  });

  it("signed by a key the issuer does not have (another kid): no such key there", async () => {
    const run = await inspect([await signByForger(claims), ...asIdToken()]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^ {2}signature: expected a key for RS256 key kid "forger" in .*\/jwks, got no such key there \(kid ".*" \(RS256, use sig\)\)/m);
  });

  it('alg "none": an unsigned token fails, even with --no-verify', async () => {
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;
    for (const extra of [[], ["--no-verify"]]) {
      const run = await inspect([unsigned, ...asIdToken(), ...extra]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('  signature: expected a signed token, got alg "none": an unsigned token, which anyone can write');
    }
  });

  it("an HMAC token is never checked with the issuer's public keys (alg confusion)", async () => {
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: kidOf(idToken) }).sign(new TextEncoder().encode("guessable"));
    const run = await inspect([hs, ...asIdToken()]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('got alg "HS256": an HMAC token is checked with --secret, never with public keys');
  });

  it("at_hash: the left half of the access token's SHA-256 must match; a wrong one fails (OIDC Core §3.1.3.6)", async () => {
    const expected = createHash("sha256").update(accessToken, "ascii").digest().subarray(0, 16).toString("base64url");
    expect(leftHalfHash("RS256", accessToken)).toBe(expected);
    const right = await signByForger({ ...claims, at_hash: expected });
    const wrong = await signByForger({ ...claims, at_hash: leftHalfHash("RS256", "another-access-token") });
    const args = ["--jwks-file", forgerJwks, "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--access-token", "-"];
    expect((await inspect([right, ...args], { stdin: accessToken })).exitCode).toBe(0);
    const run = await inspect([wrong, ...args], { stdin: accessToken });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`  at_hash: expected "${expected}" (the hash of the access token given), got "${leftHalfHash("RS256", "another-access-token")}"`);
  });

  it("a JWK Set with several keys that fit a token without kid: each is tried (a key rotation)", async () => {
    const second = await generateKeyPair("RS256", { extractable: true });
    const both = join(dir, "two.jwks.json");
    const jwk = async (key: Parameters<typeof exportJWK>[0]) => ({ ...(await exportJWK(key)), alg: "RS256" });
    writeFileSync(both, JSON.stringify({ keys: [await jwk(forger.publicKey), await jwk(second.publicKey)] }));
    const bySecond = await new SignJWT(claims).setProtectedHeader({ alg: "RS256" }).sign(second.privateKey);
    expect((await inspect([bySecond, "--jwks-file", both])).exitCode).toBe(0);
    const stranger = await generateKeyPair("RS256");
    const run = await inspect([await new SignJWT(claims).setProtectedHeader({ alg: "RS256" }).sign(stranger.privateKey), "--jwks-file", both]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`  signature: expected a valid RS256 signature by one of the keys from ${both} that fit, got a signature that none of them verifies`);
  });

  it("c_hash against --code, and a missing exp is a failure of its own", async () => {
    const { exp: _exp, ...noExp } = claims;
    const token = await signByForger({ ...noExp, c_hash: leftHalfHash("RS256", "the-code") });
    const run = await inspect([token, "--jwks-file", forgerJwks, "--client-id", PUBLIC.id, "--code", "other-code", "-o", "json"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("  exp: expected an expiry time (a number of seconds); without one the token never expires, got none (the claim is missing)");
    expect(run.stderr).toMatch(/^ {2}c_hash: expected ".*" \(the hash of the code given\), got ".*"$/m);
  });

  it("not yet valid (nbf ahead), and azp naming another client", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signByForger({ ...claims, nbf: now + 600, azp: "another-client" });
    const run = await inspect([token, "--jwks-file", forgerJwks, "--client-id", PUBLIC.id, "-o", "pretty"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^ {2}nbf: expected not after now .*, got \d+ \(.*not valid for another 10 min\)$/m);
    expect(run.stderr).toContain(`  azp: expected "${PUBLIC.id}", got "another-client"`);
    expect(run.stdout).toMatch(/nbf\s+\d+ {2}\S+Z \(not valid for another 10 min\)/);
    expect(run.stdout).toContain("✗ not valid: 2 checks failed");
  });

  it("HS256 with a shared secret from OAUTH_JWT_SECRET: right secret valid, wrong secret fails", async () => {
    const hs = await new SignJWT({ sub: "svc", exp: Math.floor(Date.now() / 1000) + 60 }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("s3cret-s3cret-s3cret-s3cret-s3cret"));
    expect((await inspect([hs], { env: { OAUTH_JWT_SECRET: "s3cret-s3cret-s3cret-s3cret-s3cret" } })).exitCode).toBe(0);
    const secretFile = join(dir, "secret.txt");
    writeFileSync(secretFile, "s3cret-s3cret-s3cret-s3cret-s3cret\n");
    expect((await inspect([hs, "--secret-file", secretFile])).exitCode).toBe(0);
    const wrong = await inspect([hs], { env: { OAUTH_JWT_SECRET: "not-the-secret" } });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain("  signature: expected a valid HS256 signature by the key from OAUTH_JWT_SECRET, got a signature that does not verify");
  });
});

describe("inspect: what is not a signed JWT", () => {
  it("an encrypted JWT (JWE) is recognised and its header shown", async () => {
    const recipient = await generateKeyPair("RSA-OAEP-256");
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256GCM", kid: "enc-1" }).encrypt(recipient.publicKey);
    const run = await inspect([jwe, "-o", "pretty"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("token: an encrypted JWT (JWE, RSA-OAEP-256 / A256GCM)");
    expect(run.stdout).toMatch(/kid\s+enc-1/);
    const json = JSON.parse((await inspect([jwe, "-o", "json"])).stdout);
    expect(json).toEqual({ type: "JWE", header: { alg: "RSA-OAEP-256", enc: "A256GCM", kid: "enc-1" }, encrypted: true });
  });

  it("the sandbox's opaque access token: exit 2, says so and suggests introspect", async () => {
    // "--": a base64url token may start with "-", which would read as an option.
    const run = await inspect(["--", accessToken]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("error: this looks like an opaque token, not a JWT");
    expect(run.stderr).toContain("oauth-cli introspect");
  });

  it("text that is no token at all: exit 2 naming why, never a stack trace", async () => {
    for (const input of ["hello world", "a.b.c", "{not: a token}"]) {
      const run = await inspect([input]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/error: this (is not a token|looks like an opaque token)/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("--help shows examples and inspect's own exit codes", async () => {
    const run = await inspect(["--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("oauth-cli inspect --issuer https://id.example.com --client-id app --nonce N");
    expect(run.stdout).toMatch(/Exit codes of inspect:\n {2}0 {4}the token is valid.*\n {2}1 {4}a check failed.*\n {2}2 {4}the input is not a JWT/);
  });

  it("keys that cannot be fetched exit 3; a document that is no JWK Set exits 4", async () => {
    const unreachable = await inspect([idToken, "--jwks-uri", "http://127.0.0.1:1/jwks"]);
    expect(unreachable.exitCode).toBe(3);
    expect(unreachable.stderr).toContain("error: could not fetch the keys from http://127.0.0.1:1/jwks");
    const offline = await inspect([await signByForger({ ...claims, iss: "http://127.0.0.1:1" })]);
    expect(offline.exitCode).toBe(3);
    expect(offline.stderr).toContain("error: discovery: could not reach http://127.0.0.1:1/.well-known/");
    expect(offline.stderr).toContain("To read the token without its issuer's keys: --no-verify");
    expect((await inspect([await signByForger({ ...claims, iss: "http://127.0.0.1:1" }), "--no-verify"])).exitCode).toBe(0);
    const notJwks = await inspect([idToken, "--jwks-uri", `${sandbox.issuer}/.well-known/openid-configuration`]);
    expect(notJwks.exitCode).toBe(4);
    expect(notJwks.stderr).toContain(`is not a JWK Set: it needs a "keys" array (RFC 7517 §5)`);
  });

  it("bad flags: two key sources, a bad tolerance, an unreadable JWKS file", async () => {
    expect((await inspect([idToken, "--jwks-uri", "http://x/", "--jwks-file", forgerJwks])).stderr).toContain("give one key source, not --jwks-uri and --jwks-file");
    const tolerance = await inspect([idToken, "--clock-tolerance", "soon"]);
    expect(tolerance.exitCode).toBe(2);
    expect(tolerance.stderr).toContain('--clock-tolerance: "soon" is not a number of seconds');
    const notJwks = join(dir, "not.json");
    writeFileSync(notJwks, '{"kty":"RSA"}');
    const bad = await inspect([idToken, "--jwks-file", notJwks]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('needs a "keys" array');
  });
});
