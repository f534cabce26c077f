import type { KeyObject } from "node:crypto";

/** Lifetime of our assertions: short, since each is used once (RFC 7523 §3 asks for a limited window). */
export const ASSERTION_LIFETIME_S = 60;

/** The claims of a client authentication assertion. */
export interface AssertionClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
}

/**
 * The claims: iss = sub = client id, aud = the token endpoint (or the issuer when the server wants
 * that), a fresh jti, iat now and exp at most 60 s later.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication
 */
export function buildAssertionClaims(input: { clientId: string; audience: string; jti: string; nowMs: number }): AssertionClaims {
  const iat = Math.floor(input.nowMs / 1000);
  return { iss: input.clientId, sub: input.clientId, aud: input.audience, jti: input.jti, iat, exp: iat + ASSERTION_LIFETIME_S };
}

/** How the assertion is signed: a private key (private_key_jwt) or the client secret (client_secret_jwt, HS256). */
export type AssertionKey =
  | { readonly kind: "private"; readonly key: KeyObject; readonly alg: string; readonly kid?: string }
  | { readonly kind: "secret"; readonly secret: string; readonly alg: string };

/**
 * Signs the assertion with jose.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export async function signClientAssertion(claims: AssertionClaims, key: AssertionKey): Promise<string> {
  // Loaded here, not at the top: a run without an assertion loads no JWT module.
  const jose = await (await import("../jwt/jose.js")).loadJose();
  const header = { alg: key.alg, typ: "JWT", ...(key.kind === "private" && key.kid !== undefined && { kid: key.kid }) };
  const signingKey = key.kind === "private" ? key.key : new TextEncoder().encode(key.secret);
  return new jose.SignJWT({ ...claims }).setProtectedHeader(header).sign(signingKey);
}

/**
 * The signing algorithm: the one asked for, else the key's own (JWK alg), else the first the key
 * can sign with that the server lists in token_endpoint_auth_signing_alg_values_supported.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function chooseSigningAlg(key: { readonly alg?: string; readonly algorithms: readonly string[] }, asked: string | undefined, supported: readonly string[] | undefined): string {
  if (asked !== undefined) return asked;
  if (key.alg !== undefined) return key.alg;
  const listed = key.algorithms.find((alg) => supported?.includes(alg));
  return listed ?? (key.algorithms[0] as string);
}
