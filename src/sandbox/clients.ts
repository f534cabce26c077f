import type { SandboxClient, SandboxOptions } from "./types.js";

const LOOPBACK_REDIRECTS = ["http://127.0.0.1", "http://localhost", "http://[::1]"].flatMap((base) => [
  `${base}/callback`,
  `${base}/cb`,
]);

/**
 * Fixed, documented clients so README examples work against any sandbox.
 * Loopback redirect URIs accept any port (RFC 8252 §7.3; oidc-provider ignores the port for
 * native clients). The confidential clients are "web" clients, so their loopback redirect URIs
 * are registered with the common fixed ports and with no port.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export const SANDBOX_CLIENTS: readonly SandboxClient[] = [
  {
    client_id: "sandbox-public",
    token_endpoint_auth_method: "none",
    description: "public native app: PKCE (S256) required, loopback redirect on any port, /callback or /cb; may introspect and revoke its own tokens",
    grant_types: ["authorization_code", "refresh_token"],
    redirect_uris: LOOPBACK_REDIRECTS,
  },
  {
    client_id: "sandbox-basic",
    client_secret: "sandbox-basic-secret",
    token_endpoint_auth_method: "client_secret_basic",
    description: "confidential client authenticating with HTTP Basic; may introspect and revoke any token",
    grant_types: ["authorization_code", "refresh_token", "client_credentials"],
    redirect_uris: LOOPBACK_REDIRECTS,
  },
  {
    client_id: "sandbox-post",
    client_secret: "sandbox-post-secret",
    token_endpoint_auth_method: "client_secret_post",
    description: "confidential client sending its secret in the form body; may introspect and revoke any token",
    grant_types: ["authorization_code", "refresh_token", "client_credentials"],
    redirect_uris: LOOPBACK_REDIRECTS,
  },
  {
    client_id: "sandbox-jwt-secret",
    client_secret: "sandbox-jwt-secret-0123456789abcdef0123456789",
    token_endpoint_auth_method: "client_secret_jwt",
    description: "confidential client signing an HS256 assertion with its secret (RFC 7523, OpenID Connect Core §9)",
    // Token exchange too, so an RFC 8693 request can be authenticated with a JWT assertion (RFC 7523 §2.2).
    grant_types: ["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange"],
    redirect_uris: LOOPBACK_REDIRECTS,
  },
  {
    // A TV or CLI with no browser of its own signs in on another device: no redirect at all.
    client_id: "sandbox-device",
    token_endpoint_auth_method: "none",
    description: "public device client: device authorization grant (RFC 8628), no redirect URIs",
    grant_types: ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"],
    redirect_uris: [],
  },
  {
    // DPoP (RFC 9449) with server nonces: the first proof without a nonce is answered use_dpop_nonce.
    client_id: "sandbox-dpop",
    client_secret: "sandbox-dpop-secret",
    token_endpoint_auth_method: "client_secret_basic",
    description: "confidential client whose tokens must be DPoP-bound; proofs need the server's nonce (RFC 9449); token exchange too",
    // Token exchange too, so an RFC 8693 request shows the nonce retry and the binding like the built-in grants.
    grant_types: ["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"],
    redirect_uris: LOOPBACK_REDIRECTS,
    dpop_bound_access_tokens: true,
  },
  {
    client_id: "sandbox-par",
    token_endpoint_auth_method: "none",
    description: "public native app that must push its authorization requests (PAR, RFC 9126); PKCE required",
    grant_types: ["authorization_code", "refresh_token"],
    redirect_uris: LOOPBACK_REDIRECTS,
    require_pushed_authorization_requests: true,
  },
  {
    client_id: "sandbox-exchange",
    client_secret: "sandbox-exchange-secret",
    token_endpoint_auth_method: "client_secret_basic",
    description: "confidential service: token exchange (RFC 8693) of a live token of this server, client credentials; resource indicators (RFC 8707)",
    grant_types: ["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"],
    redirect_uris: [],
  },
];

/** The client whose DPoP proofs must carry a server nonce. */
export const DPOP_NONCE_CLIENT = "sandbox-dpop";

