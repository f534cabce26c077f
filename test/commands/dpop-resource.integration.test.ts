import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tracedProofs } from "../support/dpop.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, pkcePair, startTestProvider, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

// A DPoP-bound access token at a resource (RFC 9449 §7): the real oidc-provider's userinfo endpoint takes
// sandbox-dpop's tokens only as `Authorization: DPoP …` with a proof carrying `ath`, and asks for its nonce.
let sandbox: Sandbox;
let store: string;
let saved: { access_token: string; token_type: string; dpop_jwk: Record<string, string> };
const DPOP = { id: "sandbox-dpop", secret: "sandbox-dpop-secret" } as const;
const dir = makeTempDir("dpop-resource");

beforeAll(async () => {
  sandbox = await startTestProvider();
  store = join(dir, "tokens.json");
  const redirectUri = "http://127.0.0.1:8123/callback";
  const { verifier, challenge } = pkcePair();
  const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { clientId: DPOP.id, redirectUri, challenge, scope: "openid profile offline_access" })));
  const run = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", DPOP.id, "--code", final.searchParams.get("code")!, "--redirect-uri", redirectUri, "--code-verifier", verifier, "--dpop", "--store", store], {
    env: { OAUTH_CLIENT_SECRET: DPOP.secret },
  });
  expect(run.exitCode, run.stderr).toBe(0);
  saved = JSON.parse(readFileSync(store, "utf8"));
  expect(saved.token_type).toBe("DPoP");
});
afterAll(async () => sandbox?.close());

const ath = (token: string) => createHash("sha256").update(token).digest("base64url");

describe("userinfo with a DPoP-bound token", () => {
  it("--store: Authorization: DPoP and a proof with htm, htu and ath; use_dpop_nonce answered with one retry", async () => {
    const run = await runCli(["userinfo", "--store", store, "-o", "json", "-v"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty("sub");
    expect(run.stderr).toMatch(/^> Authorization: DPoP \[redacted/m);
    expect(run.stderr).not.toMatch(/^> Authorization: Bearer/m);
    const proofs = tracedProofs(run.stderr);
    expect(proofs.length).toBeGreaterThanOrEqual(1);
    const last = proofs.at(-1)!;
    expect(last.claims).toMatchObject({ htm: "GET", htu: `${sandbox.issuer}/me`, ath: ath(saved.access_token) });
    expect(last.header.jwk).toMatchObject({ x: saved.dpop_jwk.x, y: saved.dpop_jwk.y });
    // The sandbox asks for its nonce at userinfo: refused once (use_dpop_nonce), then once more with it.
    expect(proofs).toHaveLength(2);
    expect(run.stderr).toMatch(/use_dpop_nonce/);
    expect(proofs[0]!.claims.nonce).toBeUndefined();
    expect(typeof last.claims.nonce).toBe("string");
  });

  it("--access-token with --dpop-key: the same, from a key file", async () => {
    const keyFile = join(dir, "dpop.jwk");
    writeFileSync(keyFile, JSON.stringify(saved.dpop_jwk), { mode: 0o600 });
    const run = await runCli(["userinfo", "--issuer", sandbox.issuer, "--access-token", saved.access_token, "--dpop-key", keyFile, "-o", "json"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty("sub");
  });

  it("the bound token as a bearer token (no key) is refused by the server: exit 1, explained", async () => {
    const run = await runCli(["userinfo", "--issuer", sandbox.issuer, "--access-token", saved.access_token]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_token|DPoP/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("a --dpop-key that does not exist is a usage error naming it (exit 2), not a new key", async () => {
    const missing = join(dir, "missing.jwk");
    const run = await runCli(["userinfo", "--issuer", sandbox.issuer, "--access-token", saved.access_token, "--dpop-key", missing]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(missing);
    // Nor with --store, whose refresh would otherwise make the missing file a new key.
    const stored = await runCli(["userinfo", "--store", store, "--force", "--dpop-key", missing]);
    expect(stored.exitCode).toBe(2);
    expect(existsSync(missing)).toBe(false);
  });
});

describe("request with a DPoP-bound token", () => {
  it("--store: the API answers 2xx to Authorization: DPoP with a proof carrying ath (nonce retry included)", async () => {
    const run = await runCli(["request", `${sandbox.issuer}/me`, "--store", store, "-v"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty("sub");
    expect(run.stderr).toMatch(/^> Authorization: DPoP \[redacted/m);
    const proofs = tracedProofs(run.stderr);
    expect(proofs.at(-1)!.claims).toMatchObject({ htm: "GET", htu: `${sandbox.issuer}/me`, ath: ath(saved.access_token) });
    expect(proofs).toHaveLength(2);
    expect(proofs[0]!.claims.nonce).toBeUndefined();
    expect(typeof proofs[1]!.claims.nonce).toBe("string");
    expect(run.stderr).toMatch(/^< HTTP 401/m);
  });

  it("a DPoP header of one's own is refused with a DPoP-bound token (exit 2): the proof is made per request", async () => {
    const run = await runCli(["request", `${sandbox.issuer}/me`, "--store", store, "-H", "DPoP: x"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/DPoP/);
  });
});
