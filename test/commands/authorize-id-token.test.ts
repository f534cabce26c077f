import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthorize } from "../support/authorize.js";
import { runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, BASIC, PUBLIC, type Sandbox, startTestProvider } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

/**
 * authorize's nonce and ID token check, against the real oidc-provider. A provider handing out a
 * forged ID token is what no real server does: a small forwarder in front of the sandbox's token
 * endpoint re-signs the ID token with a key of its own; everything else is the sandbox's.
 */
let sandbox: Sandbox;
let forger: Server;
let forgerUrl: string;
const dir = makeTempDir("idtoken");

const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>;

beforeAll(async () => {
  sandbox = await startTestProvider();
  const key = await generateKeyPair("RS256");
  forger = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const upstream = await fetch(`${sandbox.issuer}/token`, {
        method: "POST",
        headers: { "content-type": String(req.headers["content-type"]), ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) },
        body: Buffer.concat(chunks),
      });
      const body = (await upstream.json()) as Record<string, unknown>;
      if (typeof body.id_token === "string") {
        const [header, payload] = body.id_token.split(".");
        // Same claims, same kid: only the signature is not the issuer's.
        body.id_token = await new SignJWT(decode(payload!) as JWTPayload).setProtectedHeader({ alg: "RS256", kid: String(decode(header!).kid) }).sign(key.privateKey);
      }
      res.writeHead(upstream.status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => forger.listen(0, "127.0.0.1", resolve));
  forgerUrl = `http://127.0.0.1:${(forger.address() as { port: number }).port}/token`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => forger?.close(resolve));
  await sandbox?.close();
});

const base = () => ["--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--scope", "openid profile"];

/** Signs in as alice through the run's URL and lets the "browser" land on the callback. */
async function signIn(argv: string[]) {
  const run = startAuthorize(argv);
  const url = await run.url;
  await fetch(await completeLoginHttp(url.href));
  return { url, result: await run.done };
}

describe("authorize: nonce and ID token", () => {
  it("sends a fresh nonce with openid, verifies the ID token, and pretty output shows its claims and checks", async () => {
    const { url, result } = await signIn([...base(), "-o", "pretty", "-v"]);
    const nonce = url.searchParams.get("nonce");
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.stderr).not.toMatch(/error:/);
    expect(result.exitCode).toBe(0);
    // The keys were fetched through our HTTP layer (traced), before the browser opened.
    expect(result.stderr).toContain(`GET ${sandbox.issuer}/jwks`);
    expect(result.stderr.indexOf(`GET ${sandbox.issuer}/jwks`)).toBeLessThan(result.stderr.indexOf("Open this URL"));
    expect(result.stdout).toContain("ID token: a signed JWT (JWS, RS256)");
    expect(result.stdout).toMatch(/exp\s+\d+ {2}\S+Z \(expires in 60 min\)/);
    expect(result.stdout).toContain(`✓ nonce: "${nonce}"`);
    expect(result.stdout).toContain(`✓ iss: "${sandbox.issuer}"`);
    expect(result.stdout).toMatch(/✓ signature: verified with key kid ".+" from http:\/\/127\.0\.0\.1:\d+\/jwks/);
    expect(result.stdout).toMatch(/✓ valid\n$/);
  });

  it("no openid scope: no nonce is sent", async () => {
    const { url, result } = await signIn(["--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--scope", "profile", "-o", "json"]);
    expect(result.exitCode).toBe(0);
    expect(url.searchParams.has("nonce")).toBe(false);
  });

  it("an ID token re-signed with another key: exit 4 with the reason, and nothing is saved in --store", async () => {
    const store = join(dir, "forged.json");
    const { result } = await signIn([...base(), "--token-endpoint", forgerUrl, "--store", store, "-o", "json"]);
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("error: the id_token failed verification: 1 check failed (OpenID Connect Core §3.1.3.7)");
    expect(result.stderr).toMatch(/^ {2}signature: expected a valid RS256 signature by key kid ".+" from http:\/\/127\.0\.0\.1:\d+\/jwks, got a signature that does not verify/m);
    expect(result.stderr).toContain("Nothing was saved or printed");
    expect(existsSync(store)).toBe(false);
  });

  it("a bare pasted code from another sign-in: its ID token lacks this run's nonce, exit 4 naming nonce", async () => {
    const redirectUri = "http://127.0.0.1:8765/callback";
    const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { clientId: BASIC.id, redirectUri })));
    const run = await runCli(["authorize", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--scope", "openid", "--pkce", "none", "--paste", "--no-open", "--redirect-uri", redirectUri], {
      stdin: `${final.searchParams.get("code")}\n`,
      env: { OAUTH_CLIENT_SECRET: BASIC.secret },
    });
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/^ {2}nonce: expected "[A-Za-z0-9_-]{43}" \(the nonce sent in the authorization request\), got none \(the claim is missing\)$/m);
    expect(run.stdout).toBe("");
  });

  it("a server whose clock is 10 min ahead issues an ID token from the future: exit 4 naming iat, with a hint about clocks", async () => {
    const skewed = await startTestProvider({ clockSkew: 600 });
    try {
      const run = startAuthorize(["--issuer", skewed.issuer, "--client-id", PUBLIC.id, "--scope", "openid", "-o", "json"]);
      await fetch(await completeLoginHttp((await run.url).href));
      const result = await run.done;
      expect(result.exitCode).toBe(4);
      expect(result.stderr).toMatch(/^ {2}iat: expected not after now \(.*with 30 s clock tolerance\), got \d+ \(.*issued 10 min in the future\)$/m);
      expect(result.stderr).toContain("Only its times failed: the server's clock and this machine's disagree by more than 30 s");
    } finally {
      await skewed.close();
    }
  });

  it("--store keeps a verified ID token, and inspect --store checks it with the store's issuer and client id", async () => {
    const store = join(dir, "good.json");
    const { result } = await signIn([...base(), "--store", store, "-o", "json"]);
    expect(result.exitCode).toBe(0);
    const inspected = await runCli(["inspect", "--store", store, "-o", "json"]);
    expect(inspected.stderr).toBe("");
    expect(inspected.exitCode).toBe(0);
    const out = JSON.parse(inspected.stdout) as { access_token: { type: string }; id_token: { valid: boolean; checks: { claim: string }[] } };
    expect(out.access_token.type).toBe("opaque");
    expect(out.id_token.valid).toBe(true);
    expect(out.id_token.checks.map((c) => c.claim)).toEqual(expect.arrayContaining(["signature", "iss", "aud", "at_hash"]));
  });
});