/** The subject of the certificate sandbox-mtls authenticates with (RFC 8705 §2.1.2 tls_client_auth_subject_dn). */
export const SANDBOX_MTLS_SUBJECT = "CN=sandbox-mtls";

/** Clients that exist only when the sandbox has what they prove themselves against: client keys, TLS. */
export function optionalClients(options: SandboxOptions): SandboxClient[] {
  const clients: SandboxClient[] = [];
  // The device grant too: its device authorization request authenticates the client the same way (RFC 8628 §3.1).
  // Token exchange authenticates the client at the token endpoint like any grant (RFC 8693 §2.1).
  const grants = ["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange"];
  if (options.clientJwks) {
    clients.push({ client_id: "sandbox-jwt", token_endpoint_auth_method: "private_key_jwt", description: "confidential client signing an assertion with its private key (RFC 7523); public keys from --client-jwks", grant_types: grants, redirect_uris: LOOPBACK_REDIRECTS });
  }
  if (options.tls?.clientCa) {
    clients.push({ client_id: "sandbox-mtls", token_endpoint_auth_method: "tls_client_auth", description: `mutual TLS with a certificate from the client CA, subject ${SANDBOX_MTLS_SUBJECT} (RFC 8705 §2.1)`, grant_types: grants, redirect_uris: LOOPBACK_REDIRECTS });
  }
  if (options.tls && options.clientJwks?.keys.some((k) => Array.isArray(k.x5c))) {
    clients.push({ client_id: "sandbox-mtls-self", token_endpoint_auth_method: "self_signed_tls_client_auth", description: "mutual TLS with a self-signed certificate registered as x5c in --client-jwks (RFC 8705 §2.2)", grant_types: grants, redirect_uris: LOOPBACK_REDIRECTS });
  }
  return clients;
}

/**
 * Every client of this sandbox (the fixed ones, then the optional ones), as registered under the
 * misconfiguration knobs:
 * - localhostRedirectOnly: redirect URIs registered with `localhost` only, so a client sending the
 *   RFC 8252 §7.3 recommended `127.0.0.1` is refused (a registration that says localhost is common).
 * - withoutRefreshGrant: refresh_token left out of every client's grant_types. Refresh tokens are
 *   still issued, as when an admin turns the grant off after tokens went out: refreshing is refused.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export function sandboxClients(options: SandboxOptions = {}): readonly SandboxClient[] {
  return [...SANDBOX_CLIENTS, ...optionalClients(options)].map((c) => ({
    ...c,
    grant_types: options.withoutRefreshGrant ? c.grant_types.filter((g) => g !== "refresh_token") : c.grant_types,
    redirect_uris: options.localhostRedirectOnly ? c.redirect_uris.filter((u) => u.startsWith("http://localhost/")) : c.redirect_uris,
  }));
}

/** Client metadata in the shape oidc-provider's `clients` configuration takes; `options` gives the key-based clients their keys. */
export function providerClients(clients: readonly SandboxClient[] = SANDBOX_CLIENTS, options: Pick<SandboxOptions, "clientJwks"> = {}): Record<string, unknown>[] {
  return clients.map((c) => ({
    client_id: c.client_id,
    ...(c.client_secret ? { client_secret: c.client_secret } : {}),
    token_endpoint_auth_method: c.token_endpoint_auth_method,
    // Native: loopback redirect URIs match on any port. Harmless for the confidential ones too.
    application_type: "native",
    grant_types: [...c.grant_types],
    // A client without the code grant has no authorization endpoint responses (the device client).
    response_types: c.grant_types.includes("authorization_code") ? ["code"] : [],
    redirect_uris: [...c.redirect_uris],
    ...(c.dpop_bound_access_tokens ? { dpop_bound_access_tokens: true } : {}),
    ...(c.require_pushed_authorization_requests ? { require_pushed_authorization_requests: true } : {}),
    ...((c.token_endpoint_auth_method === "private_key_jwt" || c.token_endpoint_auth_method === "self_signed_tls_client_auth") && { jwks: options.clientJwks }),
    ...(c.token_endpoint_auth_method === "tls_client_auth" && { tls_client_auth_subject_dn: SANDBOX_MTLS_SUBJECT }),
  }));
}
