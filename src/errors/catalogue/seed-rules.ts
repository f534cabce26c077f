import type { Cause, SpecLink } from "../types.js";
import * as C from "./causes.js";
import { rfc } from "./links.js";
import { builtOnFirstUse } from "./tools.js";
import { phrase } from "./match.js";
import type { DescriptionRule } from "./types.js";

const SEED_003 = "seed 003 (provider doc: Errors, Access Token / Authorization Code error codes)";
const SEED_001 = "seed 001 (provider doc: Token Exchange Response, legacy errorMessage examples)";

function s3(
  id: string,
  error: string | undefined,
  match: RegExp,
  httpStatus: readonly number[],
  meaning: string,
  causes: readonly Cause[],
  nextSteps: readonly string[],
  spec: SpecLink = rfc(6749, "5.2"),
): DescriptionRule {
  const base = { id: `seed-003-${id}`, provider: "seed-003", match, httpStatus, meaning, causes, nextSteps, spec, source: SEED_003 };
  return error === undefined ? base : { ...base, error };
}

const BODY_JSON: Cause = {
  id: "wrong-body-format",
  text: "The POST body was not JSON (this provider does not accept application/x-www-form-urlencoded).",
  test: "Use `--body-format json`.",
};

/** Seed 003: every (error, error_description) pair, with the section's HTTP status. */
export const seed003Rules = builtOnFirstUse("seed 003 rules", (): readonly DescriptionRule[] => [
  s3("grant-type-invalid", "invalid_grant", phrase("grant_type is invalid. Accepted values"), [400],
    "The grant_type value is not one this provider accepts (refresh_token, client_credentials, authorization_code). The provider reports it as invalid_grant, where RFC 6749 would say unsupported_grant_type.",
    [{ id: "grant-type-misspelled", text: "grant_type is misspelled, missing, or another grant (device_code, password, token-exchange).", test: "Check grant_type in the `-v` trace; use `exchange`, `refresh` or `client-credentials`." },
     { ...BODY_JSON, text: "grant_type was sent form-encoded and not read because the body must be JSON." }],
    ["Send one of: refresh_token, client_credentials, authorization_code."]),
  s3("invalid-refresh-token", "invalid_grant", phrase("Invalid refresh_token", { whole: true }), [400, 401],
    "The refresh token is not valid any more (or an expired authorization code was sent in the token request).",
    [{ id: "consent-revoked", text: "The user revoked the partner's access to their account.", test: "Have the user authorize again: `oauth-cli authorize`." },
     { id: "code-expired", text: "An expired authorization code was passed in the token request.", test: "Exchange the code immediately after `oauth-cli authorize`." },
     C.REFRESH_TOKEN_REUSED],
    ["Sign the user in again to get a new refresh token; store the newest one after each refresh (`oauth-cli refresh --store`)."]),
  s3("invalid-client-id", "invalid_request", phrase("Invalid client_id", { whole: true }), [400],
    "The client_id is not known to this provider.",
    [C.UNKNOWN_CLIENT], ["Check `--client-id` for typos and the environment."]),
  s3("missing-fields", "invalid_request", phrase("Missing fields in POST body"), [400],
    "The JSON body lacks required fields: client_id, client_secret, grant_type and scope are all required.",
    [{ id: "missing-parameter", text: "One of client_id, client_secret, grant_type, scope is absent (scope is required here even for client credentials).", test: "Add `--scope …` and `--auth-method client_secret_post --body-format json`; on `authorize`, also `--exchange-scope` so the code exchange repeats the scope." },
     { ...BODY_JSON, text: "The fields were sent form-encoded or in a Basic header, so the JSON body looks empty to the server." }],
    ["Send all four fields in a JSON body: `--auth-method client_secret_post --body-format json --scope …` (with `authorize`, add `--exchange-scope`)."]),
  s3("parameter-missing", "invalid_request", /OAuth[\s+]+2\.0[\s+]+Parameter:?[\s+]*.+?[\s+]+missing/i, [400],
    "A required OAuth 2.0 parameter (named in the description) is missing.",
    [C.MISSING_PARAMETER, { ...BODY_JSON, text: "The parameter was sent but in a form-encoded body, which this provider does not read." }],
    ["Add the named parameter (e.g. `--param name=value`)."]),
  s3("post-body-empty", "invalid_request", phrase("POST body is empty"), [400],
    "The token request arrived with an empty body.",
    [{ ...BODY_JSON, text: "The body was sent in a format the server did not parse (form instead of JSON), or not at all." },
     { id: "credentials-only-in-header", text: "All credentials were sent in the Authorization header, none in the body.", test: "Use `--auth-method client_secret_post --body-format json`." }],
    ["Send a JSON body with the required fields."]),
  s3("body-must-be-json", "invalid_request", phrase("Unsupported Media Type for POST body. Must be json"), [400],
    "This token endpoint only accepts a JSON body (Content-Type: application/json), unlike RFC 6749 §3.2 which uses form encoding.",
    [BODY_JSON], ["Re-run with `--body-format json`."], rfc(6749, "3.2")),
  s3("scope-invalid-accepted", "invalid_scope", phrase("scope is invalid. Accepted values"), [400],
    "The scope is not one this provider accepts; the description lists the accepted values (e.g. business_connect).",
    [C.SCOPE_UNKNOWN], ["Use one of the accepted values from error_description, e.g. `--scope business_connect`."]),
  s3("invalid-client-credentials", "invalid_client", phrase("Invalid client_id or client_secret"), [401],
    "The client credentials are wrong (service accounts get 401).",
    C.INVALID_CLIENT_CAUSES, ["Re-copy the client secret; send it in the JSON body: `--auth-method client_secret_post --body-format json`."]),
  s3("not-found", undefined, /^\s*(?:404[\s+]+Not[\s+]+Found|invalid_request)[\s.!]*$/i, [404],
    "The provider's 404 answer: the error reads \"404 Not Found\" and the description \"invalid_request\" — the URL does not exist on this server.",
    [{ id: "wrong-endpoint-url", text: "The token or authorization endpoint URL path is wrong (typo, missing version prefix, wrong host).", test: "Check `--token-endpoint` / `--authorization-endpoint`, or use `--issuer` discovery." },
     { id: "wrong-http-method", text: "Some servers answer 404 for a method they do not route (GET on a POST-only endpoint).", test: "Check the method in the `-v` trace." }],
    ["Verify the endpoint URL from the provider's documentation or discovery document."], rfc(9110, "15.5.5")),
  s3("unknown-error", "internal_server_error", phrase("AN_UNKNOWN_ERROR_OCCURRED"), [500],
    "The provider failed with an unclassified internal error.",
    [{ id: "server-fault", text: "A fault on the provider's side.", test: "Retry the same command once." },
     { ...BODY_JSON, text: "Unexpected input (a non-JSON body) may trigger it." }],
    ["Retry with backoff; report with the request id if it persists."]),
  s3("server-error", undefined, phrase("server error", { whole: true }), [500],
    "The provider hit an internal error (internal_server_error at the token endpoint, server_error on the authorization redirect).",
    [{ id: "server-fault", text: "A fault on the provider's side.", test: "Retry the same command once." }],
    ["Retry with backoff; report with the request id and time if it persists."]),
  s3("response-type-must-be-code", "unsupported_response_type", phrase("response_type must be code"), [],
    "Only response_type=code is supported (no implicit or hybrid).",
    [{ id: "response-type-not-code", text: "A response_type other than `code` was sent.", test: "Run `oauth-cli authorize` (it sends response_type=code); drop `--param response_type=…`." }],
    ["Use the authorization code flow."], rfc(6749, "4.1.2.1")),
  s3("pkce-must-be-s256", "invalid_request", phrase("code_challenge_method must be S256"), [],
    "PKCE is required with the S256 method; plain (or no method) is rejected.",
    [{ id: "pkce-method-not-s256", text: "code_challenge_method was plain or missing.", test: "Use `--pkce S256`." }],
    ["Re-run `oauth-cli authorize --pkce S256`."], rfc(7636, "4.3")),
  s3("client-id-not-registered", "invalid_request", phrase("client_id does not match a registered OAuth app"), [],
    "No OAuth app is registered with this client_id.",
    [C.UNKNOWN_CLIENT], ["Check `--client-id` and the environment the app lives in."], rfc(6749, "4.1.2.1")),
  s3("bad-request", "invalid_request", phrase("bad request", { whole: true }), [],
    "A generic malformed authorization request.",
    [C.MISSING_PARAMETER], ["Compare the authorization URL (`oauth-cli authorize -v`) with the provider's documented parameters."], rfc(6749, "4.1.2.1")),
  s3("redirect-uri-empty", "invalid_request", phrase("redirect_uri must not be empty string"), [],
    "redirect_uri was sent empty.",
    [{ id: "redirect-uri-empty", text: "The redirect_uri parameter is present but empty.", test: "Pass `--redirect-uri` or let oauth-cli build it from `--redirect-host` and `--port`." }],
    ["Send the registered redirect URI."], rfc(6749, "3.1.2")),
  s3("redirect-uri-not-valid", "invalid_request", phrase("redirect_uri is not valid"), [],
    "redirect_uri is not a valid URI for this provider.",
    [{ id: "redirect-uri-malformed", text: "The redirect URI is not absolute, has a fragment, or uses a scheme the provider does not allow.", test: "Check the value in `oauth-cli authorize -v`." }, C.LOCALHOST_REJECTED],
    ["Use an absolute https URI or an http://127.0.0.1 loopback URI."], rfc(6749, "3.1.2")),
  s3("localhost-not-allowed", "invalid_request", phrase("localhost is not allowed for redirect_uri"), [],
    "The provider rejects `localhost` in redirect URIs and wants the IP literal 127.0.0.1 (as RFC 8252 §7.3 recommends).",
    [C.LOCALHOST_REJECTED], ["Re-run with `--redirect-host 127.0.0.1` and register the 127.0.0.1 URI."], rfc(8252, "7.3")),
  s3("redirect-uri-not-registered", "invalid_request", phrase("redirect_uri does not match one of the registered redirect_uri"), [],
    "The redirect URI is not one of those registered for the OAuth app.",
    [C.REDIRECT_NOT_REGISTERED], ["Register the exact URI oauth-cli prints with -v, or pass a registered one with `--redirect-uri`."], rfc(6749, "3.1.2.2")),
  s3("scope-empty", "invalid_request", phrase("scope must not be empty string"), [],
    "The scope parameter is present but empty.",
    [{ id: "scope-empty", text: "scope was sent with no value.", test: "Pass a value with `--scope`." }],
    ["Send at least one scope."], rfc(6749, "3.3")),
  s3("scope-not-valid", "invalid_scope", phrase("scope is not valid"), [],
    "A requested scope is not valid for this app.",
    [C.SCOPE_UNKNOWN], ["Request only scopes enabled for the app."], rfc(6749, "4.1.2.1")),
  s3("client-id-empty", "invalid_request", phrase("client_id must not be empty string"), [],
    "client_id was sent empty.",
    [{ id: "client-id-empty", text: "The client_id parameter has no value (an unset environment variable?).", test: "Pass `--client-id`." }],
    ["Send the app's client_id."], rfc(6749, "4.1.1")),
]);

