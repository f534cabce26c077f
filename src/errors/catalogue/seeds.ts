import type { CatalogueEntry, Cause, UsedAt } from "../types.js";
import * as C from "./causes.js";
import { rfc } from "./links.js";

const SEED_002 = "seed 002 (provider doc: Authorization Requests and Errors, extended OAuth error table)";
const SEED_003 = "seed 003 (provider doc: Errors, Access Token / Authorization Code error codes)";

/** Seed 002's table, row by row: [error, HTTP status as the table gives it]. */
export const SEED_002_TABLE: readonly (readonly [string, number])[] = [
  ["access_denied", 302],
  ["invalid_request", 400],
  ["invalid_client", 401],
  ["invalid_grant", 400],
  ["unauthorized_client", 400],
  ["unsupported_grant_type", 400],
  ["invalid_scope", 400],
  ["not_supported", 400],
  ["account_locked", 401],
  ["account_disabled", 401],
  ["authorization_pending", 401],
  ["authorization_expired", 401],
  ["slow_down", 401],
];

/** Seed 001: the `error` values its token endpoint documents. */
export const SEED_001_CODES: readonly string[] = [
  "server_error",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_request",
];

/**
 * Seed 001's legacy error envelope (deprecated GET /oauth/token):
 * {"success":false,"errorMessage":"…","errorDetails":["…"],"errorCode":"…"}.
 * Maps each legacy field to its RFC 6749 §5.2 counterpart.
 */
export const SEED_001_LEGACY_FIELDS = {
  success: { is: "false on every error" },
  errorCode: { mapsTo: "error", is: "machine-readable code" },
  errorMessage: { mapsTo: "error_description", is: "general human-readable message, e.g. \"Redirect URI is invalid\"" },
  errorDetails: { mapsTo: "error_description", is: "optional array of extra messages, e.g. the missing parameters" },
} as const;

/** Seed 003: every `error` value in its tables. */
export const SEED_003_CODES: readonly string[] = [
  "invalid_grant",
  "invalid_request",
  "invalid_scope",
  "invalid_client",
  "internal_server_error",
  "unsupported_response_type",
  "server_error",
];

function seed002(
  code: string,
  status: number,
  tableText: string,
  usedAt: readonly UsedAt[],
  causes: readonly Cause[],
  nextSteps: readonly string[],
  specSection: [number, string],
  standardCode?: string,
): CatalogueEntry {
  const base = {
    code,
    provider: "seed-002",
    title: tableText,
    meaning: `This provider's extended error table lists \`${code}\` with HTTP ${status}: "${tableText}"${
      standardCode ? "" : " It is not a registered OAuth error code."
    }`,
    spec: rfc(specSection[0], specSection[1]),
    usedAt,
    httpStatus: [status],
    causes,
    nextSteps,
    source: SEED_002,
  };
  return standardCode ? { ...base, standardCode } : base;
}

