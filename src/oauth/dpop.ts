import type { Jose } from "../jwt/jose.js";
import type { HttpResponse } from "../http/types.js";

/**
 * DPoP (RFC 9449): a key the client holds, and a fresh signed proof of it on every request, so a
 * stolen token is worthless without the key. jose does every key and signature operation.
 * @see https://www.rfc-editor.org/rfc/rfc9449
 */

/** jose, through the JWT layer, loaded only once a proof is made: no other run pays for it (startup-modules test). */
async function loadJose(): Promise<Jose> {
  return (await import("../jwt/jose.js")).loadJose();
}

/** The proof algorithms we can sign with; ES256 is the default (RFC 9449 §4.2: "ES256 … RECOMMENDED" by most servers). */
export const DPOP_ALGS = ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"] as const;
export type DpopAlg = (typeof DPOP_ALGS)[number];

/** A private JWK as stored on disk (the store and --dpop-key files). */
export type PrivateJwk = Readonly<Record<string, string>>;

export interface ProofInput {
  /** The HTTP method of the request the proof goes with. */
  readonly htm: string;
  /** Its URL; query and fragment are dropped (RFC 9449 §4.2). */
  readonly htu: string;
  /** With an access token (at a resource server): its hash goes in `ath` (RFC 9449 §4.2). */
  readonly accessToken?: string;
  /** A server-supplied nonce; without it, the last one this server gave is used. */
  readonly nonce?: string;
}

/** The decoded header and claims of a proof, for traces and explanations. */
export interface ProofParts {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
}

/** htu: the URL without query and fragment. @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2 */
export function proofTarget(url: string): string {
  const parsed = new URL(url);
  parsed.search = "";
  parsed.hash = "";
  return parsed.href;
}

/** The algorithm a private JWK signs with. */
export function algOfJwk(jwk: PrivateJwk): DpopAlg {
  if (jwk.alg && (DPOP_ALGS as readonly string[]).includes(jwk.alg)) return jwk.alg as DpopAlg;
  if (jwk.kty === "EC") {
    const byCurve: Record<string, DpopAlg> = { "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" };
    const alg = byCurve[jwk.crv ?? ""];
    if (alg) return alg;
    throw new Error(`the EC curve "${jwk.crv}" is not one DPoP proofs can use (P-256, P-384, P-521)`);
  }
  if (jwk.kty === "RSA") return "PS256";
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "EdDSA";
  throw new Error(`a ${jwk.kty ?? "key"}${jwk.crv ? ` ${jwk.crv}` : ""} key cannot sign DPoP proofs (use EC P-256, RSA or Ed25519)`);
}

/**
 * One DPoP key for a run, with the nonces servers have handed out (kept per origin, RFC 9449 §8).
 * `proof()` is what any request (token endpoint, PAR, a resource) calls for its DPoP header.
 */
export class DpopKey {
  readonly alg: DpopAlg;
  /** The private JWK, for the store (0600). */
  readonly privateJwk: PrivateJwk;
  readonly #nonces = new Map<string, string>();
  #signingKey: Awaited<ReturnType<Jose["importJWK"]>> | undefined;
  #publicJwk: Record<string, unknown> | undefined;

  private constructor(privateJwk: PrivateJwk) {
    this.alg = algOfJwk(privateJwk);
    this.privateJwk = privateJwk;
  }

  /** A fresh key pair (ES256 unless asked otherwise). */
  static async generate(alg: DpopAlg = "ES256"): Promise<DpopKey> {
    const jose = await loadJose();
    const { privateKey } = await jose.generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
    const jwk = await jose.exportJWK(privateKey);
    return new DpopKey({ ...(jwk as Record<string, string>), alg });
  }

  /** A key from a private JWK (a --dpop-key file or a store). Throws a plain Error naming what is wrong. */
  static fromJwk(jwk: unknown): DpopKey {
    if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk)) throw new Error("it is not a JWK object");
    const record = jwk as Record<string, unknown>;
    if (typeof record.kty !== "string") throw new Error('the JWK has no "kty"');
    if (typeof record.d !== "string") throw new Error('the JWK is a public key (no "d"): DPoP needs the private key');
    const strings = Object.fromEntries(Object.entries(record).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    return new DpopKey(strings);
  }

  /** The public JWK that goes in every proof's header (no private member, RFC 9449 §4.2). */
  async publicJwk(): Promise<Record<string, unknown>> {
    if (!this.#publicJwk) {
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, alg: _alg, key_ops: _ops, ext: _ext, use: _use, kid: _kid, ...pub } = this.privateJwk;
      this.#publicJwk = pub;
    }
    return this.#publicJwk;
  }

  /** The JWK SHA-256 thumbprint (RFC 7638): what a DPoP-bound token's cnf.jkt names. */
  async thumbprint(): Promise<string> {
    const jose = await loadJose();
    return jose.calculateJwkThumbprint(await this.publicJwk(), "sha256");
  }

  /** The nonce this server (by origin) last gave, if any. */
  nonceFor(url: string): string | undefined {
    return this.#nonces.get(new URL(url).origin);
  }

  /** Keeps a `DPoP-Nonce` from a response for the next proofs to that server. */
  rememberNonce(url: string, response: HttpResponse | undefined): string | undefined {
    const nonce = response?.headers["dpop-nonce"];
    if (nonce) this.#nonces.set(new URL(url).origin, nonce);
    return nonce || undefined;
  }

  /**
   * A fresh proof JWT: typ dpop+jwt, the public key in the header, a unique jti, iat now.
   * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
   */
  async proof(input: ProofInput, now: number = Date.now()): Promise<string> {
    const jose = await loadJose();
    this.#signingKey ??= await jose.importJWK({ ...this.privateJwk, alg: this.alg }, this.alg);
    const nonce = input.nonce ?? this.nonceFor(input.htu);
    const claims: Record<string, unknown> = { jti: crypto.randomUUID(), htm: input.htm, htu: proofTarget(input.htu), iat: Math.floor(now / 1000) };
    if (nonce) claims.nonce = nonce;
    if (input.accessToken !== undefined) {
      claims.ath = Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(input.accessToken))).toString("base64url");
    }
    return new jose.SignJWT(claims)
      .setProtectedHeader({ typ: "dpop+jwt", alg: this.alg, jwk: await this.publicJwk() })
      .sign(this.#signingKey);
  }
}

/** A proof's header and claims, decoded without verification (it is our own, or we only show it). */
export function decodeProof(proof: string): ProofParts | undefined {
  const [header, claims] = proof.split(".");
  try {
    return {
      header: JSON.parse(Buffer.from(header ?? "", "base64url").toString("utf8")) as Record<string, unknown>,
      claims: JSON.parse(Buffer.from(claims ?? "", "base64url").toString("utf8")) as Record<string, unknown>,
    };
  } catch {
    return undefined;
  }
}
