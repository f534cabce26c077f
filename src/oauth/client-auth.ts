export type AuthMethod = "client_secret_basic" | "client_secret_post" | "none";
export const AUTH_METHODS: readonly AuthMethod[] = ["client_secret_basic", "client_secret_post", "none"];

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

/**
 * The default method: basic when a secret is known, else none; with discovery metadata,
 * the first method the server lists that we can use.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2 (token_endpoint_auth_methods_supported)
 */
export function chooseAuthMethod(hasSecret: boolean, supported?: readonly string[]): AuthMethod {
  if (!hasSecret) return "none";
  const usable = (supported ?? []).filter((m): m is AuthMethod => m === "client_secret_basic" || m === "client_secret_post");
  return usable[0] ?? "client_secret_basic";
}
