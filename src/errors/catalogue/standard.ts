import type { CatalogueEntry } from "../types.js";
import { checkClaims } from "./tools.js";
import * as C from "./causes.js";
import { rfc } from "./links.js";

const IANA = "IANA OAuth Extensions Error Registry";

/** Core codes: RFC 6749, RFC 6750, RFC 7009, RFC 7591, RFC 8628. */
export const CORE_ENTRIES: readonly CatalogueEntry[] = [
  {
    code: "invalid_request",
    title: "The request is malformed",
    meaning:
      "A required parameter is missing, a parameter is repeated or has an unsupported value, or the request is otherwise malformed. At the authorization endpoint it comes back on the redirect; at the token endpoint and resource server as HTTP 400.",
    spec: rfc(6749, "5.2"),
    usedAt: ["authorization-redirect", "token-endpoint", "resource-server", "device-flow", "par", "revocation", "introspection"],
    httpStatus: [400],
    causes: [
      C.MISSING_PARAMETER,
      C.PKCE_CHALLENGE_MISSING,
      {
        id: "wrong-body-format",
        text: "The body is in a format the endpoint does not accept: RFC 6749 requires application/x-www-form-urlencoded, a few providers want JSON.",
        test: "Retry with `--body-format form`, then `--body-format json`.",
      },
      C.REDIRECT_NOT_REGISTERED,
      {
        id: "multiple-credentials",
        text: "The client sent credentials in more than one way (Basic header and client_secret in the body), which RFC 6749 §2.3 forbids.",
        test: "Choose one: `--auth-method client_secret_basic` or `--auth-method client_secret_post`.",
      },
    ],
    nextSteps: [
      "Read error_description: it usually names the parameter.",
      "Re-run with -v and compare the request against the endpoint's documentation.",
    ],
    source: `${IANA}; RFC 6749 §4.1.2.1, §4.2.2.1, §5.2; RFC 6750 §3.1; RFC 7636 §4.4.1`,
  },
  {
    code: "unauthorized_client",
    title: "This client may not use this grant or response type",
    meaning:
      "The client is known and authenticated, but it is not allowed to request an authorization code / token this way or to use this grant_type (RFC 6749 §4.1.2.1, §5.2).",
    spec: rfc(6749, "5.2"),
    usedAt: ["authorization-redirect", "token-endpoint"],
    httpStatus: [400],
    causes: [
      {
        id: "grant-not-enabled",
        text: "The grant type (authorization_code, refresh_token, client_credentials, device_code) is not enabled for this client in the provider's console.",
        test: "Enable the grant for the app, then retry the same command (e.g. `oauth-cli client-credentials`).",
      },
      {
        id: "client-type-mismatch",
        text: "The client type does not allow the flow (e.g. client_credentials for a public client, implicit disabled, a SPA registration used from a server).",
        test: "Check the app's platform/type; for public clients use `--auth-method none --pkce S256`.",
      },
      {
        id: "delegation-not-authorized",
        text: "For service accounts: domain-wide delegation (or equivalent) is not authorized for the requested scopes.",
        test: "Retry with a smaller `--scope` that the administrator approved.",
      },
    ],
    nextSteps: ["Check which grant types the client registration allows.", "Compare grant_types_supported in discovery (`--issuer`)."],
    source: `${IANA}; RFC 6749 §4.1.2.1, §5.2`,
  },
  {
    code: "access_denied",
    title: "The user or server denied the request",
    meaning:
      "The resource owner declined consent, or the authorization server refused (policy, user not assigned to the app). In the device flow (RFC 8628 §3.5) the token endpoint returns it with 400 when the user denied the request.",
    spec: rfc(6749, "4.1.2.1"),
    usedAt: ["authorization-redirect", "device-flow", "backchannel"],
    httpStatus: [400],
    causes: [
      { id: "user-declined", text: "The user clicked Cancel/Deny on the consent or sign-in page.", test: "Run `oauth-cli authorize` again and approve." },
      {
        id: "user-not-assigned",
        text: "The user is not assigned to the app, or a sign-in policy (conditional access, allowed groups) blocked them.",
        test: "Try another user; check app assignment in the provider console.",
      },
      {
        id: "scope-not-allowed",
        text: "A requested scope needs admin approval or is not allowed for this user.",
        test: "Retry with a smaller `--scope`.",
      },
    ],
    nextSteps: ["Check error_description and the provider's sign-in logs.", "Retry the authorization and approve the consent screen."],
    source: `${IANA}; RFC 6749 §4.1.2.1, §4.2.2.1; RFC 8628 §3.5`,
  },
  {
    code: "unsupported_response_type",
    title: "The server does not support this response_type",
    meaning:
      "The authorization server does not support obtaining an authorization code (or token) with the response_type requested, or not for this client. Returned on the redirect only.",
    spec: rfc(6749, "4.1.2.1"),
    usedAt: ["authorization-redirect"],
    httpStatus: [],
    causes: [
      {
        id: "response-type-not-code",
        text: "A response_type other than `code` was sent (token, id_token, a hybrid value) and the server or client only allows `code`.",
        test: "Run `oauth-cli authorize` (it sends response_type=code); remove any `--param response_type=…`.",
      },
      {
        id: "response-type-not-enabled",
        text: "The response type is not enabled for this client (implicit grant disabled).",
        test: "Check response_types_supported via `--issuer` discovery.",
      },
    ],
    nextSteps: ["Use response_type=code with PKCE, the current best practice."],
    source: `${IANA}; RFC 6749 §4.1.2.1, §4.2.2.1`,
  },
  {
    code: "invalid_scope",
    title: "A requested scope is invalid, unknown or too broad",
    meaning:
      "The requested scope is invalid, unknown, malformed, or exceeds what the resource owner granted (on refresh). On the redirect from the authorization endpoint, or HTTP 400 from the token endpoint.",
    spec: rfc(6749, "5.2"),
    usedAt: ["authorization-redirect", "token-endpoint", "device-flow"],
    httpStatus: [400],
    causes: [
      C.SCOPE_UNKNOWN,
      {
        id: "scope-separator",
        text: "Scopes were joined with commas or '+' encoded twice instead of single spaces (RFC 6749 §3.3).",
        test: "Pass `--scope \"a b\"` with spaces and inspect the request with -v.",
      },
      C.SCOPE_EXCEEDS_GRANT,
      {
        id: "scope-wrong-resource",
        text: "Scopes for two different APIs in one request, or a client-credentials scope not in `<resource>/.default` form (Entra).",
        test: "Request scopes for one API at a time with `--scope`.",
      },
    ],
    nextSteps: ["Compare the requested scopes with scopes_supported and the app's configured permissions."],
    source: `${IANA}; RFC 6749 §3.3, §4.1.2.1, §5.2`,
  },
  {
    code: "server_error",
    title: "The authorization server hit an unexpected error",
    meaning:
      "Stands in for HTTP 500 where a status cannot be sent (the authorization redirect). Token endpoints that use it usually send 500 as well.",
    spec: rfc(6749, "4.1.2.1"),
    usedAt: ["authorization-redirect", "token-endpoint"],
    httpStatus: [500],
    causes: [
      {
        id: "server-fault",
        text: "A fault or outage on the provider's side, sometimes triggered by unusual input (very long state, odd characters in a parameter).",
        test: "Retry once; then retry with minimal parameters (`--scope openid`, no extra `--param`).",
      },
      {
        id: "server-misconfiguration",
        text: "The tenant/realm or app is misconfigured (e.g. a broken claim mapping or custom hook).",
        test: "Check the provider's logs with the request id shown by `-v`.",
      },
    ],
    nextSteps: ["Retry with backoff.", "Report to the provider with the request/correlation id and timestamp."],
    source: `${IANA}; RFC 6749 §4.1.2.1`,
  },
  {
    code: "temporarily_unavailable",
    title: "The authorization server is overloaded or in maintenance",
    meaning: "Stands in for HTTP 503 on the redirect: the server cannot handle the request right now.",
    spec: rfc(6749, "4.1.2.1"),
    usedAt: ["authorization-redirect", "token-endpoint"],
    httpStatus: [503],
    causes: [
      { id: "server-overloaded", text: "Temporary overload or maintenance at the provider.", test: "Retry after the Retry-After delay, if any." },
      { id: "rate-limited", text: "Your client is being throttled.", test: "Check response headers with -v for Retry-After or rate-limit headers." },
    ],
    nextSteps: ["Retry later with exponential backoff.", "Check the provider's status page."],
    source: `${IANA}; RFC 6749 §4.1.2.1`,
  },
  {
    code: "invalid_client",
    title: "Client authentication failed",
    meaning:
      "The token endpoint could not authenticate the client: unknown client, no client authentication, or an unsupported method. The server MUST answer 401 with WWW-Authenticate when the client used the Authorization header; otherwise 400 or 401.",
    spec: rfc(6749, "5.2"),
    usedAt: ["token-endpoint", "device-flow", "revocation", "introspection", "par", "backchannel"],
    httpStatus: [400, 401],
    causes: C.INVALID_CLIENT_CAUSES,
    nextSteps: [
      "Check the client id, secret and the authentication method together; one wrong piece gives this error.",
      "Compare token_endpoint_auth_methods_supported from discovery with `--auth-method`.",
    ],
    source: `${IANA}; RFC 6749 §2.3.1, §5.2`,
  },
  {
    code: "invalid_grant",
    title: "The grant (code, refresh token, credentials) is invalid",
    meaning:
      "The authorization code, refresh token, or other grant is invalid, expired, revoked, does not match the redirect_uri of the authorization request, or was issued to another client (RFC 6749 §5.2). A PKCE verifier mismatch also ends here (RFC 7636 §4.6).",
    spec: rfc(6749, "5.2"),
    usedAt: ["token-endpoint", "backchannel"],
    httpStatus: [400],
    causes: C.INVALID_GRANT_CAUSES,
    nextSteps: [
      "For a code: get a fresh one with `oauth-cli authorize` and exchange it once, with the same redirect_uri and code_verifier.",
      "For a refresh token: sign in again; if it keeps happening, look for token rotation, parallel refreshes or lifetimes.",
    ],
    source: `${IANA}; RFC 6749 §4.1.3, §5.2, §6; RFC 7636 §4.6; reference/oauth-errors.md root causes`,
  },
  {
    code: "unsupported_grant_type",
    title: "The server does not support this grant_type",
    meaning: "The grant_type value is not supported by the authorization server (or misspelled).",
    spec: rfc(6749, "5.2"),
    usedAt: ["token-endpoint"],
    httpStatus: [400],
    causes: [
      {
        id: "grant-type-misspelled",
        text: "The grant_type is misspelled or missing (e.g. `authorization-code`), or it never arrived because the body was not form-encoded.",
        test: "Inspect the request body with -v; retry with `--body-format form`.",
      },
      {
        id: "grant-type-not-supported",
        text: "The server does not implement this grant (e.g. device_code, password, token-exchange) or not on this endpoint (e.g. Entra /common).",
        test: "Check grant_types_supported via `--issuer` discovery.",
      },
    ],
    nextSteps: ["Use one of the grant types listed in the server's metadata."],
    source: `${IANA}; RFC 6749 §5.2`,
  },
  {
    code: "invalid_token",
    title: "The access token is expired, revoked or malformed",
    meaning:
      "A resource server rejected the bearer token: expired, revoked, malformed, or invalid for this API (wrong audience). Sent with 401 and a WWW-Authenticate: Bearer error=\"invalid_token\" header (RFC 6750 §3.1).",
    spec: rfc(6750, "3.1"),
    usedAt: ["resource-server"],
    httpStatus: [401],
    causes: [
      { id: "access-token-expired", text: "The access token expired (check exp).", test: "Get a new one with `oauth-cli refresh` and retry." },
      {
        id: "wrong-audience",
        text: "The token was issued for another API (aud), or an ID token was sent instead of an access token.",
        test: `${checkClaims("the access token", "aud")}; request it with the right \`--scope\` or \`--param resource=…\`.`,
      },
      {
        id: "token-revoked",
        text: "The token was revoked (logout, password change, admin action).",
        test: "Sign in again with `oauth-cli authorize`.",
      },
      {
        id: "token-malformed",
        text: "The Authorization header is malformed: missing 'Bearer ', extra quotes or whitespace, or a DPoP-bound token sent as Bearer.",
        test: "Check the header with `--header` and -v.",
      },
    ],
    nextSteps: ["Refresh the token and retry.", "Check the token's aud, iss and exp against what the API expects."],
    source: `${IANA}; RFC 6750 §3.1`,
  },
  {
    code: "insufficient_scope",
    title: "The token lacks the scope this API needs",
    meaning:
      "The request needs more privileges than the access token carries. Sent with 403; the WWW-Authenticate header may list the scope needed (RFC 6750 §3.1).",
    spec: rfc(6750, "3.1"),
    usedAt: ["resource-server"],
    httpStatus: [403],
    causes: [
      {
        id: "scope-not-requested",
        text: "The scope the API needs was not requested when the token was obtained.",
        test: "Re-run `oauth-cli authorize --scope \"…\"` including the scope named in WWW-Authenticate.",
      },
      {
        id: "scope-not-granted",
        text: "The scope was requested but not granted (user or admin declined part of it); compare the token response's `scope`.",
        test: "Check the scope field in the token response; use `--prompt consent`.",
      },
    ],
    nextSteps: ["Read the scope parameter of WWW-Authenticate and request exactly that."],
    source: `${IANA}; RFC 6750 §3.1`,
  },
  {
    code: "unsupported_token_type",
    title: "The server cannot revoke this token type",
    meaning:
      "The revocation endpoint does not support revoking this type of token (often access tokens). Invalid or unknown tokens are NOT an error: they get 200 (RFC 7009 §2.2).",
    spec: rfc(7009, "2.2.1"),
    usedAt: ["revocation"],
    httpStatus: [400],
    causes: [
      {
        id: "token-type-hint-wrong",
        text: "token_type_hint names a type the server cannot revoke (e.g. access_token on a server that only revokes refresh tokens).",
        test: "Retry with `--param token_type_hint=refresh_token` and the refresh token.",
      },
    ],
    nextSteps: ["Revoke the refresh token instead; access tokens then expire on their own."],
    source: `${IANA}; RFC 7009 §2.2.1`,
  },
  {
    code: "authorization_pending",
    title: "The user has not finished the device (or CIBA) authorization yet",
    meaning: "Not a failure: keep polling at the given interval until the user approves or denies (RFC 8628 §3.5).",
    spec: rfc(8628, "3.5"),
    usedAt: ["device-flow", "backchannel"],
    httpStatus: [400],
    causes: [
      { id: "user-not-done", text: "The user has not yet entered the user code and approved.", test: "Open the verification_uri and complete sign-in." },
    ],
    nextSteps: ["Keep polling no faster than `interval` seconds (default 5)."],
    source: `${IANA}; RFC 8628 §3.5; OpenID CIBA Core §11`,
  },
  {
    code: "slow_down",
    title: "Polling too fast",
    meaning:
      "Still pending, but the client polls too often: add 5 seconds to the polling interval for this and all later requests (RFC 8628 §3.5).",
    spec: rfc(8628, "3.5"),
    usedAt: ["device-flow", "backchannel"],
    httpStatus: [400],
    causes: [
      { id: "interval-ignored", text: "The client ignored the `interval` from the device authorization response, or did not back off after a previous slow_down.", test: "Check the timing between polls in -v output." },
    ],
    nextSteps: ["Increase the interval by 5 s and keep it increased."],
    source: `${IANA}; RFC 8628 §3.5`,
  },
  {
    code: "expired_token",
    title: "The device code expired",
    meaning: "The device_code (or CIBA auth_req_id) expired before the user approved; start a new device authorization (RFC 8628 §3.5).",
    spec: rfc(8628, "3.5"),
    usedAt: ["device-flow", "backchannel"],
    httpStatus: [400],
    causes: [
      { id: "device-code-expired", text: "The user took longer than expires_in to approve.", test: "Start the flow again and approve promptly." },
      { id: "polling-stopped-late", text: "The client kept polling with an old device_code after restarting.", test: "Use the device_code from the latest device authorization response." },
    ],
    nextSteps: ["Request a new device code and show the new user code."],
    source: `${IANA}; RFC 8628 §3.5`,
  },
  {
    code: "invalid_redirect_uri",
    title: "Dynamic registration: a redirect URI is invalid",
    meaning: "The value of one or more redirect_uris in the client registration request is invalid (RFC 7591 §3.2.2).",
    spec: rfc(7591, "3.2.2"),
    usedAt: ["registration"],
    httpStatus: [400],
    causes: [
      { id: "redirect-uri-scheme", text: "A redirect URI uses a scheme, host or fragment the server forbids (http on a non-loopback host, `localhost`, a fragment).", test: "Register `http://127.0.0.1/callback` style loopback URIs (`--redirect-host 127.0.0.1`)." },
    ],
    nextSteps: ["Fix the redirect_uris in the registration request."],
    source: `${IANA}; RFC 7591 §3.2.2`,
  },
  {
    code: "invalid_client_metadata",
    title: "Dynamic registration: client metadata is invalid",
    meaning: "A client metadata field is invalid, or inconsistent with another (e.g. grant_types vs response_types) (RFC 7591 §3.2.2).",
    spec: rfc(7591, "3.2.2"),
    usedAt: ["registration"],
    httpStatus: [400],
    causes: [
      { id: "metadata-inconsistent", text: "Inconsistent or unsupported metadata, such as an auth method not in token_endpoint_auth_methods_supported.", test: "Compare the request with the server's registration metadata from `--issuer`." },
    ],
    nextSteps: ["Read error_description; fix the named field."],
    source: `${IANA}; RFC 7591 §3.2.2`,
  },
  {
    code: "invalid_software_statement",
    title: "Dynamic registration: software statement is invalid",
    meaning: "The software_statement is not a valid JWT, has a bad signature, or claims the server cannot accept (RFC 7591 §3.2.2).",
    spec: rfc(7591, "3.2.2"),
    usedAt: ["registration"],
    httpStatus: [400],
    causes: [
      { id: "statement-signature", text: "The software statement is expired, malformed or signed with an untrusted key.", test: `${checkClaims("the software statement", "exp, iss and kid")}.` },
    ],
    nextSteps: ["Obtain a fresh software statement from its issuer."],
    source: `${IANA}; RFC 7591 §3.2.2`,
  },
  {
    code: "unapproved_software_statement",
    title: "Dynamic registration: software statement not approved",
    meaning: "The software statement is valid but not approved for use by this authorization server (RFC 7591 §3.2.2).",
    spec: rfc(7591, "3.2.2"),
    usedAt: ["registration"],
    httpStatus: [400],
    causes: [
      { id: "statement-issuer-untrusted", text: "The issuer of the software statement is not trusted by this server.", test: "Ask the server operator which statement issuers are accepted." },
    ],
    nextSteps: ["Get the software statement approved, or register without one if allowed."],
    source: `${IANA}; RFC 7591 §3.2.2`,
  },
];
