import type { JWTPayload, ProtectedHeaderParameters } from "jose";
import type { Jose } from "./jose.js";

/** What a pasted string turned out to be. */
export type ReadToken =
  | { readonly kind: "jws"; readonly header: ProtectedHeaderParameters; readonly claims: JWTPayload }
  | { readonly kind: "jwe"; readonly header: ProtectedHeaderParameters }
  | { readonly kind: "opaque"; readonly reason: string }
  | { readonly kind: "not-a-token"; readonly reason: string };

/** The characters of an RFC 6750 §2.1 bearer token (b64token): what an opaque token looks like. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sorts a string into a signed JWT (header and claims decoded, nothing verified), an encrypted JWT
 * (only its header is readable), an opaque token, or not a token at all. A leading "Bearer " is
 * dropped: people paste Authorization header values.
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.2 (validating a JWT: JWS or JWE by the number of parts)
 * @see https://www.rfc-editor.org/rfc/rfc7516#section-9 (telling a JWS from a JWE)
 */
export function readToken(jose: Jose, text: string): ReadToken {
  const token = text.trim().replace(/^Bearer\s+/i, "");
  if (token === "") return { kind: "not-a-token", reason: "the input is empty" };
  if (/\s/.test(token)) return { kind: "not-a-token", reason: "it has spaces or line breaks inside, which no token has" };
  const parts = token.split(".");
  const opaque = (why: string): ReadToken => {
    if (!TOKEN68.test(token)) return { kind: "not-a-token", reason: `${why}, and it has characters no token uses` };
    if (token.length < 16) return { kind: "not-a-token", reason: `${why}, and at ${token.length} characters it is too short to be a token` };
    return { kind: "opaque", reason: why };
  };
  if (parts.length !== 3 && parts.length !== 5) return opaque(`a JWT has 3 dot-separated parts (5 when encrypted); this has ${parts.length}`);
  let header: ProtectedHeaderParameters;
  try {
    header = jose.decodeProtectedHeader(token);
  } catch (error) {
    return opaque(`its first part is not a JOSE header (${describe(error)})`);
  }
  if (parts.length === 5 || header.enc !== undefined) {
    if (parts.length !== 5) return { kind: "not-a-token", reason: `its header names an encryption ("enc": ${JSON.stringify(header.enc)}) but it has ${parts.length} parts, not 5` };
    return { kind: "jwe", header };
  }
  try {
    return { kind: "jws", header, claims: jose.decodeJwt(token) };
  } catch (error) {
    return { kind: "not-a-token", reason: `it has a JOSE header, but its payload is not a JSON object of claims (${describe(error)})` };
  }
}

/** The token as {@link readToken} saw it: trimmed, without "Bearer ". */
export function tokenText(text: string): string {
  return text.trim().replace(/^Bearer\s+/i, "");
}
