import { createHash } from "node:crypto";
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { explainDpopRefusal } from "../../src/commands/shared/dpop-explain.js";
import { asksForNonce } from "../../src/commands/shared/dpop.js";
import { OAuthServerError } from "../../src/errors/cli-error.js";
import type { HttpExchange } from "../../src/http/types.js";
import { recordedExchange } from "../support/exchange.js";
import { algOfJwk, decodeProof, DpopKey, proofTarget } from "../../src/oauth/dpop.js";
import { redactHeader } from "../../src/output/redact.js";

// Proofs are checked with jose's own verifier (EmbeddedJWK), the way a server checks them (RFC 9449 §4.3).
describe("DPoP proofs (RFC 9449 §4.2)", () => {
  it("a fresh ES256 proof verifies against its embedded public key, with typ, htm, htu (no query), iat and jti", async () => {
    const key = await DpopKey.generate();
    const proof = await key.proof({ htm: "POST", htu: "https://as.example/token?x=1#f" }, 1_700_000_000_000);
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", currentDate: new Date(1_700_000_000_000) });
    expect(protectedHeader.alg).toBe("ES256");
    expect(protectedHeader.jwk).not.toHaveProperty("d");
    expect(payload).toMatchObject({ htm: "POST", htu: "https://as.example/token", iat: 1_700_000_000 });
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload).not.toHaveProperty("ath");
    expect(payload).not.toHaveProperty("nonce");
    const second = decodeProof(await key.proof({ htm: "POST", htu: "https://as.example/token" }))!;
    expect(second.claims.jti).not.toBe(payload.jti);
    expect(await key.thumbprint()).toBe(await calculateJwkThumbprint(protectedHeader.jwk!));
  });

  it("with an access token, ath is base64url(SHA-256(token)); a given nonce is used", async () => {
    const key = await DpopKey.generate("EdDSA");
    const proof = await key.proof({ htm: "GET", htu: "https://rs.example/api", accessToken: "tok-123", nonce: "n-1" });
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK);
    expect(protectedHeader.alg).toBe("EdDSA");
    expect(payload.ath).toBe(createHash("sha256").update("tok-123").digest("base64url"));
    expect(payload.nonce).toBe("n-1");
  });

  it("a nonce a server gave is kept per origin and used in the next proofs to that server only", async () => {
    const key = await DpopKey.generate();
    key.rememberNonce("https://as.example/token", { status: 400, statusText: "", headers: { "dpop-nonce": "abc" }, body: "", truncated: false });
    expect(decodeProof(await key.proof({ htm: "POST", htu: "https://as.example/par" }))!.claims.nonce).toBe("abc");
    expect(decodeProof(await key.proof({ htm: "POST", htu: "https://other.example/token" }))!.claims.nonce).toBeUndefined();
  });

  it("keys: the algorithm follows the JWK; a public JWK is refused", () => {
    expect(algOfJwk({ kty: "EC", crv: "P-384" })).toBe("ES384");
    expect(algOfJwk({ kty: "OKP", crv: "Ed25519" })).toBe("EdDSA");
    expect(() => algOfJwk({ kty: "EC", crv: "secp256k1" })).toThrow(/secp256k1/);
    expect(() => DpopKey.fromJwk({ kty: "EC", crv: "P-256", x: "a", y: "b" })).toThrow(/public key/);
    expect(proofTarget("https://as.example/a/b?c=d")).toBe("https://as.example/a/b");
  });

  it("in a -v trace, the signature is redacted and the header and claims shown", async () => {
    const key = await DpopKey.generate();
    const proof = await key.proof({ htm: "POST", htu: "https://as.example/token" });
    const shown = redactHeader("DPoP", proof);
    expect(shown).toMatch(/^\[signed JWT, signature redacted\] header=\{"typ":"dpop\+jwt".*claims=\{.*"htu":"https:\/\/as\.example\/token"/);
    expect(shown).not.toContain(proof.split(".")[2]);
  });
});

