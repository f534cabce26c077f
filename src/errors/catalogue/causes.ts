import type { Cause } from "../types.js";

/**
 * Causes shared by several entries. The ids are a contract: context diagnosis re-ranks by them.
 * invalid_grant root causes: see /work/shared/reference/oauth-errors.md ("invalid_grant root causes").
 */
export const CODE_REUSED: Cause = {
  id: "code-reused",
  text: "The authorization code was already redeemed. Codes are single-use (RFC 6749 §4.1.2); a retry, a double-submitted callback or a second tab spends it, and the server may revoke tokens already issued from it.",
  test: "Run `oauth-cli authorize` again for a fresh code and exchange it exactly once (or let authorize exchange it; do not pass --no-exchange and then re-use the code).",
};
export const CODE_EXPIRED: Cause = {
  id: "code-expired",
  text: "The authorization code expired before it was exchanged. Lifetimes are short: RFC 6749 recommends at most 10 minutes, some providers allow 60 seconds to 5 minutes.",
  test: "Run `oauth-cli authorize` and let it exchange the code immediately; with --no-exchange, run `oauth-cli exchange --code …` within a minute.",
};
export const REDIRECT_URI_MISMATCH: Cause = {
  id: "redirect-uri-mismatch",
  text: "The redirect_uri sent to the token endpoint differs from the one sent in the authorization request (scheme, host, port, path or trailing slash). RFC 6749 §4.1.3 requires them to be identical.",
  test: "Pass the same value to both steps: `oauth-cli authorize --redirect-uri URI` then `oauth-cli exchange --code … --redirect-uri URI`; check `-v` output for both requests.",
};
export const PKCE_VERIFIER_MISMATCH: Cause = {
  id: "pkce-verifier-mismatch",
  text: "The code_verifier does not hash to the code_challenge sent in the authorization request, or was sent with a different method (S256 vs plain), or is missing (RFC 7636 §4.6).",
  test: "Use `oauth-cli authorize --pkce S256` so one process creates and sends both; with a manual exchange pass the matching `--code-verifier`.",
};
export const REFRESH_TOKEN_REUSED: Cause = {
  id: "refresh-token-reused",
  text: "A rotated refresh token was used again. With rotation the old token is invalid after one use, and reuse detection may revoke the whole token family (RFC 6749 §6, OAuth 2.0 Security BCP).",
  test: "Run `oauth-cli refresh --store` so the newest refresh token is saved after each refresh; never refresh twice with the same token in parallel.",
};
export const REFRESH_TOKEN_EXPIRED: Cause = {
  id: "refresh-token-expired",
  text: "The refresh token reached its maximum age or inactivity timeout (for example Entra 24 h for SPAs / 90 days otherwise, Google 7 days for apps in Testing or 6 months unused, idle session limits in Keycloak).",
  test: "Sign in again with `oauth-cli authorize` and compare; note how old the refresh token was.",
};
export const CONSENT_REVOKED: Cause = {
  id: "consent-revoked",
  text: "The user or an administrator revoked the app's access (or the session behind it was ended), which invalidates outstanding refresh tokens.",
  test: "Run `oauth-cli authorize --prompt consent` and check that the user sees the consent screen again.",
};
export const CLOCK_SKEW: Cause = {
  id: "clock-skew",
  text: "A JWT assertion (client_assertion, JWT bearer grant, Apple client_secret) has iat/nbf/exp outside the server's accepted window because the client clock is off or the lifetime is too long.",
  test: "Compare your clock with the server's Date header in `oauth-cli … -v` output; sync the clock (NTP) and keep assertion lifetimes short.",
};
export const WRONG_CLIENT: Cause = {
  id: "wrong-client",
  text: "The grant was issued to a different client (or tenant) than the one now presenting it: another client_id, another environment, or another tenant.",
  test: "Check that `--client-id` (and `--issuer`) are the same for `authorize` and `exchange`/`refresh`.",
};
export const PASSWORD_CHANGED: Cause = {
  id: "password-changed",
  text: "The user's password was changed or reset, which revokes some refresh tokens (Google with Gmail scopes, Microsoft public clients).",
  test: "Ask whether the password changed recently; sign in again with `oauth-cli authorize`.",
};

