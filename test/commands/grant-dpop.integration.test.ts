import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peekJwt } from "../../src/output/format.js";
import { runCli } from "../support/cli.js";
import { expectOneNonceRetry, thumbprintOf, tracedProofs } from "../support/dpop.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, introspect, pkcePair, PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

// `grant --grant-type … --dpop` (RFC 9449) against the real oidc-provider of the sandbox: the generic
// grant command sends the same proofs as the dedicated token commands, and the server binds what it
// issues to the proof's key (cnf.jkt, RFC 9449 §6). sandbox-dpop's proofs need the server's nonce.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

const DPOP = { id: "sandbox-dpop", secret: "sandbox-dpop-secret" } as const;
const EXCHANGE = { id: "sandbox-exchange", secret: "sandbox-exchange-secret" } as const;
const AT_TYPE = "urn:ietf:params:oauth:token-type:access_token";
const API = "https://api.sandbox.test";
const REDIRECT = "http://127.0.0.1:8123/callback";
const dir = makeTempDir("grant-dpop");
let keys = 0;
/** A path for a new --dpop-key file: the CLI creates the key there on first use. */
const newKeyFile = () => join(dir, `dpop-${++keys}.jwk`);
const keyOf = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;

const grant = (client: { id: string; secret: string }, argv: string[], stdin?: string) =>
  runCli(["grant", "--issuer", sandbox.issuer, "--client-id", client.id, ...argv], { env: { OAUTH_CLIENT_SECRET: client.secret }, ...(stdin !== undefined && { stdin }) });

const TOKEN_EXCHANGE = ["--grant-type", "token-exchange", "--param", "subject_token=-", "--param", `subject_token_type=${AT_TYPE}`];

/** A live access token of this server to exchange (RFC 8693 §2.1 subject_token). */
async function subjectToken(client: { id: string; secret: string }): Promise<string> {
  const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", client.id, "--scope", "api:read", "--dpop", "-o", "token"], { env: { OAUTH_CLIENT_SECRET: client.secret } });
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout.trim();
}

describe("grant --grant-type client_credentials --dpop", () => {
  it("use_dpop_nonce gets one retry with the server's nonce; the token is bound to the proof's key", async () => {
    const run = await grant(DPOP, ["--grant-type", "client_credentials", "--dpop", "-v", "-o", "json"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const tokens = JSON.parse(run.stdout);
    expect(tokens.token_type).toBe("DPoP");
    const proofs = expectOneNonceRetry(run.stderr);
    expect(proofs[1]!.claims).toMatchObject({ htm: "POST", htu: `${sandbox.issuer}/token` });
    // Both proofs come from the one key the token is bound to.
    expect(proofs[1]!.header.jwk).toEqual(proofs[0]!.header.jwk);
    const live = await introspect(sandbox, tokens.access_token);
    expect(live).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: await thumbprintOf(proofs[1]!.header.jwk as Record<string, unknown>) } });
    expect(run.stderr).not.toMatch(/not bound/);
  });
});

