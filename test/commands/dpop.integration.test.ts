import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { calculateJwkThumbprint } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { expectOneNonceRetry, tracedProofs } from "../support/dpop.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, BASIC, introspect, pkcePair, startTestProvider, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

// Real oidc-provider with DPoP (RFC 9449): sandbox-dpop's tokens must be DPoP-bound and its proofs need the server's nonce.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

const DPOP = { id: "sandbox-dpop", secret: "sandbox-dpop-secret" } as const;
const dir = () => makeTempDir("dpop");

describe("client-credentials --dpop", () => {
  it("answers use_dpop_nonce with one retry carrying the nonce; the token is DPoP-bound to our key", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", DPOP.id, "--dpop", "-v"], { env: { OAUTH_CLIENT_SECRET: DPOP.secret } });
    expect(run.exitCode, run.stderr).toBe(0);
    const tokens = JSON.parse(run.stdout);
    expect(tokens.token_type).toBe("DPoP");
    const proofs = expectOneNonceRetry(run.stderr);
    expect(proofs[1]!.header).toMatchObject({ typ: "dpop+jwt", alg: "ES256", jwk: { kty: "EC", crv: "P-256" } });
    expect(proofs[1]!.header.jwk).not.toHaveProperty("d");
    expect(proofs[1]!.claims).toMatchObject({ htm: "POST", htu: `${sandbox.issuer}/token` });
    const live = await introspect(sandbox, tokens.access_token);
    expect(live).toMatchObject({ active: true, token_type: "DPoP" });
    expect((live.cnf as { jkt: string }).jkt).toBe(await calculateJwkThumbprint(proofs[1]!.header.jwk as never));
  });

  it("without --dpop, the client whose tokens must be bound is refused, explained", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", DPOP.id], { env: { OAUTH_CLIENT_SECRET: DPOP.secret } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/DPoP proof JWT not provided/);
    expect(run.stderr).toMatch(/this run sent no DPoP proof/);
    expect(run.stderr).toMatch(/hint: .*add --dpop/);
  });

  it("a proof in an algorithm the server does not take: invalid_dpop_proof, explained with the proof sent and the server's list", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", DPOP.id, "--dpop", "--dpop-alg", "PS256"], { env: { OAUTH_CLIENT_SECRET: DPOP.secret } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/warning: the server lists dpop_signing_alg_values_supported: ES256/);
    expect(run.stderr).toMatch(/the server answered invalid_dpop_proof/);
    expect(run.stderr).toMatch(/this run sent a DPoP proof: alg PS256, htm POST, htu http:\/\/127\.0\.0\.1:\d+\/token, iat \S+, no nonce/);
    expect(run.stderr).toMatch(/- the server lists dpop_signing_alg_values_supported: ES256.*try --dpop-alg ES256/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("a client that does not require DPoP still gets a bound token when it sends proofs (no nonce asked)", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--dpop", "-v"], { env: { OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).token_type).toBe("DPoP");
    expect(tracedProofs(run.stderr)).toHaveLength(1);
    expect(run.stderr).not.toMatch(/not bound/);
  });

  it("--dpop-key FILE is created 0600 on first use and reused after", async () => {
    const keyFile = join(dir(), "dpop.jwk");
    const first = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", DPOP.id, "--dpop-key", keyFile], { env: { OAUTH_CLIENT_SECRET: DPOP.secret } });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const jwk = JSON.parse(readFileSync(keyFile, "utf8"));
    expect(jwk).toMatchObject({ kty: "EC", crv: "P-256" });
    const second = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", DPOP.id, "--dpop-key", keyFile], { env: { OAUTH_CLIENT_SECRET: DPOP.secret } });
    expect(second.exitCode, second.stderr).toBe(0);
    const thumbprint = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
    for (const run of [first, second]) {
      const live = await introspect(sandbox, JSON.parse(run.stdout).access_token);
      expect((live.cnf as { jkt: string }).jkt).toBe(thumbprint);
    }
  });

  it("a --dpop-key that is not a private key is a usage error naming the file (exit 2)", async () => {
    const keyFile = join(dir(), "public.jwk");
    writeFileSync(keyFile, JSON.stringify({ kty: "EC", crv: "P-256", x: "x", y: "y" }));
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", DPOP.id, "--dpop-key", keyFile], { env: { OAUTH_CLIENT_SECRET: DPOP.secret } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(keyFile);
    expect(run.stderr).toMatch(/public key/);
  });
});

describe("--store keeps the DPoP key with the tokens", () => {
  it("refresh --store proves possession of the stored key; the refreshed token stays bound to it", async () => {
    const store = join(dir(), "tokens.json");
    const seed = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", DPOP.id, "--dpop", "--store", store], { env: { OAUTH_CLIENT_SECRET: DPOP.secret } });
    expect(seed.exitCode, seed.stderr).toBe(0);
    expect(statSync(store).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(store, "utf8"));
    expect(saved.token_type).toBe("DPoP");
    expect(saved.dpop_jwk).toMatchObject({ kty: "EC", crv: "P-256" });
    expect(typeof saved.dpop_jwk.d).toBe("string");
    const thumbprint = await calculateJwkThumbprint({ kty: "EC", crv: "P-256", x: saved.dpop_jwk.x, y: saved.dpop_jwk.y });
    expect(((await introspect(sandbox, saved.access_token)).cnf as { jkt: string }).jkt).toBe(thumbprint);
  });

  it("exchange --dpop --store, then refresh --store alone refreshes with the stored key (nonce kept across the retry)", async () => {
    const store = join(dir(), "tokens.json");
    const redirectUri = "http://127.0.0.1:8123/callback";
    const { verifier, challenge } = pkcePair();
    const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { clientId: DPOP.id, redirectUri, challenge, scope: "openid offline_access" })));
    const code = final.searchParams.get("code")!;
    const env = { OAUTH_CLIENT_SECRET: DPOP.secret };
    const exchange = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", DPOP.id, "--code", code, "--redirect-uri", redirectUri, "--code-verifier", verifier, "--dpop", "--store", store], { env });
    expect(exchange.exitCode, exchange.stderr).toBe(0);
    const before = JSON.parse(readFileSync(store, "utf8"));
    expect(before.refresh_token).toBeTruthy();
    expect(before.dpop_jwk).toBeTruthy();

    // No --dpop: the store's key is used, because the refresh token is bound to it.
    const refresh = await runCli(["refresh", "--store", store, "--force", "-v"], { env });
    expect(refresh.exitCode, refresh.stderr).toBe(0);
    const after = JSON.parse(readFileSync(store, "utf8"));
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.token_type).toBe("DPoP");
    expect(after.dpop_jwk).toEqual(before.dpop_jwk);
    const proofs = tracedProofs(refresh.stderr);
    expect(proofs.at(-1)!.header.jwk).toMatchObject({ x: before.dpop_jwk.x, y: before.dpop_jwk.y });
    expect(typeof proofs.at(-1)!.claims.nonce).toBe("string");
    const thumbprint = await calculateJwkThumbprint({ kty: "EC", crv: "P-256", x: before.dpop_jwk.x, y: before.dpop_jwk.y });
    expect(((await introspect(sandbox, after.access_token)).cnf as { jkt: string }).jkt).toBe(thumbprint);
  });

});
