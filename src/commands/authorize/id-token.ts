import { ProtocolError } from "../../errors/cli-error.js";
import { failureLine } from "../../jwt/checks.js";
import { type Inspection, inspectSigned, type SignatureKeys } from "../../jwt/inspect.js";
import { loadJose } from "../../jwt/jose.js";
import { fetchJwks } from "../../jwt/keys.js";
import { readToken } from "../../jwt/read-token.js";
import type { TokenResult } from "../../oauth/token-response.js";
import type { Endpoints } from "../shared/resolve.js";
import type { Session } from "../shared/session.js";

/** Clock difference allowed for exp and iat of the ID token authorize receives (said in its output). */
export const ID_TOKEN_TOLERANCE_SECONDS = 30;
const TIME_CLAIMS = ["exp", "iat", "nbf"];

/** What the ID token of this transaction must match: its nonce, the issuer, the client, the issuer's keys. */
export interface IdTokenExpectation {
  readonly nonce?: string;
  readonly issuer?: string;
  readonly clientId: string;
  /** Undefined: no jwks_uri known (no discovery); the claims are still checked, the signature cannot be. */
  readonly keys?: SignatureKeys;
}

/** A nonce is for OpenID Connect requests only: those with the openid scope (OIDC Core §3.1.2.1). */
export function wantsIdToken(scope: string | undefined): boolean {
  return scope !== undefined && scope.split(" ").includes("openid");
}

/**
 * The issuer's keys, fetched before the browser opens: an unreachable jwks_uri stops the run before
 * the user signs in for nothing, and the check after the token response needs no request.
 */
export async function prefetchKeys(session: Session, endpoints: Endpoints): Promise<SignatureKeys | undefined> {
  const jwksUri = endpoints.metadata?.jwks_uri;
  if (typeof jwksUri !== "string") return undefined;
  return fetchJwks((url) => session.get(url), jwksUri);
}

export type IdTokenVerdict = { readonly ok: true; readonly inspection?: Inspection } | { readonly ok: false; readonly error: ProtocolError };

function claimsLine(inspection: Inspection): string[] {
  return inspection.kind === "jws" ? [`  the token's claims: ${JSON.stringify(inspection.claims)}`] : [];
}

/**
 * The ID token of a code flow, checked as OpenID Connect Core §3.1.3.7 asks: signature (jose,
 * against the issuer's JWKS), iss, aud, azp, exp, iat, nonce, at_hash. Any failure is a protocol
 * violation (exit 4): a forged ID token, or one from another sign-in (replay, mix-up).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @see https://openid.net/specs/openid-connect-core-1_0.html#NonceNotes
 */
export async function verifyIdToken(session: Session, expect: IdTokenExpectation, tokens: TokenResult): Promise<IdTokenVerdict> {
  if (tokens.id_token === undefined) {
    if (expect.nonce !== undefined) session.warn("the openid scope was asked for, but no id_token came back: this is not an OpenID Connect sign-in");
    return { ok: true };
  }
  const jose = await loadJose();
  const read = readToken(jose, tokens.id_token);
  if (read.kind === "jwe") {
    session.warn("the id_token is encrypted (JWE): oauth-cli cannot decrypt it, so it was not checked");
    return { ok: true, inspection: { kind: "jwe", header: read.header } };
  }
  if (read.kind !== "jws") return { ok: false, error: new ProtocolError(`the id_token is not a JWT: ${read.reason}`, { hint: "OpenID Connect Core §2: the ID token is a JWT. The token endpoint sent something else." }) };
  let keys = expect.keys;
  if (keys === undefined) {
    session.warn("the id_token's signature was not checked: no jwks_uri is known without discovery (give --issuer); its claims were checked");
    keys = { kind: "skip" };
  }
  const inspection = await inspectSigned(jose, tokens.id_token, read, keys, {
    issuer: expect.issuer,
    clientId: expect.clientId,
    nonce: expect.nonce,
    accessToken: tokens.access_token,
    toleranceSeconds: ID_TOKEN_TOLERANCE_SECONDS,
    nowSeconds: Math.floor(session.ctx.now() / 1000),
  });
  if (inspection.kind === "jws" && !inspection.valid) {
    const failed = inspection.checks.filter((c) => !c.ok);
    return {
      ok: false,
      error: new ProtocolError(`the id_token failed verification: ${failed.length} check${failed.length > 1 ? "s" : ""} failed (OpenID Connect Core §3.1.3.7)`, {
        details: [...failed.map((c) => `  ${failureLine(c)}`), ...claimsLine(inspection)],
        hint: failed.every((c) => TIME_CLAIMS.includes(c.claim))
          ? `Nothing was saved or printed. Only its times failed: the server's clock and this machine's disagree by more than ${ID_TOKEN_TOLERANCE_SECONDS} s (compare \`date -u\` here with the Date header of the server's answers, shown with -v).`
          : "Nothing was saved or printed: an ID token that fails these checks is forged, or belongs to another sign-in or client (a replay or mix-up). Check --issuer and --client-id, then sign in again.",
      }),
    };
  }
  return { ok: true, inspection };
}