/** invalid_client causes. */
export const WRONG_SECRET: Cause = {
  id: "wrong-secret",
  text: "The client secret is wrong: a different environment's secret, a rotated secret, or the secret's ID pasted instead of its value.",
  test: "Re-copy the secret into the file given to `--client-secret-file PATH` and retry with `-v`.",
};
export const SECRET_WHITESPACE: Cause = {
  id: "secret-whitespace",
  text: "The secret has a trailing newline, space or quote from copy-paste or `echo` into a file.",
  test: "Check the file given to `--client-secret-file` with `od -c`; write it with `printf '%s'` rather than `echo`.",
};
export const WRONG_AUTH_METHOD: Cause = {
  id: "wrong-auth-method",
  text: "The client authenticated with a method the server does not accept for it: Basic header vs secret in the body (RFC 6749 §2.3.1), or a secret for a client registered for private_key_jwt.",
  test: "Retry with `--auth-method client_secret_post` and with `--auth-method client_secret_basic`; compare with token_endpoint_auth_methods_supported from `--issuer` discovery.",
};
export const UNKNOWN_CLIENT: Cause = {
  id: "unknown-client",
  text: "The server does not know this client_id: a typo, the wrong tenant/realm/environment, or the app was deleted.",
  test: "Check `--client-id` and `--issuer` (or `--token-endpoint`) point at the same tenant or realm.",
};
export const SECRET_EXPIRED: Cause = {
  id: "secret-expired",
  text: "The client secret has expired or was revoked in the provider's console.",
  test: "Look at the secret's expiry date in the app registration; create a new secret and update `--client-secret-file`.",
};
export const PUBLIC_CLIENT_SENT_SECRET: Cause = {
  id: "public-client-sent-secret",
  text: "The app is registered as a public client (SPA, native, device) but a secret was sent, or it is confidential and none was sent.",
  test: "For a public client use `--auth-method none` with `--pkce S256`; for a confidential client pass `--client-secret-file`.",
};

/**
 * invalid_client causes of a client that proves itself with an assertion or a certificate. Not in
 * the catalogue's invalid_client list: only a run that sent one can have them (diagnose.ts adds them).
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 * @see https://www.rfc-editor.org/rfc/rfc8705#section-2
 */
export const ASSERTION_AUDIENCE: Cause = {
  id: "assertion-audience",
  text: "The assertion's aud is not what the server expects: most take the token endpoint URL, some only the issuer identifier.",
  test: "Retry with `--assertion-audience issuer` (or the token endpoint URL exactly as the server's metadata spells it).",
};
export const ASSERTION_EXPIRED: Cause = {
  id: "assertion-expired",
  text: "The assertion's exp had passed by the server's clock (or iat is in its future): clocks apart, or a server wanting a shorter lifetime.",
  test: "Compare the server's Date header with `date -u`; sync the clock (NTP) and retry.",
};
export const ASSERTION_KEY_UNKNOWN: Cause = {
  id: "assertion-key-unknown",
  text: "The server has no key that verifies the assertion: the kid is not in the client's registered JWKS, or the registered public key is not the half of the private key used.",
  test: "Compare `--key-id` with the kids registered for the client (its jwks or jwks_uri); print the public half with `oauth-cli keys generate` for a new pair, and register it.",
};
export const ASSERTION_ALG: Cause = {
  id: "assertion-alg",
  text: "The assertion is signed with an algorithm the server (or this client's registration, token_endpoint_auth_signing_alg) does not allow.",
  test: "Retry with `--signing-alg` set to one from token_endpoint_auth_signing_alg_values_supported.",
};
export const CERTIFICATE_REFUSED: Cause = {
  id: "certificate-refused",
  text: "The client certificate does not match the registration: another subject (tls_client_auth_subject_dn), a CA the server does not trust, or, for self_signed_tls_client_auth, a certificate not in the client's JWKS.",
  test: "Compare the certificate's subject and issuer (`openssl x509 -noout -subject -issuer -in FILE`) with the client's registration.",
};

