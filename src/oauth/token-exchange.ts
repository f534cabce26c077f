/**
 * RFC 8693 token exchange: the grant type and the token type identifiers (§3), with the short
 * names oauth-cli accepts for them.
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-3
 */
export const TOKEN_EXCHANGE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";

export const TOKEN_TYPES: Readonly<Record<string, string>> = {
  access_token: "urn:ietf:params:oauth:token-type:access_token",
  refresh_token: "urn:ietf:params:oauth:token-type:refresh_token",
  id_token: "urn:ietf:params:oauth:token-type:id_token",
  jwt: "urn:ietf:params:oauth:token-type:jwt",
  saml1: "urn:ietf:params:oauth:token-type:saml1",
  saml2: "urn:ietf:params:oauth:token-type:saml2",
};

/** The parameters a token exchange request carries besides grant_type, scope and client auth (RFC 8693 §2.1). */
export const TOKEN_EXCHANGE_PARAMETERS: readonly string[] = [
  "subject_token",
  "subject_token_type",
  "actor_token",
  "actor_token_type",
  "requested_token_type",
  "audience",
  "resource",
];

/**
 * A short name expands to its URN; any other absolute URI (a vendor's token type) passes as given.
 * Undefined when the value is neither.
 */
export function expandTokenType(value: string): string | undefined {
  const known = TOKEN_TYPES[value.toLowerCase()];
  if (known !== undefined) return known;
  return /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value) ? value : undefined;
}

/** Grant type short names for `grant --grant-type` (RFC 7523 §2.1, RFC 7522 §2.1, RFC 8693 §2.1, RFC 8628 §3.4). */
export const GRANT_TYPE_NAMES: Readonly<Record<string, string>> = {
  "jwt-bearer": "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "saml2-bearer": "urn:ietf:params:oauth:grant-type:saml2-bearer",
  "token-exchange": TOKEN_EXCHANGE_GRANT_TYPE,
  "device-code": "urn:ietf:params:oauth:grant-type:device_code",
};

export const JWT_BEARER_GRANT_TYPE = GRANT_TYPE_NAMES["jwt-bearer"]!;

/** A short name expands; the RFC 6749 names and any URI or vendor name pass as given (RFC 6749 §4.5). */
export function expandGrantType(value: string): string {
  return GRANT_TYPE_NAMES[value.toLowerCase()] ?? value;
}
