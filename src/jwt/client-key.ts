import { createPrivateKey, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { PassphraseNeededError, UnusableKeyError } from "../oauth/key-errors.js";
import { loadJose } from "./jose.js";

/** A private key the client signs with, and what it is. */
export interface ClientKey {
  readonly key: KeyObject;
  /** "RSA", "EC P-256", "Ed25519", … for messages. */
  readonly type: string;
  /** The algorithms this key can sign with, preferred first. */
  readonly algorithms: readonly string[];
  /** From the JWK, when the file was one. */
  readonly kid?: string;
  readonly alg?: string;
}


const EC_ALGS: Readonly<Record<string, string>> = { "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" };

/** The JWS algorithms a key can sign with, preferred first (RFC 7518 §3.1, RFC 8037 §3.1). */
export function algorithmsFor(jwk: Pick<JWK, "kty" | "crv">): string[] {
  if (jwk.kty === "RSA") return ["RS256", "PS256", "RS384", "PS384", "RS512", "PS512"];
  if (jwk.kty === "EC" && jwk.crv && EC_ALGS[jwk.crv]) return [EC_ALGS[jwk.crv] as string];
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return ["EdDSA", "Ed25519"];
  return [];
}

function describe(jwk: Pick<JWK, "kty" | "crv">): string {
  return jwk.kty === "RSA" ? "RSA" : jwk.kty === "EC" ? `EC ${jwk.crv}` : `${jwk.crv ?? jwk.kty}`;
}

/**
 * Reads a private key from PEM (PKCS#8, PKCS#1, SEC1; encrypted ones with the passphrase) or a
 * JWK (one key, or a set holding exactly one private key). Node parses the key; jose exports
 * and signs with it.
 */
export async function readClientKey(text: string, passphrase?: string): Promise<ClientKey> {
  const jose = await loadJose();
  let key: KeyObject;
  let fromJwk: JWK | undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let parsed: JWK & { keys?: JWK[] };
    try {
      parsed = JSON.parse(trimmed) as JWK & { keys?: JWK[] };
    } catch {
      throw new UnusableKeyError("is neither PEM nor valid JSON (a JWK)");
    }
    const candidates = Array.isArray(parsed.keys) ? parsed.keys.filter((k) => k.d !== undefined) : [parsed];
    if (candidates.length !== 1) throw new UnusableKeyError(`holds ${candidates.length} private keys; give a file with exactly one`);
    fromJwk = candidates[0] as JWK;
    if (fromJwk.d === undefined) throw new UnusableKeyError("is a public JWK (no \"d\"): the private key is needed to sign");
    try {
      // A KeyObject, not a WebCrypto key: that one would be bound to a single algorithm.
      key = createPrivateKey({ key: fromJwk as never, format: "jwk" });
    } catch (error) {
      throw new UnusableKeyError(`is not a usable JWK (${(error as Error).message})`);
    }
  } else if (trimmed.includes("-----BEGIN")) {
    if (/ENCRYPTED/.test(trimmed) && passphrase === undefined) throw new PassphraseNeededError("is encrypted");
    try {
      key = createPrivateKey({ key: trimmed, format: "pem", ...(passphrase !== undefined && { passphrase }) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      if (/BAD_DECRYPT|bad decrypt/i.test(`${code} ${(error as Error).message}`)) throw new UnusableKeyError("could not be decrypted: wrong passphrase");
      if (/PUBLIC KEY|CERTIFICATE/.test(trimmed) && !/PRIVATE KEY/.test(trimmed)) throw new UnusableKeyError("holds a public key or certificate, not a private key");
      throw new UnusableKeyError(`is not a private key Node can read (${code || (error as Error).message})`);
    }
  } else {
    throw new UnusableKeyError("is neither PEM (-----BEGIN …) nor a JWK (JSON)");
  }
  const jwk = await jose.exportJWK(key);
  const algorithms = algorithmsFor(jwk);
  if (algorithms.length === 0) throw new UnusableKeyError(`is a ${describe(jwk)} key, which has no JWS algorithm we sign with (RSA, EC P-256/384/521, Ed25519)`);
  return { key, type: describe(jwk), algorithms, kid: fromJwk?.kid, alg: fromJwk?.alg };
}

/** The public half as a JWK, with kid and alg, as a provider registers it (RFC 7517 §4). */
export async function publicJwk(key: KeyObject, extra: { kid?: string; alg?: string } = {}): Promise<JWK> {
  const jose = await loadJose();
  const { createPublicKey } = await import("node:crypto");
  const jwk = await jose.exportJWK(createPublicKey(key));
  return { ...jwk, ...(extra.kid && { kid: extra.kid }), use: "sig", ...(extra.alg && { alg: extra.alg }) };
}
