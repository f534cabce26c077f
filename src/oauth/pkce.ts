import { createHash } from "node:crypto";

/** `none` sends no challenge at all; it is only ever used when asked for (RFC 7636 §7.2: no silent fallback). */
export type PkceMethod = "S256" | "plain" | "none";
export const PKCE_METHODS: readonly PkceMethod[] = ["S256", "plain", "none"];

export interface Pkce {
  readonly method: PkceMethod;
  /** Absent with `none`. */
  readonly verifier?: string;
  readonly challenge?: string;
}

/** The characters RFC 7636 allows in a verifier, 43 to 128 of them. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * A fresh verifier: 32 random bytes, base64url without padding → 43 characters, 256 bits of entropy.
 * Fresh for every transaction (RFC 9700 §2.1.1).
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-7.1
 */
export function generateVerifier(randomBytes: (size: number) => Uint8Array): string {
  return Buffer.from(randomBytes(32)).toString("base64url");
}

export function isValidVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

/**
 * The challenge for a verifier: BASE64URL(SHA256(ASCII(verifier))) for S256, the verifier itself for plain.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export function computeChallenge(verifier: string, method: "S256" | "plain"): string {
  return method === "plain" ? verifier : createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/**
 * A verifier and its challenge for one authorization request.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function createPkce(method: PkceMethod, randomBytes: (size: number) => Uint8Array): Pkce {
  if (method === "none") return { method };
  const verifier = generateVerifier(randomBytes);
  return { method, verifier, challenge: computeChallenge(verifier, method) };
}

/**
 * What the server will check at the token endpoint: does this verifier produce that challenge?
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */
export function verifierMatchesChallenge(verifier: string | undefined, challenge: string | undefined, method: PkceMethod): boolean {
  if (method === "none") return verifier === undefined && challenge === undefined;
  if (verifier === undefined || challenge === undefined) return false;
  return computeChallenge(verifier, method) === challenge;
}