export const SEED_ENTRIES: readonly CatalogueEntry[] = [
  seed002("access_denied", 302, "Authorization has been denied by the user. This is only used in the Authorization Code authorization browser redirect.", ["authorization-redirect"],
    [{ id: "user-declined", text: "The user declined on the consent screen.", test: "Run `oauth-cli authorize` again and approve." }],
    ["Retry the authorization; the 302 is the redirect back to your redirect_uri."], [6749, "4.1.2.1"], "access_denied"),
  seed002("invalid_request", 400, "The request is malformed. Check parameters.", ["authorization-redirect", "token-endpoint"],
    [C.MISSING_PARAMETER], ["Check every parameter in the -v trace."], [6749, "5.2"], "invalid_request"),
  seed002("invalid_client", 401, "Authentication error, invalid authentication method, lack of credentials, etc.", ["token-endpoint"],
    C.INVALID_CLIENT_CAUSES, ["Check client id, secret and `--auth-method` together."], [6749, "5.2"], "invalid_client"),
  seed002("invalid_grant", 400, "The authorization grant, token or credentials are expired or invalid.", ["token-endpoint"],
    C.INVALID_GRANT_CAUSES, ["Get a fresh code or sign in again."], [6749, "5.2"], "invalid_grant"),
  seed002("unauthorized_client", 400, "The authenticated client is not authorized to use this authorization grant type.", ["token-endpoint"],
    [{ id: "grant-not-enabled", text: "This grant type is not enabled for the client.", test: "Enable it in the app's settings and retry." }],
    ["Check the grant types allowed for the client."], [6749, "5.2"], "unauthorized_client"),
  seed002("unsupported_grant_type", 400, "The authorization grant type is not supported by the authorization server.", ["token-endpoint"],
    [{ id: "grant-type-misspelled", text: "grant_type is misspelled or not supported.", test: "Check grant_type in the -v trace." }],
    ["Use a supported grant_type."], [6749, "5.2"], "unsupported_grant_type"),
  seed002("invalid_scope", 400, "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.", ["authorization-redirect", "token-endpoint"],
    [C.SCOPE_UNKNOWN], ["Retry with fewer scopes."], [6749, "5.2"], "invalid_scope"),
  seed002("not_supported", 400, "HTTP method not supported for this request.", ["authorization-redirect", "token-endpoint"],
    [{ id: "wrong-http-method", text: "The endpoint was called with the wrong HTTP method (GET instead of POST for the token endpoint, or the reverse).", test: "Check the method in the -v trace; the token endpoint takes POST (RFC 6749 §3.2)." }],
    ["Call the token endpoint with POST and the authorize endpoint with GET."], [6749, "3.2"]),
  seed002("account_locked", 401, "Account is temporarily locked.", ["token-endpoint", "authorization-redirect"],
    [{ id: "account-locked", text: "Too many failed sign-ins or a security hold locked the user's account for a while.", test: "Wait, or have the user unlock the account; then run `oauth-cli authorize` again." }],
    ["Wait for the lock to expire or contact the provider's support."], [6749, "5.2"]),
  seed002("account_disabled", 401, "Account is disabled.", ["token-endpoint", "authorization-redirect"],
    [{ id: "account-disabled", text: "The user's account (or the account behind the grant) is disabled.", test: "Sign in with another account to confirm the client itself works." }],
    ["The account must be re-enabled; retrying will not help."], [6749, "5.2"]),
  seed002("authorization_pending", 401, "Waiting for user to authorize application.", ["device-flow"],
    [{ id: "user-not-done", text: "The user has not approved yet.", test: "Complete the approval, keep polling." }],
    ["Keep polling at the interval; this provider uses 401 where RFC 8628 uses 400."], [8628, "3.5"], "authorization_pending"),
  seed002("authorization_expired", 401, "The authorization has expired waiting for user to authorize.", ["device-flow"],
    [{ id: "device-code-expired", text: "The user did not approve before the code expired (RFC 8628 calls this expired_token).", test: "Start the flow again and approve promptly." }],
    ["Start a new device authorization."], [8628, "3.5"], "expired_token"),
  seed002("slow_down", 401, "Slow down polling to the requested interval.", ["device-flow"],
    [{ id: "interval-ignored", text: "Polling faster than the interval.", test: "Check timing between polls in -v output." }],
    ["Increase the polling interval (RFC 8628: by 5 s); this provider uses 401 where RFC 8628 uses 400."], [8628, "3.5"], "slow_down"),
  {
    code: "internal_server_error",
    provider: "seed-003",
    title: "The provider hit an unexpected error",
    meaning: "This provider answers HTTP 500 with `internal_server_error` and the description AN_UNKNOWN_ERROR_OCCURRED or \"server error\". Not a registered code; RFC 6749's equivalent is server_error.",
    spec: rfc(6749, "5.2"),
    usedAt: ["token-endpoint"],
    httpStatus: [500],
    causes: [
      { id: "server-fault", text: "A fault on the provider's side.", test: "Retry once with the same command; then with minimal parameters." },
      { id: "unexpected-input", text: "Input the server did not expect (a wrong body format, an odd grant) can surface as a 500.", test: "Retry with `--body-format json` (this provider wants JSON) and check the request with -v." },
    ],
    nextSteps: ["Retry with backoff.", "Report to the provider with the request id and time."],
    source: SEED_003,
    standardCode: "server_error",
  },
  {
    code: "invalid_grant",
    provider: "seed-003",
    title: "Invalid grant_type value or refresh token",
    meaning: "This provider uses invalid_grant for a bad grant_type value (400) and for an invalid refresh_token (400, and 401 for service accounts).",
    spec: rfc(6749, "5.2"),
    usedAt: ["token-endpoint"],
    httpStatus: [400, 401],
    causes: [
      { id: "consent-revoked", text: "The user revoked the partner's access to their account (the provider's troubleshooting notes).", test: "Have the user authorize again with `oauth-cli authorize`." },
      { id: "code-expired", text: "An expired authorization code was sent in the token request (the provider's troubleshooting notes).", test: "Exchange the code right after `oauth-cli authorize`." },
      { id: "grant-type-invalid", text: "grant_type is not one of refresh_token, client_credentials, authorization_code.", test: "Check grant_type in the -v trace." },
    ],
    nextSteps: ["Read error_description: this provider names which case it is."],
    source: SEED_003,
    standardCode: "invalid_grant",
  },
  {
    code: "invalid_client",
    provider: "seed-003",
    title: "Invalid client_id or client_secret",
    meaning: "This provider returns invalid_client with 401 for service-account requests with a wrong client_id or client_secret.",
    spec: rfc(6749, "5.2"),
    usedAt: ["token-endpoint"],
    httpStatus: [401],
    causes: C.INVALID_CLIENT_CAUSES,
    nextSteps: ["Re-copy the credentials; this provider expects them in a JSON body (`--body-format json --auth-method client_secret_post`)."],
    source: SEED_003,
    standardCode: "invalid_client",
  },
  {
    code: "invalid_request",
    provider: "seed-003",
    title: "Malformed token or authorization request",
    meaning: "This provider uses invalid_request for missing/empty fields, a non-JSON body, bad client_id or redirect_uri, a non-S256 PKCE method, localhost redirects (400), and lists it under 404 Not Found.",
    spec: rfc(6749, "5.2"),
    usedAt: ["token-endpoint", "authorization-redirect"],
    httpStatus: [400, 404],
    causes: [
      { id: "wrong-body-format", text: "The POST body is not JSON.", test: "Use `--body-format json`." },
      { id: "localhost-rejected", text: "localhost is not allowed in redirect_uri.", test: "Use `--redirect-host 127.0.0.1`." },
      { id: "pkce-method-not-s256", text: "code_challenge_method is not S256.", test: "Use `--pkce S256`." },
      C.MISSING_PARAMETER,
      { id: "wrong-endpoint-url", text: "404: the URL path is wrong.", test: "Check `--token-endpoint` / `--authorization-endpoint`." },
    ],
    nextSteps: ["Paste error_description into `oauth-cli decode-error`: this provider's wording names the exact fix."],
    source: SEED_003,
    standardCode: "invalid_request",
  },
];