function exchange(proof: string | undefined, status: number, body: object, headers: Record<string, string> = {}): HttpExchange {
  return recordedExchange("https://as.example/token", status, body, { headers: { "content-type": "application/json", ...headers }, requestHeaders: proof ? { DPoP: proof } : {} });
}

describe("DPoP refusals explained with what this run sent", () => {
  it("use_dpop_nonce again after the retry with a nonce names both nonces", async () => {
    const key = await DpopKey.generate();
    const proof = await key.proof({ htm: "POST", htu: "https://as.example/token", nonce: "first" });
    const answer = exchange(proof, 400, { error: "use_dpop_nonce" }, { "dpop-nonce": "second" });
    expect(asksForNonce(answer)).toBe(true);
    const error = new OAuthServerError({ format: "rfc6749", error: "use_dpop_nonce", extra: {} }, { exchange: answer });
    const explained = explainDpopRefusal(error, answer, [answer], undefined);
    expect(explained.details.join("\n")).toMatch(/this run sent a DPoP proof: alg ES256, htm POST, htu https:\/\/as\.example\/token, iat \S+, nonce "first"/);
    expect(explained.details.join("\n")).toMatch(/the retry already carried the server's nonce "first", and the server asked again \(now "second"\)/);
  });

  it("use_dpop_nonce without a DPoP-Nonce header: no retry, and the explanation says the header was missing", async () => {
    const key = await DpopKey.generate();
    const answer = exchange(await key.proof({ htm: "POST", htu: "https://as.example/token" }), 400, { error: "use_dpop_nonce" });
    expect(asksForNonce(answer)).toBe(false);
    const explained = explainDpopRefusal(new OAuthServerError({ format: "rfc6749", error: "use_dpop_nonce", extra: {} }), answer, [], undefined);
    expect(explained.details.join("\n")).toMatch(/sent no DPoP-Nonce header/);
  });

  it("invalid_dpop_proof with the server's clock far off names the skew", async () => {
    const key = await DpopKey.generate();
    const proof = await key.proof({ htm: "POST", htu: "https://as.example/token" }, Date.parse("2026-01-01T00:00:00Z"));
    const answer = exchange(proof, 400, { error: "invalid_dpop_proof" }, { date: "Thu, 01 Jan 2026 00:10:00 GMT" });
    const explained = explainDpopRefusal(new OAuthServerError({ format: "rfc6749", error: "invalid_dpop_proof", extra: {} }), answer, [], undefined);
    expect(explained.details.join("\n")).toMatch(/the server's clock \(Date: .*\) is 600 s ahead of the proof's iat/);
  });

  it("invalid_grant naming the jkt (a grant bound to another key): explained as a key mismatch, with or without a proof", async () => {
    const report = { format: "rfc6749", error: "invalid_grant", error_description: "grant request is invalid (failed jkt verification)", extra: {} } as const;
    const key = await DpopKey.generate();
    const withProof = exchange(await key.proof({ htm: "POST", htu: "https://as.example/token" }), 400, { error: "invalid_grant" });
    const wrongKey = explainDpopRefusal(new OAuthServerError(report), withProof, [], undefined);
    expect(wrongKey.details.join("\n")).toMatch(/the proof's key is not the one the code or refresh token is bound to/);
    expect(wrongKey.hint).toMatch(/only with proofs of its own key/);
    const noProof = explainDpopRefusal(new OAuthServerError(report), exchange(undefined, 400, { error: "invalid_grant" }), [], undefined);
    expect(noProof.details.join("\n")).toMatch(/this run sent no DPoP proof/);
    expect(noProof.hint).toMatch(/bound to a DPoP key: send proofs of that key .*a new key is refused too/);
  });

  it("an unrelated error passes through untouched", () => {
    const error = new OAuthServerError({ format: "rfc6749", error: "invalid_scope", extra: {} });
    expect(explainDpopRefusal(error, exchange(undefined, 400, { error: "invalid_scope" }), [], undefined)).toBe(error);
  });
});