export const INVALID_GRANT_CAUSES: readonly Cause[] = [
  CODE_REUSED,
  CODE_EXPIRED,
  REDIRECT_URI_MISMATCH,
  PKCE_VERIFIER_MISMATCH,
  REFRESH_TOKEN_REUSED,
  REFRESH_TOKEN_EXPIRED,
  CONSENT_REVOKED,
  CLOCK_SKEW,
  WRONG_CLIENT,
  PASSWORD_CHANGED,
];

export const INVALID_CLIENT_CAUSES: readonly Cause[] = [
  WRONG_SECRET,
  SECRET_WHITESPACE,
  WRONG_AUTH_METHOD,
  UNKNOWN_CLIENT,
  SECRET_EXPIRED,
  PUBLIC_CLIENT_SENT_SECRET,
];

/** Used by several redirect_uri registration problems. */
export const REDIRECT_NOT_REGISTERED: Cause = {
  id: "redirect-not-registered",
  text: "The redirect_uri is not registered for this client exactly as sent (host, port, path, trailing slash, http vs https, localhost vs 127.0.0.1).",
  test: "Print the URI with `oauth-cli authorize -v`, register exactly that, or pass a registered one with `--redirect-uri`, `--redirect-host` and `--port`.",
};
export const LOCALHOST_REJECTED: Cause = {
  id: "localhost-rejected",
  text: "The server rejects the name `localhost` in loopback redirect URIs and wants the IP literal (RFC 8252 §7.3 recommends 127.0.0.1 or [::1]).",
  test: "Use `--redirect-host 127.0.0.1` (and register http://127.0.0.1/… ; RFC 8252 lets the port vary).",
};
export const SCOPE_UNKNOWN: Cause = {
  id: "scope-unknown",
  text: "A requested scope is unknown to this server or not enabled for this client (typo, wrong separator, a scope from another provider or API).",
  test: "Retry with a minimal `--scope` (e.g. `openid`), then add scopes one by one; compare with scopes_supported from `--issuer` discovery.",
};
export const MISSING_PARAMETER: Cause = {
  id: "missing-parameter",
  text: "A required parameter is missing, repeated, or malformed.",
  test: "Look at the request in `-v` output; add what is missing with `--param name=value`.",
};

/** PKCE from the token endpoint's side: the exchange carried no verifier for a code bound to a challenge. */
export const PKCE_VERIFIER_MISSING: Cause = {
  id: "pkce-verifier-missing",
  text: "The code was issued to an authorization request that carried a code_challenge, and the exchange sent no code_verifier (RFC 7636 §4.5).",
  test: "Pass the verifier that belongs to the code: `oauth-cli exchange --code … --code-verifier …` (`authorize --no-exchange` prints both).",
};
export const PKCE_CHALLENGE_MISSING: Cause = {
  id: "pkce-challenge-missing",
  text: "The server requires PKCE and the authorization request had no code_challenge (RFC 7636 §4.4.1), or the method is not accepted.",
  test: "Use `oauth-cli authorize --pkce S256`.",
};
export const REFRESH_TOKEN_UNKNOWN: Cause = {
  id: "refresh-token-unknown",
  text: "This refresh token was not issued by this server, or not to this client: another environment, tenant or client_id, a truncated copy, or an access token passed by mistake.",
  test: "Check that `--issuer` and `--client-id` are those of the sign-in that produced the token; keep it with `--store` rather than copying it by hand.",
};
export const SCOPE_EXCEEDS_GRANT: Cause = {
  id: "scope-exceeds-grant",
  text: "On refresh, the scope asks for more than the original grant.",
  test: "Run `oauth-cli refresh` without `--scope`, or with a subset of the original scopes.",
};
