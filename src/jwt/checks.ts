import { createHash } from "node:crypto";
import type { JWTPayload, ProtectedHeaderParameters } from "jose";
import { isoDate, relativeTime } from "./times.js";

/** One check on a token: the claim (or "signature", "alg"), what was expected and what the token has. */
export interface Check {
  readonly claim: string;
  readonly ok: boolean;
  readonly expected: string;
  readonly actual: string;
}

/** What the token is checked against; a check with nothing to compare to is not made. */
export interface Expectations {
  /** The issuer the token must come from (exact string match). */
  readonly issuer?: string;
  /** This client must be in aud (and be azp when there is one): the token is checked as an ID token. */
  readonly clientId?: string;
  readonly nonce?: string;
  /** The access token issued with it: at_hash is checked when the token has one. */
  readonly accessToken?: string;
  /** The authorization code issued with it: c_hash is checked when the token has one. */
  readonly code?: string;
  /** Allowed clock difference, in seconds, for exp, nbf and iat. */
  readonly toleranceSeconds: number;
  readonly nowSeconds: number;
}

/** One line: `aud: expected to contain "app", got ["other"]`. */
export function failureLine(check: Check): string {
  return `${check.claim}: expected ${check.expected}, got ${check.actual}`;
}

const shown = (value: unknown): string => (value === undefined ? "none (the claim is missing)" : JSON.stringify(value));

function hashNameOf(alg: string | undefined): string | undefined {
  if (alg === undefined) return undefined;
  if (alg === "EdDSA" || alg === "Ed25519") return "sha512"; // OIDC: Ed25519 tokens hash with SHA-512
  const bits = /^(?:HS|RS|PS|ES)(256|384|512)K?$/.exec(alg)?.[1];
  return bits ? `sha${bits}` : undefined;
}

/**
 * at_hash / c_hash: the left half of the hash of the ASCII value, with the hash of the token's own
 * alg, base64url. Undefined for an alg with no defined hash.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken (at_hash, §3.1.3.6)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#HybridIDToken (c_hash, §3.3.2.11)
 */
export function leftHalfHash(alg: string | undefined, value: string): string | undefined {
  const name = hashNameOf(alg);
  if (name === undefined) return undefined;
  const digest = createHash(name).update(value, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

function timeText(seconds: number, now: number, claim: string): string {
  return `${seconds} (${isoDate(seconds)}, ${relativeTime(claim, seconds, now)})`;
}

function hashCheck(claim: "at_hash" | "c_hash", header: ProtectedHeaderParameters, claims: JWTPayload, value: string | undefined): Check | undefined {
  if (value === undefined) return undefined;
  const present = claims[claim];
  const what = claim === "at_hash" ? "the access token" : "the code";
  // Optional in an ID token from the token endpoint (OIDC Core §3.1.3.6): said, not failed.
  if (present === undefined) return { claim, ok: true, expected: `a hash of ${what}`, actual: "none: the token has no such claim (optional from the token endpoint), nothing to compare" };
  const computed = leftHalfHash(header.alg, value);
  if (computed === undefined) return { claim, ok: false, expected: `a hash of ${what} (no hash is defined for alg ${JSON.stringify(header.alg)})`, actual: shown(present) };
  return { claim, ok: present === computed, expected: `${JSON.stringify(computed)} (the hash of ${what} given)`, actual: shown(present) };
}

/**
 * The claim checks, in OpenID Connect Core §3.1.3.7's order (the signature is checked apart, by
 * jose): iss, aud, azp, exp, iat, nonce, then nbf and the token hashes. With a client id the token
 * is taken as an ID token: sub and iat must be there too.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1 (exp, nbf, iat)
 */
export function checkClaims(header: ProtectedHeaderParameters, claims: JWTPayload, expect: Expectations): Check[] {
  const checks: Check[] = [];
  const now = expect.nowSeconds;
  const tolerance = expect.toleranceSeconds;
  const idToken = expect.clientId !== undefined;
  const nowText = `${isoDate(now)}, with ${tolerance} s clock tolerance`;

  if (expect.issuer !== undefined) checks.push({ claim: "iss", ok: claims.iss === expect.issuer, expected: JSON.stringify(expect.issuer), actual: shown(claims.iss) });
  if (idToken) {
    const audiences = typeof claims.aud === "string" ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    checks.push({ claim: "aud", ok: audiences.includes(expect.clientId), expected: `to contain ${JSON.stringify(expect.clientId)}`, actual: shown(claims.aud) });
    // azp: when present, it names the party the token was issued to (OIDC Core §3.1.3.7 items 4–5).
    if (claims.azp !== undefined) checks.push({ claim: "azp", ok: claims.azp === expect.clientId, expected: JSON.stringify(expect.clientId), actual: shown(claims.azp) });
    checks.push({ claim: "sub", ok: typeof claims.sub === "string" && claims.sub !== "", expected: "a subject identifier", actual: shown(claims.sub) });
  }
  if (typeof claims.exp === "number") {
    checks.push({ claim: "exp", ok: now < claims.exp + tolerance, expected: `later than now (${nowText})`, actual: timeText(claims.exp, now, "exp") });
  } else {
    checks.push({ claim: "exp", ok: false, expected: "an expiry time (a number of seconds); without one the token never expires", actual: shown(claims.exp) });
  }
  if (typeof claims.iat === "number") {
    checks.push({ claim: "iat", ok: claims.iat <= now + tolerance, expected: `not after now (${nowText})`, actual: timeText(claims.iat, now, "iat") });
  } else if (idToken || claims.iat !== undefined) {
    checks.push({ claim: "iat", ok: false, expected: "the time it was issued (a number of seconds)", actual: shown(claims.iat) });
  }
  if (claims.nbf !== undefined) {
    const ok = typeof claims.nbf === "number" && claims.nbf <= now + tolerance;
    checks.push({ claim: "nbf", ok, expected: `not after now (${nowText})`, actual: typeof claims.nbf === "number" ? timeText(claims.nbf, now, "nbf") : shown(claims.nbf) });
  }
  if (expect.nonce !== undefined) checks.push({ claim: "nonce", ok: claims.nonce === expect.nonce, expected: `${JSON.stringify(expect.nonce)} (the nonce sent in the authorization request)`, actual: shown(claims.nonce) });
  const atHash = hashCheck("at_hash", header, claims, expect.accessToken);
  if (atHash) checks.push(atHash);
  const cHash = hashCheck("c_hash", header, claims, expect.code);
  if (cHash) checks.push(cHash);
  return checks;
}