/** Seed 001's legacy errorMessage examples (deprecated GET /oauth/token envelope). */
export const seed001Rules = builtOnFirstUse("seed 001 rules", (): readonly DescriptionRule[] => [
  {
    id: "seed-001-redirect-uri-invalid",
    provider: "seed-001",
    match: phrase("Redirect URI is invalid"),
    meaning: "Legacy envelope: the redirect URI is not valid or not registered.",
    causes: [C.REDIRECT_NOT_REGISTERED, C.REDIRECT_URI_MISMATCH],
    nextSteps: ["Use the registered redirect URI in both steps."],
    spec: rfc(6749, "4.1.3"),
    source: SEED_001,
  },
  {
    id: "seed-001-missing-required-params",
    provider: "seed-001",
    match: phrase("Missing required params"),
    meaning: "Legacy envelope: required parameters are missing; errorDetails lists them.",
    causes: [C.MISSING_PARAMETER],
    nextSteps: ["Read errorDetails for the missing names; prefer POST /oauth/token (standard format)."],
    spec: rfc(6749, "5.2"),
    source: SEED_001,
  },
  {
    id: "seed-001-invalid-grant-type",
    provider: "seed-001",
    match: phrase("Invalid grant type"),
    meaning: "Legacy envelope: grant_type is not supported.",
    causes: [{ id: "grant-type-misspelled", text: "grant_type is misspelled or not supported.", test: "Check grant_type in the `-v` trace." }],
    nextSteps: ["Use a supported grant_type; prefer POST /oauth/token."],
    spec: rfc(6749, "5.2"),
    source: SEED_001,
  },
]);

/** Seed 000's SDK exception example description. */
export const seed000Rules = builtOnFirstUse("seed 000 rules", (): readonly DescriptionRule[] => [
  {
    id: "seed-000-scope-invalid",
    provider: "seed-000",
    match: phrase("The requested scope is invalid, unknown, or malformed"),
    error: "invalid_scope",
    meaning: "A requested scope is invalid, unknown or malformed (the RFC 6749 §5.2 wording).",
    causes: [C.SCOPE_UNKNOWN],
    nextSteps: ["Retry with a minimal `--scope` and add scopes one at a time."],
    spec: rfc(6749, "5.2"),
    source: "seed 000 (SDK BadRequestException: ErrorCode, ErrorDescription, HttpMeta)",
  },
]);
