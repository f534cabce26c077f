import type { JWTVerifyGetKey, ProtectedHeaderParameters } from "jose";
import type { Check } from "./checks.js";
import type { Jose } from "./jose.js";
import { describeKeys, type KeySource } from "./keys.js";

const HMAC = ["HS256", "HS384", "HS512"];
/** What a public key from a JWK Set may verify: never an HMAC alg (an "alg confusion" would make the public key a secret). */
const ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

function codeOf(error: unknown): string | undefined {
  return (error as { code?: unknown } | null)?.code as string | undefined;
}

/**
 * The signature, verified by jose's jwtVerify against the key source. A failed claim check
 * (ERR_JWT_EXPIRED, ERR_JWT_CLAIM_VALIDATION_FAILED) still means the signature held: jose verifies
 * the signature before it looks at a claim. Claims are then checked one by one (checks.ts), so
 * every failure is reported, not only jose's first.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation (items 6–8)
 * @see https://www.rfc-editor.org/rfc/rfc8725#section-3.1 (perform algorithm verification)
 */
export async function checkSignature(jose: Jose, token: string, header: ProtectedHeaderParameters, source: KeySource): Promise<Check> {
  const alg = header.alg ?? "(none given)";
  const kid = header.kid !== undefined ? ` key kid ${JSON.stringify(header.kid)}` : "";
  const fail = (expected: string, actual: string): Check => ({ claim: "signature", ok: false, expected, actual });
  if (header.alg === undefined || header.alg.toLowerCase() === "none") {
    return fail("a signed token", `alg ${JSON.stringify(header.alg ?? null)}: an unsigned token, which anyone can write (RFC 8725 §3.1)`);
  }
  const secret = source.kind === "secret";
  const allowed = secret ? HMAC : ASYMMETRIC;
  if (!allowed.includes(header.alg)) {
    return fail(
      secret ? `an HMAC alg (${HMAC.join(", ")}) to check with ${source.from}` : `a public-key alg (RS256, ES256, …) to check with the keys from ${source.from}`,
      `alg ${JSON.stringify(header.alg)}${secret ? "" : header.alg.startsWith("HS") ? ": an HMAC token is checked with --secret, never with public keys" : ""}`,
    );
  }
  const key: Uint8Array | JWTVerifyGetKey = source.kind === "secret" ? source.secret : jose.createLocalJWKSet(source.jwks);
  const verified: Check = { claim: "signature", ok: true, expected: `a valid ${alg} signature`, actual: `verified with${kid || " the key"} from ${source.from}` };
  try {
    await jose.jwtVerify(token, key as JWTVerifyGetKey, { algorithms: allowed });
    return verified;
  } catch (error) {
    switch (codeOf(error)) {
      case "ERR_JWT_EXPIRED":
      case "ERR_JWT_CLAIM_VALIDATION_FAILED":
        return verified;
      case "ERR_JWKS_NO_MATCHING_KEY":
        return fail(`a key for ${alg}${kid} in ${source.from}`, `no such key there (${source.kind === "jwks" ? describeKeys(source.jwks) : "a secret"}); signed by another issuer, or the keys were rotated`);
      case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
        // Several keys fit (no kid, or a rotation): jose hands over each candidate to try in turn.
        for await (const candidate of error as AsyncIterable<Parameters<Jose["jwtVerify"]>[1]>) {
          try {
            await jose.jwtVerify(token, candidate, { algorithms: allowed });
            return verified;
          } catch (again) {
            if (codeOf(again) === "ERR_JWT_EXPIRED" || codeOf(again) === "ERR_JWT_CLAIM_VALIDATION_FAILED") return verified;
          }
        }
        return fail(`a valid ${alg} signature by one of the keys from ${source.from} that fit${kid}`, "a signature that none of them verifies: the token was altered, or signed with another key");
      case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
        return fail(`a valid ${alg} signature by${kid || " the key"} from ${source.from}`, "a signature that does not verify: the token was altered, or signed with another key");
      default:
        return fail(`a valid ${alg} signature`, `a token jose cannot verify: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
