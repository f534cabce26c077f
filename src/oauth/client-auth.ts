export type AuthMethod =
  | "client_secret_basic"
  | "client_secret_post"
  | "client_secret_jwt"
  | "private_key_jwt"
  | "tls_client_auth"
  | "self_signed_tls_client_auth"
  | "none";
export const AUTH_METHODS: readonly AuthMethod[] = [
  "client_secret_basic",
  "client_secret_post",
  "client_secret_jwt",
  "private_key_jwt",
  "tls_client_auth",
  "self_signed_tls_client_auth",
  "none",
];

/** The methods that prove the client with a signed JWT (RFC 7523 §2.2). */
export const JWT_AUTH_METHODS: readonly AuthMethod[] = ["client_secret_jwt", "private_key_jwt"];
/** The methods that prove the client with its TLS certificate (RFC 8705 §2). */
export const TLS_AUTH_METHODS: readonly AuthMethod[] = ["tls_client_auth", "self_signed_tls_client_auth"];

/** @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2 */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/**
 * application/x-www-form-urlencoded encoding of one value, as RFC 6749 Appendix B asks
 * (space as "+"; everything but unreserved characters percent-encoded).
 */
export function formEncode(value: string): string {
  // A lone surrogate (a JSON "\ud800" in a config file) becomes U+FFFD, as the URL Standard's
  // urlencoded serializer does, instead of encodeURIComponent's URIError.
  return encodeURIComponent(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"))
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/**
 * The HTTP Basic credentials for a client. Id and secret are form-urlencoded before base64.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString("base64")}`;
}

/** What the client has to authenticate with. */
export interface ClientCredentials {
  readonly secret: boolean;
  readonly privateKey: boolean;
  readonly certificate: boolean;
}

/** The methods these credentials allow, strongest first (so "our" order when the server says nothing). */
export function usableAuthMethods(credentials: ClientCredentials): AuthMethod[] {
  const methods: AuthMethod[] = [];
  if (credentials.privateKey) methods.push("private_key_jwt");
  if (credentials.certificate) methods.push("tls_client_auth", "self_signed_tls_client_auth");
  if (credentials.secret) methods.push("client_secret_basic", "client_secret_post", "client_secret_jwt");
  return methods;
}

/**
 * The default method: with discovery metadata, the first method the server lists that the given
 * credentials allow; else the strongest the credentials allow (a key, then a certificate, then
 * basic with a secret), and none without any.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2 (token_endpoint_auth_methods_supported)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication
 */
export function chooseAuthMethod(credentials: ClientCredentials | boolean, supported?: readonly string[]): AuthMethod {
  const given: ClientCredentials = typeof credentials === "boolean" ? { secret: credentials, privateKey: false, certificate: false } : credentials;
  const usable = usableAuthMethods(given);
  if (usable.length === 0) return "none";
  const listed = (supported ?? []).filter((m): m is AuthMethod => usable.includes(m as AuthMethod));
  // A certificate alone cannot tell the PKI method from the self-signed one: without the server's list, the PKI one.
  return listed[0] ?? usable[0] ?? "none";
}
