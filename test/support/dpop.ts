import { calculateJwkThumbprint, type JWK } from "jose";
import { expect } from "vitest";

export interface TracedProof {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
}

/** The DPoP header lines of a -v trace, decoded back from "header=… claims=…", in the order sent. */
export function tracedProofs(stderr: string): TracedProof[] {
  return [...stderr.matchAll(/^> DPoP: \[signed JWT, signature redacted\] header=(\{.*?\}) claims=(\{.*\})$/gm)].map((m) => ({ header: JSON.parse(m[1]!), claims: JSON.parse(m[2]!) }));
}

/**
 * The proofs of a run the server answered use_dpop_nonce once (RFC 9449 §8): the first without a
 * nonce, refused, then one retry carrying the server's nonce. Returns both, for further checks.
 */
export function expectOneNonceRetry(stderr: string): TracedProof[] {
  const proofs = tracedProofs(stderr);
  expect(proofs).toHaveLength(2);
  expect(stderr).toMatch(/use_dpop_nonce/);
  expect(proofs[0]!.claims.nonce).toBeUndefined();
  expect(typeof proofs[1]!.claims.nonce).toBe("string");
  return proofs;
}

/**
 * The RFC 7638 thumbprint of a key's public part: what a token bound to that key names as
 * `cnf.jkt` (RFC 9449 §6). Takes a proof's header jwk or a private JWK (its `d` is left out).
 */
export function thumbprintOf(jwk: Record<string, unknown>): Promise<string> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = jwk;
  return calculateJwkThumbprint(publicPart as JWK);
}