describe("grant --grant-type refresh_token --dpop-key", () => {
  it("a public client's DPoP-bound refresh token is refused with another key or none (explained), and redeemed with its own for a bound token", async () => {
    // oidc-provider binds a public client's refresh token to the key of the code exchange (RFC 9449 §5).
    const keyFile = newKeyFile();
    const { verifier, challenge } = pkcePair();
    const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { clientId: PUBLIC.id, redirectUri: REDIRECT, challenge, scope: "openid offline_access" })));
    const exchange = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", final.searchParams.get("code")!, "--redirect-uri", REDIRECT, "--code-verifier", verifier, "--dpop-key", keyFile, "-o", "json"]);
    expect(exchange.exitCode, exchange.stderr).toBe(0);
    const refreshToken = JSON.parse(exchange.stdout).refresh_token as string;
    expect(refreshToken).toEqual(expect.any(String));
    const jkt = await thumbprintOf(keyOf(keyFile));

    const refreshArgs = ["--grant-type", "refresh_token", "--param", "refresh_token=-"];
    const run = (argv: string[]) => runCli(["grant", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, ...refreshArgs, ...argv, "-o", "json"], { stdin: refreshToken });

    // A fresh key: the server checks the proof against the refresh token's binding and refuses.
    const otherKey = await run(["--dpop"]);
    expect(otherKey.exitCode, otherKey.stderr).toBe(1);
    expect(otherKey.stdout).toBe("");
    expect(otherKey.stderr).toMatch(/invalid_grant: .*failed jkt verification/);
    // Explained as a key mismatch, with the proof this run sent, not only as an expired or reused token.
    expect(otherKey.stderr).toMatch(/this run sent a DPoP proof: alg ES256, htm POST/);
    expect(otherKey.stderr).toMatch(/- the server says the proof's key is not the one the code or refresh token is bound to \(jkt\)/);
    expect(otherKey.stderr).toMatch(/hint: A DPoP-bound grant is redeemed only with proofs of its own key/);

    // No proof at all: refused the same way; the hint asks for the bound key, not for a new one.
    const noProof = await run([]);
    expect(noProof.exitCode, noProof.stderr).toBe(1);
    expect(noProof.stderr).toMatch(/this run sent no DPoP proof/);
    expect(noProof.stderr).toMatch(/hint: The code or refresh token is bound to a DPoP key: send proofs of that key/);

    const bound = await run(["--dpop-key", keyFile]);
    expect(bound.exitCode, bound.stderr).toBe(0);
    const tokens = JSON.parse(bound.stdout);
    expect(tokens.token_type).toBe("DPoP");
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(await introspect(sandbox, tokens.access_token)).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt } });
  });
});

describe("grant --grant-type token-exchange --dpop (the sandbox's RFC 8693 grant)", () => {
  it("a client whose tokens must be bound: nonce retry, and a resource's JWT access token names the key in cnf.jkt", async () => {
    const subject = await subjectToken(DPOP);
    const keyFile = newKeyFile();
    const run = await grant(DPOP, [...TOKEN_EXCHANGE, "--resource", API, "--dpop-key", keyFile, "-v", "-o", "json"], subject);
    expect(run.exitCode, run.stderr).toBe(0);
    const tokens = JSON.parse(run.stdout);
    expect(tokens.token_type).toBe("DPoP");
    expect(tokens.issued_token_type).toBe(AT_TYPE);
    const jkt = await thumbprintOf(keyOf(keyFile));
    expect(peekJwt(tokens.access_token)).toMatchObject({ aud: API, client_id: DPOP.id, cnf: { jkt } });
    const proofs = expectOneNonceRetry(run.stderr);
    expect(await thumbprintOf(proofs[1]!.header.jwk as Record<string, unknown>)).toBe(jkt);
  });

  it("the same client without a proof is refused (dpop_bound_access_tokens), with the hint to add --dpop", async () => {
    const subject = await subjectToken(DPOP);
    const run = await grant(DPOP, [...TOKEN_EXCHANGE, "--resource", API], subject);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/DPoP proof JWT not provided/);
    expect(run.stderr).toMatch(/hint: .*add --dpop/);
  });

  // A resource indicator makes oidc-provider issue a JWT for that resource server; the binding is the
  // same as for the opaque token issued without one (each is checked here, the opaque one by introspection).
  it.each([
    { target: "--resource", argv: ["--resource", API] },
    { target: "audience", argv: ["--param", `audience=${API}`] },
    { target: "none (opaque token)", argv: [] },
  ])("target $target: bound to the proof's key, no nonce asked of this client", async ({ argv }) => {
    const subject = await subjectToken(EXCHANGE);
    const run = await grant(EXCHANGE, [...TOKEN_EXCHANGE, ...argv, "--dpop", "-v", "-o", "json"], subject);
    expect(run.exitCode, run.stderr).toBe(0);
    const tokens = JSON.parse(run.stdout);
    expect(tokens.token_type).toBe("DPoP");
    const proofs = tracedProofs(run.stderr);
    expect(proofs).toHaveLength(1);
    const jkt = await thumbprintOf(proofs[0]!.header.jwk as Record<string, unknown>);
    const claims = argv.length > 0 ? peekJwt(tokens.access_token) : await introspect(sandbox, tokens.access_token);
    expect(claims).toMatchObject({ cnf: { jkt }, ...(argv.length > 0 && { aud: API }) });
  });
});
