import type { JWTPayload, ProtectedHeaderParameters } from "jose";
import { type Check, checkClaims, type Expectations } from "./checks.js";
import type { Jose } from "./jose.js";
import type { KeySource } from "./keys.js";
import { checkSignature } from "./signature.js";

/** A token looked at: a signed JWT with its checks, or an encrypted one (only the header can be read). */
export type Inspection =
  | { readonly kind: "jws"; readonly header: ProtectedHeaderParameters; readonly claims: JWTPayload; readonly checks: readonly Check[]; readonly valid: boolean }
  | { readonly kind: "jwe"; readonly header: ProtectedHeaderParameters };

/** How the signature is to be checked: with these keys, not at all (--no-verify), or there are none (a failed check saying so). */
export type SignatureKeys = KeySource | { readonly kind: "skip" } | { readonly kind: "none"; readonly why: string };

/**
 * The signature (by jose), then every claim check; valid when none failed.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export async function inspectSigned(
  jose: Jose,
  token: string,
  read: { header: ProtectedHeaderParameters; claims: JWTPayload },
  keys: SignatureKeys,
  expect: Expectations,
): Promise<Inspection> {
  const checks: Check[] = [];
  if (keys.kind === "none") checks.push({ claim: "signature", ok: false, expected: "a key to verify it with", actual: keys.why });
  else if (keys.kind !== "skip") checks.push(await checkSignature(jose, token, read.header, keys));
  else if (read.header.alg?.toLowerCase() === "none") checks.push({ claim: "signature", ok: false, expected: "a signed token", actual: 'alg "none": an unsigned token, which anyone can write (RFC 8725 §3.1)' });
  checks.push(...checkClaims(read.header, read.claims, expect));
  return { kind: "jws", header: read.header, claims: read.claims, checks, valid: checks.every((c) => c.ok) };
}
