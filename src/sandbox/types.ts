/** Options for {@link startSandbox}. Every TTL is in seconds. */
export interface SandboxOptions {
  /** Loopback only: 127.0.0.0/8, ::1 or "localhost". Default "127.0.0.1". */
  host?: string;
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  codeTtl?: number;
  accessTokenTtl?: number;
  refreshTokenTtl?: number;
  /** Device flow (RFC 8628): how long a device_code and its user_code stay valid (default 600). */
  deviceCodeTtl?: number;
  /**
   * Device flow: send this `interval` (seconds) and answer a poll that comes sooner with slow_down,
   * 5 s more each time (RFC 8628 §3.5). Default: no interval (clients wait 5 s) and no slow_down.
   */
  devicePollInterval?: number;
  /** Default true: each refresh returns a new refresh token; replaying a used one revokes the grant. */
  rotateRefreshTokens?: boolean;
  /**
   * Default true: PKCE required for the public client (RFC 9700 §2.1.1). "all": required for every
   * client, confidential ones too (OAuth 2.1). false: optional for every client.
   */
  requirePkce?: boolean | "all";
  /** Every client must push its authorization requests (RFC 9126 §5: require_pushed_authorization_requests in discovery). */
  requirePar?: boolean;
  /** Redirect URIs registered with `localhost` only: a client sending 127.0.0.1 is refused. */
  localhostRedirectOnly?: boolean;
  /** No client has the refresh_token grant (refresh tokens are still issued): refreshing is refused. */
  withoutRefreshGrant?: boolean;
  /** Token endpoint accepts only application/json bodies (seed 003 behaviour). */
  requireJsonBody?: boolean;
  /** Token endpoint answers in the legacy `{success, data}` / `{success, errorMessage}` envelope (seed 001). */
  legacyEnvelope?: boolean;
  /** JSON error responses carry `error_description` as an array of strings (seed 001). */
  arrayDescriptions?: boolean;
  /** Seconds the server's clock is off by (Date header, iat/exp of what it issues). */
  clockSkew?: number;
  /**
   * The server's clock before clockSkew, in ms since epoch (default: real time): what its codes and
   * tokens are issued and expire by. Tests pass a clock they move forward instead of sleeping.
   */
  now?: () => number;
  /** Log every authorization request in as this user and consent, with no pages. */
  autoLogin?: string;
  /** Persist codes, tokens, grants, sessions and signing keys in this JSON file. */
  stateFile?: string;
  logger?: (line: string) => void;
  /**
   * The public JWK Set of the client sandbox-jwt (private_key_jwt, RFC 7523) and, when its keys carry
   * an x5c certificate, of sandbox-mtls-self (self_signed_tls_client_auth, RFC 8705 §2.2). Without
   * it those clients are not registered: there is no key to check their proof against.
   */
  clientJwks?: { readonly keys: readonly Record<string, unknown>[] };
  /**
   * Serve over HTTPS with this certificate and key (PEM), asking every client for a certificate
   * (mutual TLS, RFC 8705). Client certificates issued by `clientCa` authenticate sandbox-mtls
   * (tls_client_auth, subject CN=sandbox-mtls).
   */
  tls?: { readonly cert: string; readonly key: string; readonly clientCa?: string };
}

export interface SandboxClient {
  readonly client_id: string;
  readonly client_secret?: string;
  readonly token_endpoint_auth_method:
    | "none"
    | "client_secret_basic"
    | "client_secret_post"
    | "client_secret_jwt"
    | "private_key_jwt"
    | "tls_client_auth"
    | "self_signed_tls_client_auth";
  readonly description: string;
  readonly grant_types: readonly string[];
  readonly redirect_uris: readonly string[];
  /** Every access token is DPoP-bound: requests without a proof are refused (RFC 9449 §5.2). */
  readonly dpop_bound_access_tokens?: boolean;
  /** Authorization requests only by PAR (RFC 9126 §2.1). */
  readonly require_pushed_authorization_requests?: boolean;
}

export interface Sandbox {
  /** e.g. "http://127.0.0.1:53117", no trailing slash. */
  readonly issuer: string;
  readonly port: number;
  readonly clients: readonly SandboxClient[];
  close(): Promise<void>;
}
